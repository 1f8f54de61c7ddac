import type { UssdApp } from '../engine/app.js';
import type { UssdReply } from '../engine/turn.js';
import { ussdTester } from './tester.js';

export interface ExploredPath {
  inputs: string[];
  replies: UssdReply[];
}

export interface ExploreOptions {
  phoneNumber?: string | undefined;
  networkCode?: string | undefined;
  /** Longest input sequence tried. Default 12. */
  maxDepth?: number | undefined;
  /** Stop after this many complete paths. Default 2000. */
  maxPaths?: number | undefined;
  /** Extra answers to try on a prompt screen, by screen name, besides its `examples`. */
  inputs?: Record<string, string[]> | undefined;
}

/**
 * Walks every path of a DSL menu as a customer would, each hop a real request through the app (so every hop is
 * persisted and restored): option keys are read off the rendered screen (`98` included), prompts are answered
 * with their `examples`. Navigation keys back and home are not followed. Returns one entry per path that
 * reached END or the depth limit.
 */
export async function exploreMenu(app: UssdApp, options: ExploreOptions = {}): Promise<ExploredPath[]> {
  const def = app.menu?.definition;
  if (!def) throw new Error('exploreMenu needs an app built from a menu definition');
  const tester = ussdTester(app, { phoneNumber: options.phoneNumber, networkCode: options.networkCode });
  const maxDepth = options.maxDepth ?? 12;
  const maxPaths = options.maxPaths ?? 2000;
  const done: ExploredPath[] = [];
  const seen = new Set<string>();
  const queue: string[][] = [[]];

  while (queue.length > 0 && done.length < maxPaths) {
    const inputs = queue.shift()!;
    const s = tester.session();
    const replies: UssdReply[] = [await s.dial()];
    for (const input of inputs) replies.push(await s.input(input));
    const last = replies[replies.length - 1]!;
    if (last.type === 'END' || inputs.length >= maxDepth) {
      done.push({ inputs, replies });
      continue;
    }
    const state = await app.inspect(s.sessionId);
    const name = typeof state?.value === 'string' ? state.value : JSON.stringify(state?.value);
    const signature = `${name}|${last.text}`;
    if (seen.has(signature)) {
      done.push({ inputs, replies });
      continue;
    }
    seen.add(signature);
    const screen = def.screens[name];
    const candidates =
      screen?.type === 'prompt'
        ? [...(screen.examples ?? []), ...(options.inputs?.[name] ?? [])]
        : [...last.text.matchAll(/^(\d+)\. /gm)].map((m) => m[1]!).filter((k) => k !== '0' && k !== '00');
    if (candidates.length === 0) done.push({ inputs, replies });
    for (const c of candidates) queue.push([...inputs, c]);
  }
  return done;
}
