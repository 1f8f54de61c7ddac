import { defaultScreenLimits, type ScreenLimits } from './budget.js';
import { definitionProblems } from './compile.js';
import type { InputSchema, MenuDefinition, ScreenDef } from './dsl.js';
import { fixedScreenProblems } from './fixed-screens.js';
import { menuGraph } from './graph.js';
import { defaultNavigationKeys, type NavigationKeys } from './screen.js';
import type { Localized } from './text.js';

export interface LintFinding {
  level: 'error' | 'warning';
  screen?: string | undefined;
  rule:
    | 'definition'
    | 'unreachable'
    | 'dead-end'
    | 'over-budget'
    | 'missing-translation'
    | 'dynamic-targets'
    | 'retried-key';
  message: string;
}

export interface LintOptions {
  keys?: Partial<NavigationKeys> | undefined;
  limits?: ScreenLimits | undefined;
  /**
   * The gateway the menu is served on (a codec's `name`). Africa's Talking and Hubtel identify every re-sent
   * request, so `retried-key` is checked only for the others and when no gateway is given.
   */
  gateway?: string | undefined;
}

/** Gateways whose every re-sent request the engine recognises, however late: by path or by hop number. */
const RETRY_SAFE_GATEWAYS = new Set(['africastalking', 'hubtel']);

/**
 * Reads a menu definition without running it: key collisions and unknown screens, screens no path reaches,
 * screens from which no END can be reached, fixed texts over budget in every language on every network, texts
 * missing a language, and (for gateways without hop numbers) keys whose late retry would run a step.
 */
export function lintMenu(def: MenuDefinition<any, any>, options: LintOptions = {}): LintFinding[] {
  const keys = { ...defaultNavigationKeys, ...options.keys };
  const limits = options.limits ?? defaultScreenLimits;
  const findings: LintFinding[] = definitionProblems(def, keys).map((message) => ({
    level: 'error' as const,
    rule: 'definition' as const,
    message,
  }));
  const { edges, dynamic } = menuGraph(def);
  const names = Object.keys(def.screens);

  const reached = new Set<string>([def.start]);
  const stack = [def.start];
  while (stack.length) {
    const at = stack.pop()!;
    for (const e of edges) {
      if (e.from !== at || reached.has(e.to) || !(e.to in def.screens)) continue;
      reached.add(e.to);
      stack.push(e.to);
    }
  }
  for (const n of names) {
    if (!reached.has(n))
      findings.push({ level: 'error', screen: n, rule: 'unreachable', message: `no path reaches "${n}"` });
  }

  const ends = new Set(names.filter((n) => def.screens[n]!.type === 'end'));
  const canEnd = new Set(ends);
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges) {
      if (!canEnd.has(e.to) || canEnd.has(e.from)) continue;
      canEnd.add(e.from);
      changed = true;
    }
  }
  for (const n of names) {
    if (!canEnd.has(n) && reached.has(n)) {
      findings.push({
        level: 'error',
        screen: n,
        rule: 'dead-end',
        message: `no END screen can be reached from "${n}"`,
      });
    }
  }
  for (const n of new Set(dynamic)) {
    findings.push({
      level: 'warning',
      screen: n,
      rule: 'dynamic-targets',
      message: `"${n}" computes where it goes without declaring targets; reachability checks treat it as going anywhere`,
    });
  }

  const languages = def.languages ?? ['en'];
  const fixed = (t: unknown): t is Localized => typeof t === 'string' || (typeof t === 'object' && t !== null);
  for (const [name, s] of Object.entries(def.screens)) {
    if (s.type === 'step') continue;
    const texts: Localized[] = [];
    if (fixed(s.text)) texts.push(s.text);
    const opts = s.type === 'menu' && typeof s.options !== 'function' ? s.options : [];
    for (const o of opts) if (fixed(o.label)) texts.push(o.label);
    for (const t of texts) {
      if (typeof t === 'string') continue;
      const missing = languages.filter((l) => !(l in t));
      if (missing.length) {
        findings.push({
          level: 'error',
          screen: name,
          rule: 'missing-translation',
          message: `"${name}" has no ${missing.join(', ')} text`,
        });
      }
    }
  }
  if (!options.gateway || !RETRY_SAFE_GATEWAYS.has(options.gateway)) findings.push(...retriedKeys(def));
  const networks: [string, number][] = [['default', limits.default], ...Object.entries(limits.byNetwork)];
  for (const p of fixedScreenProblems(def, keys, networks)) {
    findings.push({
      level: 'error',
      screen: p.screen,
      rule: 'over-budget',
      message: `"${p.screen}" (${p.lang}, ${p.network} ${p.limit}): ${p.message}`,
    });
  }
  return findings;
}

