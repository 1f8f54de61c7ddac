// @ts-nocheck
import type { UssdApp } from '../engine/app.js';
import type { UssdReply } from '../gateways/turn.js';
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
    // An earlier walk may have left a resume point for this phone: start over, as a customer could.
    if ((await app.inspect(s.sessionId))?.envelope.resume) replies[0] = await s.input('2');
    for (const input of inputs) {
      // Side effects of earlier walks (a pending payment, say) can end a replayed path sooner: keep what it got.
      if (replies[replies.length - 1]!.type === 'END') break;
      replies.push(await s.input(input));
    }
    const last = replies[replies.length - 1]!;
    if (last.type === 'END' || inputs.length >= maxDepth) {
      done.push({ inputs, replies });
      continue;
    }
    const state = await app.inspect(s.sessionId);
    const name = typeof state?.value === 'string' ? state.value : JSON.stringify(state?.value);
    // Same screen, same context (the session's own ids aside) and same text: the walk from here is the same.
    const { session: _ids, ...context } = (state?.envelope.snapshot.context ?? {}) as Record<string, unknown>;
    const signature = `${name}|${JSON.stringify(context)}|${last.text}`;
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
