// @ts-nocheck
import { outboxStoreContract } from '../testing/contracts/outbox-store.js';
import { memoryOutboxStore } from './memory-outbox-store.js';

outboxStoreContract('memoryOutboxStore', async () => ({ store: memoryOutboxStore() }));
