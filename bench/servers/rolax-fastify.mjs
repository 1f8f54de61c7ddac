import { ussdPlugin } from '@rolax/ussd-fastify';
import Fastify from 'fastify';
import { rolaxApp } from '../menu.mjs';
import { announce } from './child.mjs';

const app = Fastify({ logger: false });
await app.register(ussdPlugin, { app: rolaxApp(), prefix: '/ussd' });
await app.listen({ port: 0, host: '127.0.0.1' });
announce(app.server.address().port);
