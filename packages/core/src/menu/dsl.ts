import type { Localized, SessionInfo, Text } from './text.js';

/** Anything with zod's `safeParse` (zod 3 and 4 both fit). */
export interface InputSchema<V> {
  safeParse(value: unknown): { success: true; data: V } | { success: false; error: unknown };
}

export interface Choice<C> {
  /** The key the customer types. Defaults to the option's position, from 1. */
  key?: string | undefined;
  label: Text<C>;
  next: string;
  /** Context changes applied when this option is chosen. */
  set?: ((ctx: C) => Partial<C>) | undefined;
}

interface ScreenCommon {
  /** Engine navigation (`0` back, `00` home) on this screen. Default true. */
  nav?: boolean | undefined;
  /** Offer "continue where you left off" when a session drops here and the phone redials soon. */
  resumable?: boolean | undefined;
}

export interface MenuScreen<C> extends ScreenCommon {
  type: 'menu';
  text: Text<C>;
  options: readonly Choice<C>[] | ((ctx: C, session: SessionInfo) => Choice<C>[]);
  /** With computed options: every screen they may lead to (checked when built; used by lint and diagrams). */
  targets?: readonly string[] | undefined;
}

export interface PromptScreen<C, V = unknown> extends ScreenCommon {
  type: 'prompt';
  text: Text<C>;
  schema: InputSchema<V>;
  /** Shown above the prompt after an invalid answer. */
  invalid?: Text<C> | undefined;
  /** Invalid answers allowed before the session ends. Default 3. */
  maxAttempts?: number | undefined;
  /** END text once the attempts are used up. */
  tooManyAttempts?: Text<C> | undefined;
  save?: ((ctx: C, value: V) => Partial<C>) | undefined;
  next: string | ((ctx: C, value: V) => string);
  /** With a computed `next`: every screen it may return (checked when built; used by lint and diagrams). */
  targets?: readonly string[] | undefined;
  /** Valid sample answers: menu exploration (lint, tests) types these. */
  examples?: readonly string[] | undefined;
}

export interface StepTools<S> {
  services: S;
  session: SessionInfo;
  /** Aborted when the turn deadline passes; hand it to every I/O call. */
  signal: AbortSignal;
}

export type StepResult<C> = string | { next: string; set?: Partial<C> | undefined };

export interface StepScreen<C, S> {
  type: 'step';
  run: (ctx: C, tools: StepTools<S>) => Promise<StepResult<C>> | StepResult<C>;
  /** Screen to go to when `run` throws; without it the customer gets the engine's apology. */
  onError?: string | undefined;
  /** Every screen `run` may return; checked when the menu is built and used by lint and diagrams. */
  targets?: readonly string[] | undefined;
  /** The step only reads (running it twice changes nothing): lint lets a retried key reach it. */
  readOnly?: boolean | undefined;
}

export interface EndScreen<C> {
  type: 'end';
  text: Text<C>;
}

export type ScreenDef<C, S> = MenuScreen<C> | PromptScreen<C, any> | StepScreen<C, S> | EndScreen<C>;

export interface MenuMessages {
  invalidChoice: Localized;
  tooManyAttempts: Localized;
  resumePrompt: Localized;
  resumeContinue: Localized;
  resumeRestart: Localized;
  more: Localized;
  back: Localized;
}

export interface MenuDefinition<C, S = unknown> {
  id: string;
  /**
   * Bump when a change makes saved sessions meaningless (the initial context's defaults included); older
   * sessions then restart at home.
   */
  version: string | number;
  /** Languages every Localized text must cover. Default `['en']`. */
  languages?: readonly string[] | undefined;
  /** The language of a context. Default `ctx.lang` when present, else the first language. */
  language?: ((ctx: C) => string | undefined) | undefined;
  /**
   * The context a session starts with. Also called when the app is built, with every session field empty, to
   * learn the defaults: saved sessions store only how their context differs from them. Keep it free of side
   * effects; a context that differs on every call (a clock, a random id) is simply stored whole.
   */
  initialContext: (session: SessionInfo) => C;
  start: string;
  screens: Record<string, ScreenDef<C, S>>;
  messages?: Partial<MenuMessages> | undefined;
}

export const defaultMessages: MenuMessages = {
  invalidChoice: { en: 'Invalid choice.', sw: 'Chaguo si sahihi.' },
  tooManyAttempts: { en: 'Too many invalid attempts. Please dial again.', sw: 'Majaribio mengi mno. Piga tena.' },
  resumePrompt: { en: 'Continue where you left off?', sw: 'Endelea ulipoachia?' },
  resumeContinue: { en: 'Continue', sw: 'Endelea' },
  resumeRestart: { en: 'Start over', sw: 'Anza upya' },
  more: { en: 'More', sw: 'Zaidi' },
  back: { en: 'Back', sw: 'Rudi' },
};

/** Where `define` reports menus while the CLI loads a module; shared by every copy of this package. */
export const definedMenus = Symbol.for('rolax-ussd.defined-menus');

/**
 * Typed helpers for one context type `C` and services type `S`. They only tag and return their argument, so a
 * menu stays plain data that lint and diagrams can read.
 */
export function createMenu<C, S = unknown>() {
  return {
    define: (def: MenuDefinition<C, S>): MenuDefinition<C, S> => {
      // The CLI collects menus here while it imports a module that builds one without exporting it.
      (globalThis as { [definedMenus]?: unknown[] })[definedMenus]?.push(def);
      return def;
    },
    menu: (s: Omit<MenuScreen<C>, 'type'>): MenuScreen<C> => ({ type: 'menu', ...s }),
    prompt: <V>(s: Omit<PromptScreen<C, V>, 'type'>): PromptScreen<C, V> => ({ type: 'prompt', ...s }),
    step: (s: Omit<StepScreen<C, S>, 'type'>): StepScreen<C, S> => ({ type: 'step', ...s }),
    end: (s: Omit<EndScreen<C>, 'type'>): EndScreen<C> => ({ type: 'end', ...s }),
  };
}
