// @ts-nocheck
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Growth per attempt. */
  factor: number;
  /** Upper bound for one delay, in ms. */
  maxMs: number;
  /** Spread retries so that many clients failing together do not come back together. */
  jitter: boolean;
}

/**
 * Delay before retry number `attempt` (1 for the first retry). With jitter the delay lands in [d/2, d], which
 * keeps a floor under it while still spreading clients apart. Never below 1 ms.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const full = Math.min(options.maxMs, options.baseMs * options.factor ** exponent);
  const delay = options.jitter ? full / 2 + (random() * full) / 2 : full;
  return Math.max(1, Math.round(delay));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
