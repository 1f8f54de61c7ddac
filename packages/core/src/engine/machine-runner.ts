import { type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine, createActor } from 'xstate';
import { UssdError } from '../errors.js';
import { reply, type UssdReply } from '../gateways/turn.js';
import { limitFor, type ScreenLimits } from '../menu/budget.js';
import type { NavigationKeys, NavigationLabels, Screen } from '../menu/screen.js';
import type { SessionInfo } from '../menu/text.js';
import type { Logger } from '../ports/logger.js';
import { firstScreen, type History, previousScreen, pushScreen, rebaseHistory } from './history.js';
import { isSettled, pagesOf, screenOf } from './render.js';
import { type PersistedSnapshot, withoutSession, withSession } from './snapshot-delta.js';

/** Where a session rests: its machine snapshot, earlier screens for `0` back (newest last), and its page. */
export interface SessionState {
  snapshot: PersistedSnapshot;
  history: History;
  page: number;
}

/** One turn's outcome: the new state, the reply, and what the resume logic needs to know. */
export interface Run {
  state: SessionState;
  result: UssdReply;
  resumable: boolean;
  context: unknown;
  /** The actor still running on `state.snapshot`, to be kept for the session's next turn; absent once done. */
  actor?: AnyActorRef | undefined;
}

export interface MachineRunnerOptions {
  machine: AnyStateMachine;
  machineId: string;
  keys: NavigationKeys;
  limits: ScreenLimits;
  /** A gateway's own cap on screen length, applied on top of the network limit. */
  gatewayLimit: number;
  historyDepth: number;
  labels: (context: unknown) => NavigationLabels;
  logger: Logger;
}

/**
 * Runs one input on a restored machine: engine navigation (pages, back, home) first, then the machine's own
 * transition, waiting under the turn's signal until it rests on a screen, finishes or fails.
 */
