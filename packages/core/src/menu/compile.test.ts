import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { z } from 'zod';
import { type CompiledMenu, compileMenu, definitionProblems } from './compile.js';
import { createMenu, type MenuDefinition } from './dsl.js';
import { defaultNavigationKeys, type Screen, type ScreenMeta } from './screen.js';
import type { SessionInfo } from './text.js';

interface Ctx {
  lang?: string;
  name?: string;
  amount?: number;
  picked?: string;
  tag?: string;
}
const m = createMenu<Ctx, { lookup: (n: string) => string }>();
const session: SessionInfo = {
  sessionId: 's1',
  phoneNumber: '+254711000111',
  serviceCode: '*384#',
  networkCode: '63902',
  provider: 'test',
};
const keys = defaultNavigationKeys;

/** Drives a compiled machine the way the engine does: INPUT events, the deepest `meta.ussd` rendered. */
function drive(menu: CompiledMenu) {
  const actor = createActor(menu.machine, { input: { session } }).start();
  const state = () => actor.getSnapshot();
  const screen = (): Screen | undefined => {
    const metas = Object.values(state().getMeta() as Record<string, { ussd?: ScreenMeta } | undefined>);
    const meta = metas.reverse().find((x) => x?.ussd)?.ussd;
    return meta?.render(state().context);
  };
  const input = async (value: string) => {
    actor.send({ type: 'INPUT', value });
    await waitFor(actor, (s) => s.status !== 'active' || Object.values(s.getMeta()).some((x: any) => x?.ussd));
    return screen();
  };
  return { actor, state, screen, input };
}

const def = (screens: MenuDefinition<Ctx, any>['screens'], extra: Partial<MenuDefinition<Ctx, any>> = {}) =>
  m.define({ id: 'c', version: 3, initialContext: () => ({}), start: 'home', screens, ...extra });

describe('definitionProblems', () => {
  it('names every mistake it can see, in screen order', () => {
    const problems = definitionProblems(
      def(
        {
          $hidden: m.end({ text: 'x' }),
          home: m.menu({
            text: 'Home',
            options: [
              { label: 'A', next: 'a' },
              { key: '1', label: 'B', next: 'nowhere' },
              { key: '0', label: 'C', next: 'a' },
              { key: '00', label: 'D', next: 'a' },
              { key: '98', label: 'E', next: 'a' },
            ],
          }),
          a: m.prompt({ text: 'A', schema: z.string(), next: 'gone', targets: ['lost'] }),
          b: m.step({ run: () => 'a', onError: 'nope', targets: ['a', 'missing'] }),
          c: m.menu({ text: 'C', options: () => [], targets: ['void'] }),
        },
        { start: 'nostart' },
      ),
      keys,
    );
    expect(problems).toEqual([
      'start screen "nostart" is not defined',
      'screen name "$hidden" may not start with $',
      'screen "home": key "1" is used twice',
      'screen "home": option "1" goes to unknown screen "nowhere"',
      'screen "home": key "0" collides with a navigation key (set nav: false or pick another)',
      'screen "home": key "00" collides with a navigation key (set nav: false or pick another)',
      'screen "home": key "98" collides with a navigation key (set nav: false or pick another)',
      'screen "a": next screen "gone" is not defined',
      'screen "a": target "lost" is not defined',
      'screen "b": onError screen "nope" is not defined',
      'screen "b": target "missing" is not defined',
      'screen "c": target "void" is not defined',
    ]);
  });

  it('lets a screen without navigation use the navigation keys, and finds nothing in a sound menu', () => {
    const screens = {
      home: m.menu({
        text: 'Home',
        nav: false,
        options: [
          { key: '0', label: 'A', next: 'bye' },
          { key: '98', label: 'B', next: 'bye' },
        ],
      }),
      ask: m.prompt({ text: 'A', schema: z.string(), next: () => 'bye', targets: ['bye'] }),
      run: m.step({ run: () => 'bye', onError: 'bye' }),
      bye: m.end({ text: 'Bye' }),
    };
    expect(definitionProblems(def(screens), keys)).toEqual([]);
  });

  it('checks collisions against the keys in use, not the default ones', () => {
    const screens = {
      home: m.menu({
        text: 'Home',
        options: [
          { key: '0', label: 'A', next: 'bye' },
          { key: '9', label: 'B', next: 'bye' },
        ],
      }),
      bye: m.end({ text: 'Bye' }),
    };
    expect(definitionProblems(def(screens), { back: '9', home: '99', more: '#' })).toEqual([
      'screen "home": key "9" collides with a navigation key (set nav: false or pick another)',
    ]);
  });

  it('stops compileMenu with every problem listed under the menu id', () => {
    const bad = def({ home: m.menu({ text: 'H', options: [{ label: 'A', next: 'x' }] }) }, { start: 'y' });
    expect(() => compileMenu(bad, { keys })).toThrow(
      'menu "c" is not valid:\n- start screen "y" is not defined\n- screen "home": option "1" goes to unknown screen "x"',
    );
  });
});

