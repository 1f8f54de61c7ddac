import { ussdPlugin } from '@rolax/ussd-fastify';
import Fastify from 'fastify';
import { benchStore, rolaxApp } from '../menu.mjs';
import { announce } from './child.mjs';

const app = Fastify({ logger: false });
await app.register(ussdPlugin, { app: rolaxApp({ store: await benchStore() }), prefix: '/ussd' });
await app.listen({ port: 0, host: '127.0.0.1' });
announce(app.server.address().port);
