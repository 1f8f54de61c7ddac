// Floor for Express 5: the stock form parser and a constant answer.
import express from 'express';
import { announce } from './child.mjs';

const app = express();
app.use(express.urlencoded({ extended: false }));
app.post('/ussd', (req, res) => {
  // Refuse a body that did not parse, so the floor cannot skip the work it stands for.
  if (!req.body?.sessionId) return res.status(400).type('text/plain').send('no sessionId');
  res.type('text/plain; charset=utf-8').send('CON ok');
});
const server = app.listen(0, '127.0.0.1', () => announce(server.address().port));