describe('compiled menus', () => {
  it('reports id, version as a string, languages and merged messages', () => {
    const c = compileMenu(def({ home: m.end({ text: 'Bye' }) }, { messages: { more: 'Next' } }), { keys });
    expect(c.id).toBe('c');
    expect(c.version).toBe('3');
    expect(c.languages).toEqual(['en']);
    expect(c.messages.more).toBe('Next');
    expect(c.messages.back).toEqual({ en: 'Back', sw: 'Rudi' });
    expect(c.languageOf({ data: {} })).toBe('en');
    expect(c.languageOf({ data: { lang: 'sw' } })).toBe('sw');
  });

  it('takes the language from `language`, then ctx.lang, then the first language', () => {
    const screens = { home: m.end({ text: { en: 'Bye', sw: 'Kwaheri', fr: 'Adieu' } }) };
    const withFn = compileMenu(def(screens, { languages: ['fr', 'sw'], language: (c) => c.tag }), { keys });
    expect(withFn.languageOf({ data: { tag: 'sw', lang: 'en' } })).toBe('sw');
    expect(withFn.languageOf({ data: { lang: 'en' } })).toBe('en');
    expect(withFn.languageOf({ data: {} })).toBe('fr');
    expect(drive(withFn).screen()).toEqual({ text: 'Adieu' });
    const plain = compileMenu(def(screens, { languages: ['fr', 'sw'], initialContext: () => ({ lang: 'sw' }) }), {
      keys,
    });
    expect(drive(plain).screen()).toEqual({ text: 'Kwaheri' });
  });

  it('renders options keyed from 1, carries nav and resumable, and applies a choice`s `set`', async () => {
    const c = compileMenu(
      def(
        {
          home: m.menu({
            text: (ctx, s) => `Hi ${s.phoneNumber} ${ctx.name ?? '-'}`,
            nav: false,
            resumable: true,
            options: [
              { label: 'Apple', next: 'picked', set: () => ({ picked: 'apple' }) },
              { key: '5', label: { en: 'Pear', sw: 'Pea' }, next: 'picked', set: () => ({ picked: 'pear' }) },
              { label: 'None', next: 'picked' },
            ],
          }),
          picked: m.end({ text: (ctx) => `Picked ${ctx.picked ?? 'nothing'} ${ctx.name}` }),
        },
        { initialContext: () => ({ name: 'Ann' }) },
      ),
      { keys },
    );
    const d = drive(c);
    expect(d.screen()).toEqual({
      text: 'Hi +254711000111 Ann',
      options: [
        { key: '1', label: 'Apple' },
        { key: '5', label: 'Pear' },
        { key: '3', label: 'None' },
      ],
      nav: false,
      resumable: true,
    });
    expect(await d.input('5')).toEqual({ text: 'Picked pear Ann' });
    expect(d.state().status).toBe('done');

    const d2 = drive(c);
    expect(await d2.input('3')).toEqual({ text: 'Picked nothing Ann' });
    expect(d2.state().context.data).toEqual({ name: 'Ann' });
  });

  it('shows "Invalid choice." above a menu after an unknown key, and clears it after a valid one', async () => {
    const c = compileMenu(
      def(
        {
          home: m.menu({ text: 'Home', options: [{ label: 'Go', next: 'two' }] }),
          two: m.menu({ text: 'Two', options: [{ label: 'Back', next: 'home' }] }),
        },
        { languages: ['en', 'sw'], initialContext: () => ({ lang: 'sw' }) },
      ),
      { keys },
    );
    const d = drive(c);
    expect((await d.input('9'))?.text).toBe('Chaguo si sahihi.\nHome');
    expect((await d.input('7'))?.text).toBe('Chaguo si sahihi.\nHome');
    expect(d.state().value).toBe('home');
    expect((await d.input('1'))?.text).toBe('Two');
    expect(d.state().context.error).toBeNull();
  });

  it('computes options from the context and the session, routing to the declared targets', async () => {
    const c = compileMenu(
      def(
        {
          home: m.menu({
            text: 'Pick',
            options: (ctx, s) => [
              { label: `For ${s.serviceCode}`, next: 'b' },
              { key: 'x', label: 'A', next: 'a', set: () => ({ picked: `x-${ctx.name}` }) },
            ],
            targets: ['a', 'b'],
          }),
          a: m.end({ text: (ctx) => `A ${ctx.picked}` }),
          b: m.end({ text: 'B' }),
        },
        { initialContext: () => ({ name: 'n' }) },
      ),
      { keys },
    );
    const d = drive(c);
    expect(d.screen()?.options).toEqual([
      { key: '1', label: 'For *384#' },
      { key: 'x', label: 'A' },
    ]);
    expect(await d.input('x')).toEqual({ text: 'A x-n' });
    expect(await drive(c).input('1')).toEqual({ text: 'B' });
  });

  it('routes computed options to any screen when no targets are declared', async () => {
    const c = compileMenu(
      def({
        home: m.menu({ text: 'Pick', options: () => [{ label: 'Z', next: 'z' }] }),
        z: m.end({ text: 'Zed' }),
      }),
      { keys },
    );
    expect(await drive(c).input('1')).toEqual({ text: 'Zed' });
  });
});

