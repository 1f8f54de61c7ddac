// @ts-nocheck
import { defaultScreenLimits, type ScreenLimits } from './budget.js';
import { definitionProblems } from './compile.js';
import type { MenuDefinition } from './dsl.js';
import { fixedScreenProblems } from './fixed-screens.js';
import { menuGraph } from './graph.js';
import { defaultNavigationKeys, type NavigationKeys } from './screen.js';
import type { Localized } from './text.js';

export interface LintFinding {
  level: 'error' | 'warning';
  screen?: string | undefined;
  rule: 'definition' | 'unreachable' | 'dead-end' | 'over-budget' | 'missing-translation' | 'dynamic-targets';
  message: string;
}

export interface LintOptions {
  keys?: Partial<NavigationKeys> | undefined;
  limits?: ScreenLimits | undefined;
}

/**
 * Reads a menu definition without running it: key collisions and unknown screens, screens no path reaches,
 * screens from which no END can be reached, fixed texts over budget in every language on every network, and
 * texts missing a language.
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
