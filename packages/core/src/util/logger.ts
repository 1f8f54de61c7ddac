import type { Logger } from '../ports/logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** One JSON line per event on stderr. Callers mask phone numbers before they reach it. */
export function jsonLogger(options: { level?: Level | undefined; name?: string | undefined } = {}): Logger {
  const min = order[options.level ?? 'info'];
  const write = (level: Exclude<Level, 'silent'>) => (obj: Record<string, unknown>, msg?: string) => {
    if (order[level] < min) return;
    const line = { level, time: new Date().toISOString(), name: options.name, msg, ...serialize(obj) };
    process.stderr.write(JSON.stringify(line) + '\n');
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function serialize(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, code: (v as { code?: unknown }).code } : v;
  }
  return out;
}

/**
 * Plain `console.warn`/`console.error` lines for warnings and errors, nothing below: the default where the host
 * framework has no logger of its own (Express).
 */
export function consoleLogger(name = 'rolax-ussd'): Logger {
  const line = (obj: Record<string, unknown>, msg?: string) => {
    const fields = Object.entries(serialize(obj)).map(
      ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
    );
    return [`[${name}]`, msg, ...fields].filter(Boolean).join(' ');
  };
  return {
    debug() {},
    info() {},
    warn: (obj, msg) => console.warn(line(obj, msg)),
    error: (obj, msg) => console.error(line(obj, msg)),
  };
}

/** A logger whose target can be replaced later: how an app built without one takes its host's. */
export function replaceableLogger(initial: Logger): Logger & { replace(next: Logger): void } {
  let target = initial;
  return {
    debug: (obj, msg) => target.debug(obj, msg),
    info: (obj, msg) => target.info(obj, msg),
    warn: (obj, msg) => target.warn(obj, msg),
    error: (obj, msg) => target.error(obj, msg),
    replace(next) {
      target = next;
    },
  };
}
