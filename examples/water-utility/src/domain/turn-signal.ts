import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The abort signal of the USSD turn a piece of work belongs to. Storage reads it to refuse to commit once the turn
 * has given up: the customer was told it failed, so nothing may be recorded after that.
 */
const current = new AsyncLocalStorage<AbortSignal>();

export const withTurnSignal = <T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> => current.run(signal, fn);

export const turnSignal = (): AbortSignal | undefined => current.getStore();
