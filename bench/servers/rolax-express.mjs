// Mounted the documented way: no body parser in front, the middleware reads the form itself.
import { createUssdMiddleware } from '@rolax/ussd-express';
import express from 'express';
import { benchStore, rolaxApp } from '../menu.mjs';
import { announce } from './child.mjs';

const app = express();
app.post('/ussd', createUssdMiddleware(rolaxApp({ store: await benchStore() })));
const server = app.listen(0, '127.0.0.1', () => announce(server.address().port));
