// The README example, typechecked as a strict nodenext project and dialled for three hops.
import { type TesterSession, ussdTester } from '@rolax/ussd-core/testing';
import { server, url } from './readme.js';

const s: TesterSession = ussdTester({ url: `${url}/ussd` }).session();
await s.dial();
s.expectScreen('Umoja SACCO\n1. Balance\n2. Deposit');
await s.input('2');
s.expectScreen('Amount:');
await s.input('50');
s.expectEnd('Deposit of KES 50 requested.');
await server.close();
