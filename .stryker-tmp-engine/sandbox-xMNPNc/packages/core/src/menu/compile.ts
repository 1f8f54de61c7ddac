// @ts-nocheck
import { type AnyStateMachine, assign, createMachine, fromPromise } from 'xstate';
import { UssdError } from '../errors.js';
import type { Choice, MenuDefinition, MenuMessages, PromptScreen, ScreenDef, StepResult } from './dsl.js';
import { defaultMessages } from './dsl.js';
import type { NavigationKeys, Screen, ScreenMeta } from './screen.js';
import { type Localized, pickLanguage, resolveText, type SessionInfo, type Text } from './text.js';

/** What the compiled machine keeps in its context. `data` is the menu's own context and must be JSON. */
export interface MenuMachineContext<C = unknown> {
  data: C;
  session: SessionInfo;
  /** Error line shown above the screen after an invalid answer. */
  error: string | null;
  attempts: number;
}

export interface CompiledMenu {
  id: string;
  version: string;
  machine: AnyStateMachine;
  /** Language of a machine context, for engine-owned texts (navigation labels, resume prompt). */
  languageOf: (context: unknown) => string;
  messages: MenuMessages;
  languages: readonly string[];
  /** The source definition, for lint, diagrams and exploration. */
  definition: MenuDefinition<any, any>;
}

const TOO_MANY = '$tooManyAttempts';

export function compileMenu<C, S>(
  def: MenuDefinition<C, S>,
  options: { services?: S | undefined; keys: NavigationKeys },
): CompiledMenu {
  validateDefinition(def, options.keys);
  const languages = def.languages ?? ['en'];
  const fallback = languages[0] ?? 'en';
  const messages: MenuMessages = { ...defaultMessages, ...def.messages };
  const langOfData = (data: C): string =>
    def.language?.(data) ?? ((data as { lang?: unknown } | null)?.lang as string | undefined) ?? fallback;
  const text = (t: Text<C>, ctx: MenuMachineContext<C>) =>
    resolveText(t, ctx.data, ctx.session, langOfData(ctx.data), fallback);
  const local = (t: Localized, ctx: MenuMachineContext<C>) => pickLanguage(t, langOfData(ctx.data), fallback);
  const screenNames = Object.keys(def.screens);

  const states: Record<string, any> = {};
  for (const [name, screen] of Object.entries(def.screens)) {
    states[name] = compileScreen(name, screen);
  }
  states[TOO_MANY] = {
    type: 'final',
    meta: {
      ussd: { render: (ctx: MenuMachineContext<C>) => ({ text: ctx.error ?? local(messages.tooManyAttempts, ctx) }) },
    },
  };

  const machine = createMachine({
    id: def.id,
    initial: def.start,
    context: ({ input }: { input: { session: SessionInfo } }): MenuMachineContext<C> => ({
      data: def.initialContext(input.session),
      session: input.session,
      error: null,
      attempts: 0,
    }),
    states,
  } as any);

  return {
    id: def.id,
    version: String(def.version),
    machine,
    languageOf: (context) => langOfData((context as MenuMachineContext<C>).data),
    messages,
    languages,
    definition: def as MenuDefinition<any, any>,
  };

  function compileScreen(name: string, screen: ScreenDef<C, S>): any {
    switch (screen.type) {
      case 'menu': {
        const choices = (ctx: MenuMachineContext<C>): Choice<C>[] => {
          const list = typeof screen.options === 'function' ? screen.options(ctx.data, ctx.session) : screen.options;
          return list.map((c, i) => ({ ...c, key: c.key ?? String(i + 1) }));
        };
        const render = (ctx: MenuMachineContext<C>): Screen => ({
          text: withError(ctx, text(screen.text, ctx)),
          options: choices(ctx).map((c) => ({ key: c.key!, label: text(c.label, ctx) })),
          nav: screen.nav,
          resumable: screen.resumable,
        });
        const pick = memo((ctx: MenuMachineContext<C>, value: string) => {
          const choice = choices(ctx).find((c) => c.key === value);
          return choice ? { next: choice.next, set: choice.set?.(ctx.data) } : null;
        });
        const targets =
          typeof screen.options === 'function'
            ? (screen.targets ?? screenNames)
            : unique(screen.options.map((c) => c.next));
        return {
          meta: { ussd: { render } satisfies ScreenMeta },
          on: {
            INPUT: [
              ...routes(targets, pick),
              { actions: assign(({ context }: any) => ({ error: local(messages.invalidChoice, context) })) },
            ],
          },
        };
      }
      case 'prompt':
        return compilePrompt(screen);
      case 'step': {
        const run = fromPromise(async ({ input, signal }: { input: MenuMachineContext<C>; signal: AbortSignal }) => {
          const result = await screen.run(input.data, {
            services: options.services as S,
            session: input.session,
            signal,
          });
          const r = normalizeStep(result);
          if (!(r.next in def.screens)) {
            throw new UssdError('MENU_RUNTIME', `step "${name}" returned unknown screen "${r.next}"`);
          }
          return r;
        });
        const targets = screen.targets ?? screenNames;
        return {
          invoke: {
            src: run,
            input: ({ context }: any) => context,
            onDone: targets.map((target) => ({
              guard: ({ event }: any) => event.output.next === target,
              target,
              actions: assign(({ context, event }: any) => ({
                data: event.output.set ? { ...context.data, ...event.output.set } : context.data,
                error: null,
                attempts: 0,
              })),
            })),
            ...(screen.onError ? { onError: { target: screen.onError } } : {}),
          },
        };
      }
      case 'end':
        return {
          type: 'final',
          meta: { ussd: { render: (ctx: MenuMachineContext<C>) => ({ text: text(screen.text, ctx) }) } },
        };
    }
  }

  function compilePrompt(screen: PromptScreen<C, any>): any {
    const max = screen.maxAttempts ?? 3;
    const parse = memo((ctx: MenuMachineContext<C>, value: string) => {
      const r = screen.schema.safeParse(value);
      if (!r.success) return null;
      const next = typeof screen.next === 'function' ? screen.next(ctx.data, r.data) : screen.next;
      return { next, set: screen.save?.(ctx.data, r.data) };
    });
    const targets = typeof screen.next === 'function' ? (screen.targets ?? screenNames) : [screen.next];
    const invalidText = (ctx: MenuMachineContext<C>) =>
      screen.invalid ? text(screen.invalid, ctx) : local(messages.invalidChoice, ctx);
    return {
      meta: {
        ussd: {
          render: (ctx: MenuMachineContext<C>): Screen => ({
            text: withError(ctx, text(screen.text, ctx)),
            nav: screen.nav,
            resumable: screen.resumable,
          }),
        } satisfies ScreenMeta,
      },
      on: {
        INPUT: [
          ...routes(targets, parse),
          {
            guard: ({ context }: any) => context.attempts + 1 >= max,
            target: TOO_MANY,
            actions: assign(({ context }: any) => ({
              error: screen.tooManyAttempts ? text(screen.tooManyAttempts, context) : null,
            })),
          },
          {
            actions: assign(({ context }: any) => ({ error: invalidText(context), attempts: context.attempts + 1 })),
          },
        ],
      },
    };
  }
}

