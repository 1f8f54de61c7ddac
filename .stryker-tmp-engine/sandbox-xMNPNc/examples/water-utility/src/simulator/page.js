// @ts-nocheck
// The simulator page: one USSD session at a time against this server, and a poll of the fake gateways for
// whatever reaches the phones (SMS, M-Pesa prompts). Plain browser JavaScript, no build step, no dependencies.
const BUDGET = 160;
const POLL_MS = 1000;

const $ = (id) => document.getElementById(id);
const ui = {
  dialForm: $('dial-form'),
  customer: $('customer'),
  note: $('customer-note'),
  phone: $('phone'),
  code: $('code'),
  dial: $('dial'),
  screen: $('screen'),
  badge: $('session-badge'),
  budgetBar: $('budget-bar'),
  budgetText: $('budget-text'),
  devline: $('devline'),
  replyForm: $('reply-form'),
  reply: $('reply'),
  send: $('send'),
  cancel: $('cancel'),
  mpesaPhone: $('mpesa-phone'),
  mpesaBody: $('mpesa-body'),
  mpesaResult: $('mpesa-result'),
  inbox: $('inbox'),
  inboxPhone: $('inbox-phone'),
  opsPhone: $('ops-phone'),
  opsInbox: $('ops-inbox'),
  log: $('log'),
};

/** Small DOM builder; text always goes in as text, never as HTML. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs))
    if (v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : v);
  el.append(...children.filter((c) => c !== undefined && c !== null));
  return el;
}

/** `0711 000 111`, `254711000111` and `+254711000111` are one phone, as the server reads them. */
function normalizePhone(value) {
  const p = value.replace(/[^\d+]/g, '');
  if (p.startsWith('+')) return p;
  if (p.startsWith('0')) return `+254${p.slice(1)}`;
  return p ? `+${p}` : '';
}

const newSessionId = () => `sim-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const chars = (text) => [...text].length;
const kes = (n) => `KES ${Number(n).toLocaleString('en-KE')}`;
const clock = (iso) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

async function getJson(url, init) {
  const res = await fetch(url, init);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`);
  return body;
}

// --- the phone --------------------------------------------------------------------------------------------

/** `{ id, phone, code, inputs, state: 'open' | 'busy' | 'ended' | 'cancelled', last }`, or null before a dial. */
let session = null;

/** A screen from the service counts against the budget; the phone's own messages do not. */
function showScreen(text, fromService) {
  ui.screen.textContent = text;
  ui.screen.dataset.source = fromService ? 'service' : 'local';
  const n = fromService ? chars(text) : 0;
  ui.budgetText.textContent = fromService ? `${n} / ${BUDGET} chars` : `– / ${BUDGET} chars`;
  ui.budgetBar.style.width = `${Math.min(100, (n / BUDGET) * 100)}%`;
  ui.budgetBar.dataset.level = n > BUDGET ? 'over' : n > BUDGET * 0.85 ? 'near' : 'ok';
}

function renderSession() {
  const state = session?.state ?? 'idle';
  const open = state === 'open';
  ui.badge.textContent = {
    idle: 'idle',
    busy: 'waiting…',
    open: 'session open',
    ended: 'ended',
    cancelled: 'cancelled',
  }[state];
  ui.badge.dataset.state = state;
  ui.reply.disabled = !open;
  ui.send.disabled = !open;
  ui.cancel.disabled = !(open || state === 'busy');
  if (!session) {
    ui.devline.textContent = 'no session';
    return;
  }
  const parts = [`session ${session.id}`, `text "${session.inputs.join('*')}"`];
  if (session.last) parts.push(session.last);
  ui.devline.textContent = parts.join(' · ');
}

function idle(message) {
  showScreen(message ?? `Dial ${ui.code.value || 'a USSD code'}\nto start a session.`, false);
  renderSession();
}

/** One line per turn in the session log: what went up, what came back. */
function logTurn(path, kind, info, screen = '') {
  ui.log.querySelector('.empty')?.remove();
  ui.log.append(
    h(
      'li',
      {},
      h('code', { class: 'path' }, `"${path}"`),
      h('span', { class: `kind ${kind}` }, kind),
      h('span', { class: 'info' }, info),
      h('span', { class: 'first' }, screen.split('\n')[0]),
    ),
  );
  ui.log.scrollTop = ui.log.scrollHeight;
}