describe('screens that lead back to themselves', () => {
  it('work out the same key afresh from the new context each time it is pressed', async () => {
    const c = compileMenu(
      def({
        home: m.menu({
          text: (ctx) => `Count ${ctx.amount ?? 0}`,
          options: (ctx) =>
            (ctx.amount ?? 0) < 2
              ? [{ label: 'Add', next: 'home', set: (x) => ({ amount: (x.amount ?? 0) + 1 }) }]
              : [{ label: 'Done', next: 'done' }],
          targets: ['home', 'done'],
        }),
        done: m.end({ text: (ctx) => `Done at ${ctx.amount}` }),
      }),
      { keys },
    );
    const d = drive(c);
    expect((await d.input('1'))?.text).toBe('Count 1');
    expect((await d.input('1'))?.text).toBe('Count 2');
    expect(await d.input('1')).toEqual({ text: 'Done at 2' });
  });

  it('save each answer of a prompt that asks again against the context it was given', async () => {
    const c = compileMenu(
      def({
        home: m.prompt({
          text: (ctx) => `Total ${ctx.amount ?? 0}`,
          schema: z.coerce.number(),
          save: (ctx, v) => ({ amount: (ctx.amount ?? 0) + v }),
          next: (_ctx, v) => (v === 0 ? 'done' : 'home'),
          targets: ['home', 'done'],
        }),
        done: m.end({ text: (ctx) => `Sum ${ctx.amount}` }),
      }),
      { keys },
    );
    const d = drive(c);
    expect((await d.input('5'))?.text).toBe('Total 5');
    expect((await d.input('5'))?.text).toBe('Total 10');
    expect(await d.input('0')).toEqual({ text: 'Sum 10' });
  });
});

describe('compiled prompts', () => {
  const amountMenu = (extra: object = {}) =>
    compileMenu(
      def({
        home: m.prompt({
          text: 'Amount?',
          schema: z.coerce.number().int().positive(),
          save: (ctx, amount) => ({ amount, name: ctx.name }),
          next: 'done',
          resumable: true,
          ...extra,
        }),
        done: m.end({ text: (ctx) => `Paid ${ctx.amount}` }),
      }),
      { keys },
    );

  it('saves a valid answer and goes on, rendering nav and resumable', async () => {
    const d = drive(amountMenu({ nav: false }));
    expect(d.screen()).toEqual({ text: 'Amount?', nav: false, resumable: true });
    expect(await d.input('25')).toEqual({ text: 'Paid 25' });
  });

  it('allows three attempts by default, then ends with the default message', async () => {
    const d = drive(amountMenu());
    expect((await d.input('x'))?.text).toBe('Invalid choice.\nAmount?');
    expect(d.state().context.attempts).toBe(1);
    expect((await d.input('-1'))?.text).toBe('Invalid choice.\nAmount?');
    expect(d.state().context.attempts).toBe(2);
    expect(await d.input('y')).toEqual({ text: 'Too many invalid attempts. Please dial again.' });
    expect(d.state().status).toBe('done');
  });

  it('resets the attempts after a valid answer', async () => {
    const c = compileMenu(
      def({
        home: m.prompt({ text: 'One?', schema: z.literal('1'), next: 'two' }),
        two: m.prompt({ text: 'Two?', schema: z.literal('2'), next: 'done', maxAttempts: 2 }),
        done: m.end({ text: 'Done' }),
      }),
      { keys },
    );
    const d = drive(c);
    await d.input('x');
    await d.input('x');
    expect((await d.input('1'))?.text).toBe('Two?');
    expect(d.state().context).toMatchObject({ attempts: 0, error: null });
    expect((await d.input('x'))?.text).toBe('Invalid choice.\nTwo?');
    expect(await d.input('x')).toEqual({ text: 'Too many invalid attempts. Please dial again.' });
  });

  it('uses its own invalid text, attempt count and closing text', async () => {
    const d = drive(
      amountMenu({ invalid: (ctx: Ctx) => `Bad${ctx.amount ?? ''}`, maxAttempts: 2, tooManyAttempts: 'Bye now' }),
    );
    expect((await d.input('x'))?.text).toBe('Bad\nAmount?');
    expect(await d.input('x')).toEqual({ text: 'Bye now' });
  });

  it('ends at once when only one attempt is allowed', async () => {
    const d = drive(amountMenu({ maxAttempts: 1 }));
    expect(await d.input('x')).toEqual({ text: 'Too many invalid attempts. Please dial again.' });
  });

  it('goes where a computed `next` says, keeping the context when nothing is saved', async () => {
    const c = compileMenu(
      def(
        {
          home: m.prompt({
            text: 'Code?',
            schema: z.string(),
            next: (_ctx, v) => (v === 'a' ? 'a' : 'b'),
            targets: ['a', 'b'],
          }),
          a: m.end({ text: 'A' }),
          b: m.end({ text: (ctx) => `B ${ctx.name}` }),
        },
        { initialContext: () => ({ name: 'kept' }) },
      ),
      { keys },
    );
    expect(await drive(c).input('a')).toEqual({ text: 'A' });
    expect(await drive(c).input('q')).toEqual({ text: 'B kept' });
  });
});