/**
 * Arkesel and Nalo send only the latest input. A re-send of it after the retry window is read as the same key
 * pressed on the screen it led to; when that key runs a step there, a late retry runs it (a retried "1. Pay"
 * confirms "1. Confirm"). Steps are taken to have effects unless they say `readOnly`. Computed options are not
 * checked (their keys are not known), nor a prompt's answer typed again into another prompt.
 */
function retriedKeys(def: MenuDefinition<any, any>): LintFinding[] {
  const screens = def.screens;
  const targetsOf = (s: ScreenDef<any, any>): readonly string[] | undefined => {
    if (s.type === 'step') return s.targets && [...s.targets, ...(s.onError ? [s.onError] : [])];
    if (s.type === 'prompt') return typeof s.next === 'string' ? [s.next] : s.targets;
    return undefined;
  };
  /** The step with effects that going to `to` runs in the same turn, if any (unknown targets count as one). */
  const effectOf = (to: string, seen = new Set<string>()): string | undefined => {
    const s = screens[to];
    if (s?.type !== 'step' || seen.has(to)) return undefined;
    seen.add(to);
    if (!s.readOnly) return to;
    const next = targetsOf(s);
    if (!next) return to;
    for (const t of next) {
      const found = effectOf(t, seen);
      if (found) return found;
    }
    return undefined;
  };
  /** The screens a turn going to `to` comes to rest on. */
  const restsOn = (to: string, seen = new Set<string>()): string[] => {
    const s = screens[to];
    if (!s || seen.has(to)) return [];
    seen.add(to);
    if (s.type !== 'step') return [to];
    return (targetsOf(s) ?? []).flatMap((t) => restsOn(t, seen));
  };

  // How each screen can be arrived at: by a key of a fixed option, or by an answer to a prompt.
  type Arrival = { from: string; key: string } | { from: string; schema: InputSchema<unknown> };
  const arrivals = new Map<string, Arrival[]>();
  const arrive = (to: string, a: Arrival) => {
    for (const at of restsOn(to)) arrivals.set(at, [...(arrivals.get(at) ?? []), a]);
  };
  for (const [name, s] of Object.entries(screens)) {
    if (s.type === 'menu' && typeof s.options !== 'function') {
      s.options.forEach((o, i) => {
        arrive(o.next, { from: name, key: o.key ?? String(i + 1) });
      });
    } else if (s.type === 'prompt') {
      for (const t of targetsOf(s) ?? []) arrive(t, { from: name, schema: s.schema });
    }
  }

  const findings: LintFinding[] = [];
  const warn = (screen: string, key: string, from: string, step: string) =>
    findings.push({
      level: 'warning',
      screen,
      rule: 'retried-key',
      message:
        `"${screen}": "${key}" here runs "${step}", and "${from}" leads here with "${key}": on Arkesel and Nalo a late ` +
        'retry of that request would run it. Use another key for one of them',
    });
  for (const [name, s] of Object.entries(screens)) {
    const into = arrivals.get(name) ?? [];
    if (s.type === 'menu' && typeof s.options !== 'function') {
      s.options.forEach((o, i) => {
        const key = o.key ?? String(i + 1);
        const step = effectOf(o.next);
        if (!step) return;
        for (const a of into) {
          if ('key' in a ? a.key === key : a.schema.safeParse(key).success) warn(name, key, a.from, step);
        }
      });
    } else if (s.type === 'prompt') {
      const step = (targetsOf(s) ?? Object.keys(screens)).map((t) => effectOf(t)).find(Boolean);
      if (!step) continue;
      for (const a of into) if ('key' in a && s.schema.safeParse(a.key).success) warn(name, a.key, a.from, step);
    }
  }
  return findings;
}