/** One turn: the whole input path goes up, as a gateway sends it, and the reply replaces the screen. */
async function turn(input) {
  const s = session;
  if (input !== undefined) s.inputs.push(input);
  s.state = 'busy';
  renderSession();
  const path = s.inputs.join('*');
  const started = performance.now();
  let state = 'ended';
  try {
    const res = await fetch('/simulator/ussd', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: s.id, phoneNumber: s.phone, serviceCode: s.code, text: path }),
    });
    const body = await res.text();
    if (session !== s || s.state === 'cancelled') return; // cancelled or redialled while waiting
    const ms = Math.round(performance.now() - started);
    if (!res.ok) {
      s.last = `HTTP ${res.status}: ${body.slice(0, 120)}`;
      logTurn(path, 'ERR', `HTTP ${res.status} · ${ms} ms`, body);
      showScreen('Connection problem or invalid MMI code.', false);
    } else {
      const kind = body.slice(0, 3);
      if (kind === 'CON') state = 'open';
      s.last = `${kind} · ${ms} ms`;
      logTurn(path, kind, `${chars(body.slice(4))} chars · ${ms} ms`, body.slice(4));
      showScreen(body.slice(4), true);
    }
  } catch (err) {
    if (session !== s || s.state === 'cancelled') return;
    s.last = `network error: ${err.message}`;
    logTurn(path, 'ERR', 'network error', err.message);
    showScreen('Connection problem or invalid MMI code.', false);
  }
  s.state = state;
  renderSession();
  if (state === 'open') ui.reply.focus();
  poll();
}

function dial() {
  const phone = normalizePhone(ui.phone.value);
  if (!phone) return;
  ui.phone.value = phone;
  watch(phone);
  session = { id: newSessionId(), phone, code: ui.code.value.trim(), inputs: [], state: 'busy', last: '' };
  ui.log.replaceChildren(h('li', { class: 'note' }, `${session.code} from ${phone} · ${session.id}`));
  showScreen('USSD code running…', false);
  turn();
}

function cancel() {
  if (!session || !(session.state === 'open' || session.state === 'busy')) return;
  session.state = 'cancelled';
  session.last = 'cancelled on the phone';
  ui.log.append(h('li', { class: 'note' }, 'cancelled on the phone; nothing sent'));
  idle('Session cancelled.');
}

ui.dialForm.addEventListener('submit', (e) => {
  e.preventDefault();
  dial();
});
ui.replyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  if (session?.state !== 'open') return;
  const value = ui.reply.value.trim();
  ui.reply.value = '';
  turn(value);
});
ui.cancel.addEventListener('click', cancel);
ui.reply.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') cancel();
});

// --- who is dialling -------------------------------------------------------------------------------------

let customers = [];
/** The phone whose inbox and M-Pesa prompts are shown: the one that dialled last, or the one picked. */
let watched = '';

function watch(phone) {
  if (phone === watched) return;
  watched = phone;
  ui.inboxPhone.textContent = phone;
  ui.mpesaPhone.textContent = phone;
  ui.mpesaResult.textContent = '';
  // A session belongs to one phone: changing phones hangs up.
  if (session && session.phone !== phone && (session.state === 'open' || session.state === 'busy')) {
    session.state = 'cancelled';
    session.last = 'phone changed';
    idle();
  }
  poll();
}

function describeCustomer(phone) {
  const c = customers.find((x) => x.phone === phone);
  ui.customer.value = c ? c.phone : '';
  const lang = c?.language === 'sw' ? 'Kiswahili' : 'English';
  ui.note.textContent = c ? `${c.note}. Accounts ${c.accounts.join(', ')}, ${lang}.` : 'Not a demo customer.';
}

ui.customer.addEventListener('change', () => {
  if (!ui.customer.value) {
    ui.phone.focus();
    return;
  }
  ui.phone.value = ui.customer.value;
  describeCustomer(ui.customer.value);
  watch(ui.customer.value);
});
ui.phone.addEventListener('change', () => {
  const phone = normalizePhone(ui.phone.value);
  describeCustomer(phone);
  if (phone) watch(phone);
});
ui.opsPhone.addEventListener('change', () => poll());
ui.code.addEventListener('change', () => {
  if (!session) idle();
});

// --- what reaches the phones -----------------------------------------------------------------------------

/** What each panel shows now, so a poll that brings nothing new leaves the DOM (and a half-typed PIN) alone. */
const shown = { inbox: { key: '', ids: new Set() }, ops: { key: '', ids: new Set() }, prompt: '' };

function renderMessages(list, slot, phone, messages, empty) {
  const key = `${phone}|${messages.map((m) => m.id).join(',')}`;
  if (shown[slot].key === key) return;
  const samePhone = shown[slot].key.startsWith(`${phone}|`);
  const before = shown[slot].ids;
  shown[slot] = { key, ids: new Set(messages.map((m) => m.id)) };
  if (messages.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, empty));
    return;
  }
  list.replaceChildren(
    ...messages.map((m) => {
      const n = chars(m.text);
      const parts = n <= 160 ? 1 : Math.ceil(n / 153);
      return h(
        'li',
        { class: samePhone && !before.has(m.id) ? 'msg fresh' : 'msg' },
        h(
          'div',
          { class: 'meta' },
          h('time', { datetime: m.at }, clock(m.at)),
          h('span', {}, `${m.from ?? 'service'} · ${n} chars · ${parts} SMS`),
        ),
        h('p', {}, m.text),
      );
    }),
  );
}