export function createMachineRunner(o: MachineRunnerOptions) {
  const { keys } = o;

  function restore(snapshot: PersistedSnapshot, session: SessionInfo): AnyActorRef {
    const actor = createActor(o.machine, { snapshot: withSession(snapshot, session) as any, input: { session } });
    actor.start();
    return actor;
  }

  async function start(session: SessionInfo, signal: AbortSignal): Promise<Run> {
    const actor = createActor(o.machine, { input: { session } });
    actor.start();
    return settleAndRender(actor, { history: [], page: 0 }, session, signal);
  }

  async function applyInput(
    session: SessionInfo,
    state: SessionState,
    input: string,
    signal: AbortSignal,
    live?: AnyActorRef | undefined,
  ): Promise<Run> {
    // A live actor kept from the session's last turn stands exactly on `state.snapshot`: no restore needed.
    const actor = live ?? restore(state.snapshot, session);
    const snap = actor.getSnapshot();
    const isNavKey = input === keys.more || input === keys.back || input === keys.home;
    const screen = isNavKey ? screenOf(snap) : undefined;
    if (screen && screen.nav !== false && snap.status === 'active') {
      if (input === keys.more && state.page < paged(screen, session, 'CON ', snap.context).length - 1)
        return rendered(actor, { ...state, page: state.page + 1 }, session);
      if (input === keys.back && state.page > 0) return rendered(actor, { ...state, page: state.page - 1 }, session);
      if (input === keys.back || input === keys.home) {
        actor.stop();
        const current = withoutSession(state.snapshot);
        const target =
          input === keys.home ? firstScreen(state.history, current) : previousScreen(state.history, current);
        if (!target) return rendered(restore(state.snapshot, session), { ...state, page: 0 }, session);
        const history = input === keys.home ? [] : state.history.slice(0, -1);
        return rendered(restore(target, session), { history, page: 0 }, session);
      }
    }
    const before = JSON.stringify(snap.value);
    actor.send({ type: 'INPUT', value: input });
    const run = await settleAndRender(actor, { history: state.history, page: 0 }, session, signal);
    // An ended session keeps no history.
    if (run.result.type === 'END') return run;
    const left = withoutSession(state.snapshot);
    const now = withoutSession(run.state.snapshot);
    // Only a move to another screen is a step `0` can undo; a re-prompt on the same screen is not, but the newest
    // earlier screen is kept as a difference from this one, so it follows the change.
    const history =
      JSON.stringify(now.value) === before
        ? rebaseHistory(state.history, left, now)
        : pushScreen(state.history, left, now, o.historyDepth);
    return { ...run, state: { ...run.state, history } };
  }

  /** Renders a saved state as it stands, optionally with a notice above its screen. */
  function show(state: SessionState, session: SessionInfo, notice?: string): Run {
    return rendered(
      restore(state.snapshot, session),
      { history: state.history, page: state.page },
      session,
      undefined,
      notice,
    );
  }

  async function settleAndRender(
    actor: AnyActorRef,
    partial: Omit<SessionState, 'snapshot'>,
    session: SessionInfo,
    signal: AbortSignal,
  ): Promise<Run> {
    // Most turns settle synchronously (a menu choice, a prompt): no listener, no subscription.
    const now = actor.getSnapshot();
    const settled = isSettled(now) ? now : await waitSettled(actor, signal);
    if (settled.status === 'error') {
      actor.stop();
      throw new UssdError('MENU_RUNTIME', 'menu machine failed', { cause: settled.error });
    }
    return rendered(actor, partial, session, settled);
  }

  function waitSettled(actor: AnyActorRef, signal: AbortSignal): Promise<AnyMachineSnapshot> {
    return new Promise<AnyMachineSnapshot>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const check = (s: AnyMachineSnapshot) => {
        if (!isSettled(s)) return;
        signal.removeEventListener('abort', onAbort);
        sub?.unsubscribe();
        resolve(s);
      };
      const sub = actor.subscribe({ next: check, error: () => check(actor.getSnapshot()) });
      check(actor.getSnapshot());
    }).finally(() => {
      if (signal.aborted) actor.stop();
    });
  }

  function rendered(
    actor: AnyActorRef,
    partial: Omit<SessionState, 'snapshot'>,
    session: SessionInfo,
    snap: AnyMachineSnapshot = actor.getSnapshot(),
    notice?: string,
  ): Run {
    const done = snap.status === 'done';
    const base: Screen | undefined = screenOf(snap);
    const screen = base && notice ? { ...base, text: `${notice}\n${base.text}` } : base;
    const snapshot = actor.getPersistedSnapshot() as PersistedSnapshot;
    if (done || !screen) actor.stop();
    if (!screen) throw new UssdError('MENU_RUNTIME', 'machine settled on a state without a screen');
    const pages = paged(screen, session, done ? 'END ' : 'CON ', snap.context);
    const page = Math.min(partial.page, pages.length - 1);
    return {
      state: { snapshot, history: partial.history, page },
      result: reply(done ? 'END' : 'CON', pages[page] ?? ''),
      resumable: !done && screen.resumable === true,
      context: snap.context,
      actor: done ? undefined : actor,
    };
  }

  function paged(screen: Screen, session: SessionInfo, prefix: 'CON ' | 'END ', context: unknown): string[] {
    const { pages, truncated } = pagesOf(screen, {
      prefix,
      septetLimit: Math.min(limitFor(o.limits, session.networkCode), o.gatewayLimit),
      keys,
      labels: o.labels(context),
      nav: screen.nav !== false,
    });
    if (truncated)
      o.logger.warn({ machine: o.machineId, screen: screen.text.slice(0, 30) }, 'screen cut to fit the budget');
    return pages;
  }

  /** An engine-owned screen (the resume offer) through the same pagination and budget as the menu's own. */
  function render(screen: Screen, session: SessionInfo, context: unknown): UssdReply {
    return reply('CON', paged(screen, session, 'CON ', context)[0] ?? '');
  }

  return { start, applyInput, show, render };
}

export type MachineRunner = ReturnType<typeof createMachineRunner>;
