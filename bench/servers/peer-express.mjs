// The same three-hop menu on ussd-menu-builder, the common Node USSD library, mounted on Express 5.
import express from 'express';
import UssdMenu from 'ussd-menu-builder';
import { HOME, lookup, PROMPT } from '../menu.mjs';
import { announce } from './child.mjs';

// Session data outlives the per-request menu, like rolax's memory store.
const sessions = new Map();
const sessionHandlers = {
  start: async (id) => {
    if (!sessions.has(id)) sessions.set(id, {});
  },
  end: async (id) => {
    sessions.delete(id);
  },
  set: async (id, key, value) => {
    const s = sessions.get(id);
    if (s) s[key] = value;
  },
  get: async (id, key) => sessions.get(id)?.[key],
};

// A UssdMenu keeps the request it is answering on the instance (args, val, the reply callback), so one shared
// instance mixes up concurrent sessions once a state awaits anything; one instance per request is the safe use.
function buildMenu() {
  const menu = new UssdMenu();
  menu.sessionConfig(sessionHandlers);
  menu.startState({ run: () => menu.con(HOME), next: { 1: 'account' } });
  menu.state('account', { run: () => menu.con(PROMPT), next: { '*^\\d{3,8}$': 'lookup' } });
  menu.state('lookup', {
    run: async () => {
      const account = menu.val;
      await menu.session.set('account', account);
      const balance = await lookup(account);
      menu.end(`Account ${account}: ${balance}`);
    },
  });
  return menu;
}

const app = express();
app.use(express.urlencoded({ extended: false }));
app.post('/ussd', (req, res) => {
  const menu = buildMenu();
  menu.on('error', (err) =>
    res
      .status(500)
      .type('text/plain')
      .send(String(err?.message ?? err)),
  );
  const { sessionId, serviceCode, phoneNumber, text } = req.body ?? {};
  menu.run({ sessionId, serviceCode, phoneNumber, text }).then((reply) => {
    res.type('text/plain; charset=utf-8').send(reply);
  });
});
const server = app.listen(0, '127.0.0.1', () => announce(server.address().port));