type Pick<C> = (ctx: MenuMachineContext<C>, value: string) => { next: string; set?: Partial<C> | undefined } | null;

/** One guarded transition per possible target: XState targets are static, the choice is not. */
function routes<C>(targets: readonly string[], pick: Pick<C>) {
  return targets.map((target) => ({
    guard: ({ context, event }: any) => pick(context, event.value)?.next === target,
    target,
    actions: assign(({ context, event }: any) => {
      const set = pick(context, event.value)?.set;
      return { data: set ? { ...context.data, ...set } : context.data, error: null, attempts: 0 };
    }),
  }));
}

/** Guards and actions of one transition see the same context and input; compute the choice once. */
function memo<C, R>(fn: (ctx: MenuMachineContext<C>, value: string) => R) {
  let lastCtx: unknown;
  let lastValue: string | undefined;
  let last: R;
  return (ctx: MenuMachineContext<C>, value: string): R => {
    if (ctx !== lastCtx || value !== lastValue) {
      last = fn(ctx, value);
      lastCtx = ctx;
      lastValue = value;
    }
    return last;
  };
}

function withError(ctx: MenuMachineContext<unknown>, body: string): string {
  return ctx.error ? `${ctx.error}\n${body}` : body;
}

function normalizeStep<C>(r: StepResult<C>): { next: string; set?: Partial<C> | undefined } {
  return typeof r === 'string' ? { next: r } : r;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Mistakes that can be seen without running the menu are errors when it is built. */
function validateDefinition<C, S>(def: MenuDefinition<C, S>, keys: NavigationKeys): void {
  const problems = definitionProblems(def, keys);
  if (problems.length > 0) {
    throw new UssdError('MENU_DEFINITION', `menu "${def.id}" is not valid:\n- ${problems.join('\n- ')}`);
  }
}

/** Everything wrong with a definition that shows without running it: unknown screens, key collisions. */
export function definitionProblems<C, S>(def: MenuDefinition<C, S>, keys: NavigationKeys): string[] {
  const problems: string[] = [];
  const known = (name: string) => name in def.screens;
  if (!known(def.start)) problems.push(`start screen "${def.start}" is not defined`);
  const reserved = [keys.back, keys.home, keys.more];
  for (const [name, s] of Object.entries(def.screens)) {
    if (name.startsWith('$')) problems.push(`screen name "${name}" may not start with $`);
    if (s.type === 'menu' && typeof s.options !== 'function') {
      const seen = new Set<string>();
      s.options.forEach((c, i) => {
        const key = c.key ?? String(i + 1);
        if (seen.has(key)) problems.push(`screen "${name}": key "${key}" is used twice`);
        seen.add(key);
        if (s.nav !== false && reserved.includes(key)) {
          problems.push(
            `screen "${name}": key "${key}" collides with a navigation key (set nav: false or pick another)`,
          );
        }
        if (!known(c.next)) problems.push(`screen "${name}": option "${key}" goes to unknown screen "${c.next}"`);
      });
    }
    if (s.type === 'prompt' && typeof s.next === 'string' && !known(s.next)) {
      problems.push(`screen "${name}": next screen "${s.next}" is not defined`);
    }
    if (s.type === 'step' && s.onError && !known(s.onError)) {
      problems.push(`screen "${name}": onError screen "${s.onError}" is not defined`);
    }
    if (s.type !== 'end') {
      for (const t of s.targets ?? []) if (!known(t)) problems.push(`screen "${name}": target "${t}" is not defined`);
    }
  }
  return problems;
}
