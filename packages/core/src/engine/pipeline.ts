import type { AnyActorRef } from 'xstate';
import { parseReply, reply, type UssdReply, type UssdTurn } from '../gateways/turn.js';
import type { MenuMessages } from '../menu/dsl.js';
import type { Localized, SessionInfo } from '../menu/text.js';
import type { Envelope, ResumePoint } from './envelope.js';
import type { MachineRunner, Run } from './machine-runner.js';
import { type Plan, pathHop, plan, type TurnLimits } from './plan.js';
import type { ResumeChange, SessionRepository } from './session-repository.js';
import { withoutSession } from './snapshot-delta.js';

/** Engine-owned END texts, chosen in one place ({@link TurnPipeline.apology}). */
export interface EngineMessages {
  /** END text when the turn deadline passes. */
  timeout: Localized;
  /** END text when menu code fails. */
  error: Localized;
  /** Shown above home when a saved session could not be used. */
  restarted: Localized;
  /** END text for a request past the work limits (a hostile deep dial, an endless path). */
  capped: Localized;
}

export const defaultEngineMessages: EngineMessages = {
  timeout: {
    en: 'Sorry, this is taking too long. Please dial again shortly.',
    sw: 'Samahani, imechelewa. Tafadhali piga tena baadaye.',
  },
  error: {
    en: 'Sorry, something went wrong. Please dial again.',
    sw: 'Samahani, hitilafu imetokea. Tafadhali piga tena.',
  },
  restarted: { en: 'Your session was restarted.', sw: 'Kipindi kimeanza upya.' },
  capped: {
    en: 'Sorry, that request is too long. Please dial again.',
    sw: 'Samahani, ombi hilo ni refu mno. Tafadhali piga tena.',
  },
};

/** Replies of earlier hops kept in the envelope for stale re-sends. */
const EARLIER_HOPS = 3;

/**
 * One turn as three parts: {@link plan} decides from the request and the saved session alone; `execute` runs
 * the machine when the plan says so; `commit` writes the outcome through the session repository, once.
 */