describe('compiled steps', () => {
  it('runs with the services, the session and a signal, merges `set`, and resets the error', async () => {
    const seen: unknown[] = [];
    const c = compileMenu(
      def({
        home: m.prompt({ text: 'Name?', schema: z.string().min(2), save: (_c, name) => ({ name }), next: 'look' }),
        look: m.step({
          run: (ctx, tools) => {
            seen.push(tools.session.phoneNumber, tools.signal instanceof AbortSignal);
            return { next: 'shown', set: { tag: tools.services.lookup(ctx.name!) } };
          },
          targets: ['shown'],
        }),
        shown: m.end({ text: (ctx) => `${ctx.name}: ${ctx.tag}` }),
      }),
      { keys, services: { lookup: (n) => n.toUpperCase() } },
    );
    const d = drive(c);
    await d.input('x');
    expect(await d.input('ann')).toEqual({ text: 'ann: ANN' });
    expect(seen).toEqual(['+254711000111', true]);
    expect(d.state().context).toMatchObject({ error: null, attempts: 0, data: { name: 'ann', tag: 'ANN' } });
  });

  it('takes a bare screen name as the result and keeps the context', async () => {
    const c = compileMenu(
      def(
        {
          home: m.step({ run: async () => 'shown' }),
          shown: m.end({ text: (ctx) => `Shown ${ctx.name}` }),
        },
        { initialContext: () => ({ name: 'z' }) },
      ),
      { keys },
    );
    const d = drive(c);
    await waitFor(d.actor, (s) => s.status === 'done');
    expect(d.screen()).toEqual({ text: 'Shown z' });
  });

  it('goes to onError when run throws or names an unknown screen, and fails without onError', async () => {
    const failing = (run: () => string, onError?: string) =>
      compileMenu(
        def({
          home: m.step({ run, onError }),
          sorry: m.end({ text: 'Sorry' }),
        }),
        { keys },
      );
    const thrown = drive(
      failing(() => {
        throw new Error('down');
      }, 'sorry'),
    );
    await waitFor(thrown.actor, (s) => s.status !== 'active');
    expect(thrown.screen()).toEqual({ text: 'Sorry' });

    const unknown = drive(failing(() => 'elsewhere', 'sorry'));
    await waitFor(unknown.actor, (s) => s.status !== 'active');
    expect(unknown.screen()).toEqual({ text: 'Sorry' });

    const bare = createActor(failing(() => 'elsewhere').machine, { input: { session } });
    bare.subscribe({ error: () => {} });
    bare.start();
    const failure = await waitFor(bare, (s) => s.status !== 'active').then(
      () => null,
      (e: unknown) => e,
    );
    expect(bare.getSnapshot().status).toBe('error');
    expect(failure).toMatchObject({ code: 'MENU_RUNTIME', message: 'step "home" returned unknown screen "elsewhere"' });
  });
});