function renderPrompt(prompts) {
  const p = prompts[0];
  const key = `${watched}|${p?.reference ?? ''}`;
  if (shown.prompt === key) return;
  shown.prompt = key;
  if (!p) {
    ui.mpesaBody.replaceChildren(
      h('p', { class: 'empty' }, 'No prompt on this phone. Pay a bill from the menu and it appears here.'),
    );
    return;
  }
  const pin = h('input', {
    id: 'pin',
    type: 'password',
    inputmode: 'numeric',
    autocomplete: 'off',
    maxlength: '6',
    required: true,
  });
  const decline = h('button', { class: 'btn hangup', type: 'button' }, 'Decline');
  const form = h(
    'form',
    { class: 'stk-form' },
    h('label', { class: 'field', for: 'pin' }, h('span', {}, 'M-Pesa PIN'), pin),
    h('div', { class: 'keys' }, h('button', { class: 'btn call', type: 'submit' }, 'Pay'), decline),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(p.reference, 'pin', pin.value);
  });
  decline.addEventListener('click', () => act(p.reference, 'cancel'));
  ui.mpesaBody.replaceChildren(
    h(
      'div',
      { class: 'stk' },
      h('p', { class: 'stk-head' }, 'M-PESA'),
      h('p', { class: 'stk-text' }, 'Pay ', h('strong', {}, kes(p.amount)), ` for ${p.narrative ?? 'this bill'}?`),
      h(
        'dl',
        { class: 'stk-meta' },
        h('dt', {}, 'Reference'),
        h('dd', {}, p.reference),
        h('dt', {}, 'Invoice'),
        h('dd', {}, p.invoiceId),
      ),
      form,
      prompts.length > 1 ? h('p', { class: 'note' }, `${prompts.length - 1} more waiting after this one`) : null,
    ),
  );
  if (document.activeElement === document.body) pin.focus();
}

async function act(reference, action, pin) {
  try {
    const r = await getJson(`/dev/stk/${encodeURIComponent(reference)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(action === 'pin' ? { pin } : {}),
    });
    ui.mpesaResult.dataset.state = r.state;
    ui.mpesaResult.textContent =
      r.state === 'COMPLETE' ? `${reference} paid. The receipt comes by SMS.` : `${reference}: ${r.state}`;
  } catch (err) {
    ui.mpesaResult.dataset.state = 'FAILED';
    ui.mpesaResult.textContent = `${reference}: ${err.message}`;
  }
  poll();
}

let polling = false;
async function poll() {
  if (polling) return;
  polling = true;
  const phone = watched;
  const ops = ui.opsPhone.value;
  const q = encodeURIComponent;
  try {
    const [sms, alerts, prompts] = await Promise.all([
      phone ? getJson(`/dev/sms?to=${q(phone)}`) : [],
      ops ? getJson(`/dev/sms?to=${q(ops)}`) : [],
      phone ? getJson(`/dev/stk?phone=${q(phone)}`) : [],
    ]);
    renderMessages(ui.opsInbox, 'ops', ops, alerts, 'No alerts yet. Report an issue from the phone.');
    if (phone !== watched) return; // the phone changed while this poll was out; the next one catches up
    renderMessages(ui.inbox, 'inbox', phone, sms, 'No SMS yet. Receipts and confirmations land here.');
    renderPrompt(prompts);
  } catch {
    // The server may be restarting; the next tick tries again.
  } finally {
    polling = false;
  }
}

async function start() {
  const data = await getJson('/dev/customers');
  customers = data.customers;
  ui.customer.replaceChildren(
    ...customers.map((c) => h('option', { value: c.phone }, `${c.name} · ${c.phone}`)),
    h('option', { value: '' }, 'Other number…'),
  );
  ui.opsPhone.replaceChildren(
    ...(data.opsPhones.length ? data.opsPhones : ['']).map((p) => h('option', { value: p }, p || 'none configured')),
  );
  const first = customers[0]?.phone ?? '';
  ui.phone.value = first;
  describeCustomer(first);
  ui.log.replaceChildren(h('li', { class: 'empty' }, 'Dial to see each turn: the text sent and the reply.'));
  idle();
  watch(first);
  setInterval(() => {
    if (!document.hidden) poll();
  }, POLL_MS);
}

start().catch((err) => idle(`Simulator failed to start:\n${err.message}`));
