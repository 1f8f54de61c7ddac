// @ts-nocheck
import { sessionStoreContract } from '../testing/session-store-contract.js';
import { memorySessionStore } from './memory.js';

sessionStoreContract('memory', async () => {
  let offset = 0;
  const store = memorySessionStore({ now: () => Date.now() + offset, sweepIntervalMs: 0 });
  return {
    store,
    advance: async (ms) => {
      offset += ms;
    },
    teardown: () => store.dispose!(),
  };
});