export function createTurnPipeline(o: {
  repo: SessionRepository;
  runner: MachineRunner;
  limits: TurnLimits;
  /** How long after a hop's answer an identical input is its retry, on gateways without hop numbers. */
  retryWindowMs: number;
  resumeEnabled: boolean;
  messages: EngineMessages;
  menuMessages: MenuMessages;
  text: (l: Localized, context: unknown) => string;
}) {
  const { repo, runner } = o;

  function apology(kind: 'timeout' | 'error' | 'capped', context: unknown): UssdReply {
    return reply('END', o.text(o.messages[kind], context));
  }

  /**
   * Plans and executes one turn under the session's lock; returns the reply and the plan it followed. `at` is
   * when the request arrived, before any wait for the lock.
   */
  async function run(
    turn: UssdTurn,
    key: string,
    signal: AbortSignal,
    at: number,
  ): Promise<{ reply: UssdReply; plan: Plan }> {
    let planned: Plan | undefined;
    try {
      const saved = await repo.load(key);
      planned = plan(turn, saved, o.limits, { at, windowMs: o.retryWindowMs });
      return { reply: await execute(turn, key, planned, signal, saved.live), plan: planned };
    } catch (err) {
      // Record the apology as this hop's answer: a gateway retry then replays it instead of re-running the hop.
      const body = apology(signal.aborted ? 'timeout' : 'error', undefined).body;
      const path = planned && 'path' in planned ? planned.path : turn.kind === 'path' ? turn.path : '';
      const ended = repo.make({ transcript: path, lastReply: body, ended: true, snapshot: {}, history: [], page: 0 });
      await repo.commit(key, ended, turn.phoneNumber, { kind: 'keep' }).catch(() => undefined);
      throw err;
    }
  }

  async function execute(
    turn: UssdTurn,
    key: string,
    p: Plan,
    signal: AbortSignal,
    live: AnyActorRef | undefined,
  ): Promise<UssdReply> {
    const session = sessionOf(turn);
    switch (p.kind) {
      case 'release':
        await repo.forget(key);
        return reply('END', '');
      case 'capped':
        return apology('capped', undefined);
      case 'replay':
      case 'stale':
        return parseReply(p.body);
      case 'resume-answer': {
        const offer = p.envelope.resume as ResumePoint;
        if (p.input === '1') {
          const state = { snapshot: offer.snapshot, history: offer.history, page: 0 };
          return commit(turn, key, p.path, p.envelope, runner.show(state, session), signal);
        }
        if (p.input === '2') return commit(turn, key, p.path, p.envelope, await runner.start(session, signal), signal);
        return commitOffer(turn, key, p.path, p.envelope, offer, session, true);
      }
      case 'apply': {
        const { snapshot, history, page } = p.envelope;
        const done = await runner.applyInput(session, { snapshot, history, page }, p.input, signal, live);
        return commit(turn, key, p.path, p.envelope, done, signal);
      }
      case 'start': {
        if (p.offerResume && o.resumeEnabled) {
          const point = await repo.takeResumePoint(turn.phoneNumber);
          if (point) return commitOffer(turn, key, p.path, undefined, point, session, false);
        }
        let done = await runner.start(session, signal);
        // Deep dial: `*384*123*2#` arrives with its inputs on the first hop; apply them in order.
        for (const input of p.inputs) {
          if (done.result.type === 'END') break;
          done = await runner.applyInput(session, done.state, input, signal, done.actor);
        }
        if (p.restarted) done = runner.show(done.state, session, o.text(o.messages.restarted, done.context));
        return commit(turn, key, p.path, undefined, done, signal);
      }
    }
  }

  /** Writes the session after a machine run: envelope, per-hop replies, resume point. */
  async function commit(
    turn: UssdTurn,
    key: string,
    path: string,
    prev: Envelope | undefined,
    done: Run,
    signal: AbortSignal,
  ): Promise<UssdReply> {
    const result = signal.aborted ? apology('timeout', done.context) : done.result;
    const ended = result.type === 'END';
    let resume: ResumeChange = { kind: 'keep' };
    let resumeSaved = false;
    if (o.resumeEnabled && !ended && done.resumable) {
      resume = { kind: 'save', point: { snapshot: withoutSession(done.state.snapshot), history: done.state.history } };
      resumeSaved = true;
    } else if (prev?.resumeSaved) {
      resume = { kind: 'clear' };
    }
    const envelope = repo.make({
      transcript: path,
      lastReply: result.body,
      ended,
      snapshot: withoutSession(done.state.snapshot),
      history: ended ? [] : done.state.history,
      page: done.state.page,
      ...hopFields(turn, prev),
      ...(resumeSaved ? { resumeSaved } : {}),
    });
    await repo.commit(key, envelope, turn.phoneNumber, resume, signal.aborted ? undefined : done.actor);
    if (signal.aborted) done.actor?.stop();
    return result;
  }

  /** Asks whether to continue a dropped session (again, with the invalid-choice line, after a wrong answer). */
  async function commitOffer(
    turn: UssdTurn,
    key: string,
    path: string,
    prev: Envelope | undefined,
    point: ResumePoint,
    session: SessionInfo,
    invalid: boolean,
  ): Promise<UssdReply> {
    const context = (point.snapshot as { context?: unknown }).context;
    const t = (l: Localized) => o.text(l, context);
    const screen = {
      text: invalid
        ? `${t(o.menuMessages.invalidChoice)}\n${t(o.menuMessages.resumePrompt)}`
        : t(o.menuMessages.resumePrompt),
      options: [
        { key: '1', label: t(o.menuMessages.resumeContinue) },
        { key: '2', label: t(o.menuMessages.resumeRestart) },
      ],
      nav: false,
    };
    const result = runner.render(screen, session, context);
    const envelope = repo.make({
      transcript: path,
      lastReply: result.body,
      ended: false,
      snapshot: {},
      history: [],
      page: 0,
      resume: point,
      ...hopFields(turn, prev),
    });
    await repo.commit(key, envelope, turn.phoneNumber, { kind: 'keep' });
    return result;
  }

  return { run, apology };
}

export type TurnPipeline = ReturnType<typeof createTurnPipeline>;

/**
 * The hop number applied now (or, without one, the input: what a retry repeats), and the previous hop's reply
 * added to the bounded record of earlier replies.
 */
function hopFields(turn: UssdTurn, prev: Envelope | undefined): Pick<Envelope, 'hop' | 'earlier' | 'input'> {
  if (turn.kind === 'latest' && turn.hop === undefined && turn.isNew !== true) return { input: turn.input };
  const hop = turn.kind === 'latest' ? turn.hop : undefined;
  const prevHop = !prev ? undefined : turn.kind === 'path' ? pathHop(prev.transcript) : prev.hop;
  if (prevHop === undefined) return hop === undefined ? {} : { hop };
  const earlier = [...(prev?.earlier ?? []).filter(([h]) => h !== prevHop), [prevHop, prev?.lastReply ?? '']];
  return {
    ...(hop === undefined ? {} : { hop }),
    earlier: earlier.slice(-EARLIER_HOPS) as [number, string][],
  };
}

function sessionOf(turn: UssdTurn): SessionInfo {
  return {
    sessionId: turn.sessionId,
    phoneNumber: turn.phoneNumber,
    serviceCode: turn.serviceCode,
    networkCode: turn.networkCode,
    provider: turn.provider,
  };
}
