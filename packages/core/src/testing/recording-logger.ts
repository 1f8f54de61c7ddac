// Test support: a logger that keeps what it was given, for tests that check what reaches the operator's log.
import type { Logger } from '../ports/logger.js';

export function recordingLogger() {
  const entries: Array<{ level: string; msg: string | undefined; obj: Record<string, unknown> }> = [];
  /** Each entry as the JSON line a log collector would store, errors reduced to their message. */
  const lines: string[] = [];
  const at =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      entries.push({ level, msg, obj });
      lines.push(JSON.stringify({ msg, ...obj }, (_k, v) => (v instanceof Error ? { message: v.message } : v)));
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, entries, lines };
}
