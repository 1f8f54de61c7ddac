import { type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine, createActor } from 'xstate';
import { isUssdError, UssdError } from '../errors.js';
import { africasTalkingUssd } from '../gateways/africastalking.js';
import type { UssdCodec } from '../gateways/codec.js';
import { defaultScreenLimits, limitFor, type ScreenLimits } from '../menu/budget.js';
import { type CompiledMenu, compileMenu } from '../menu/compile.js';
import { defaultMessages, type MenuDefinition, type MenuMessages } from '../menu/dsl.js';
import { defaultNavigationKeys, type NavigationKeys, type Screen } from '../menu/screen.js';
import { type Localized, pickLanguage, type SessionInfo } from '../menu/text.js';
import type { Logger } from '../ports/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import { memorySessionStore } from '../stores/memory.js';
import { jsonLogger } from '../util/logger.js';
import { maskPhone } from '../util/mask.js';
import { decodeEnvelope, ENVELOPE_VERSION, type Envelope, type PersistedSnapshot } from './envelope.js';
import { createSessionLocks } from './lock.js';
import { isSettled, pagesOf, screenOf } from './render.js';
import { checkStaticBudgets } from './static-budget.js';
import { reply, type UssdReply, type UssdTurn } from './turn.js';

/** A hand-written XState machine that follows the screen contract (see `menu/screen.ts`). */
export interface MachineMenu {
  machine: AnyStateMachine;
  id: string;
  version: string | number;
  /** Language of a machine context, for engine texts. Default: `context.lang`, else `en`. */
  languageOf?: ((context: unknown) => string) | undefined;
}

export interface EngineMessages {
  /** END text when the turn deadline passes. */
  timeout: Localized;
  /** END text when menu code fails. */
  error: Localized;
  /** Shown above home when a saved session could not be used. */
  restarted: Localized;
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
};

export interface UssdAppOptions<S> {
  menu: MenuDefinition<any, S> | MachineMenu;
  /** Injected into every step of a DSL menu. */
  services?: S | undefined;
  store?: SessionStore | undefined;
  codec?: UssdCodec | undefined;
  logger?: Logger | undefined;
  /** Per turn, lock wait included. Default 8000 ms (gateways give up at 10 s). */
  turnTimeoutMs?: number | undefined;
  /** Default 300 s: longer than the 180 s a network keeps a session. */
  sessionTtlSeconds?: number | undefined;
  keys?: Partial<NavigationKeys> | undefined;
  screenLimits?: Partial<ScreenLimits> | undefined;
  messages?: Partial<EngineMessages> | undefined;
  /** Offer to continue a dropped session on redial. Default on for 300 s; `false` turns it off. */
  resume?: { ttlSeconds?: number | undefined } | false | undefined;
  /** Screens kept for `0` back. Default 10. */
  historyDepth?: number | undefined;
  /**
   * Gateway addresses allowed to call (exact IPv4/IPv6 strings). Gateways sign nothing, so an allow-list and an
   * unguessable callback path are the protection there is. Default: anyone.
   */
  allowedIps?: readonly string[] | undefined;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface UssdApp {
  /** Runs one turn. Never throws for menu bugs or timeouts: those become an END screen. */
  handle(turn: UssdTurn): Promise<UssdReply>;
  /** Parses a raw gateway request and answers it: what adapters call. Never throws. */
  handleHttp(request: { body: unknown; remoteAddress?: string | undefined }): Promise<HttpAnswer>;
  readonly menu: CompiledMenu | undefined;
  readonly machineId: string;
  readonly machineVersion: string;
  readonly store: SessionStore;
  /** The saved state of a session, for tests and tools: its envelope and the active state value. */
  inspect(sessionId: string, provider?: string): Promise<{ envelope: Envelope; value: unknown } | undefined>;
  dispose(): Promise<void>;
}

interface State {
  snapshot: PersistedSnapshot;
  history: PersistedSnapshot[];
  page: number;
}

export function createUssdApp<S>(options: UssdAppOptions<S>): UssdApp {
  const keys = { ...defaultNavigationKeys, ...options.keys };
  const limits: ScreenLimits = {
    default: options.screenLimits?.default ?? defaultScreenLimits.default,
    byNetwork: { ...defaultScreenLimits.byNetwork, ...options.screenLimits?.byNetwork },
  };
  const compiled =
    'machine' in options.menu ? undefined : compileMenu(options.menu, { services: options.services, keys });
  const codec: UssdCodec = options.codec ?? africasTalkingUssd;
  if (compiled) checkStaticBudgets(compiled, limits, keys, codec.screenLimit);
  const machine = compiled?.machine ?? (options.menu as MachineMenu).machine;
  const machineId = compiled?.id ?? (options.menu as MachineMenu).id;
  const machineVersion = compiled?.version ?? String((options.menu as MachineMenu).version);
  const languageOf =
    compiled?.languageOf ??
    (options.menu as MachineMenu).languageOf ??
    ((c: unknown) => ((c as { lang?: string } | null)?.lang as string | undefined) ?? 'en');
  const menuMessages: MenuMessages = compiled?.messages ?? defaultMessages;
  const messages: EngineMessages = { ...defaultEngineMessages, ...options.messages };
  const store = options.store ?? memorySessionStore();
  const logger = options.logger ?? jsonLogger({ name: 'rolax-ussd' });
  const turnTimeoutMs = options.turnTimeoutMs ?? 8000;
  const ttl = options.sessionTtlSeconds ?? 300;
  const resumeTtl = options.resume === false ? 0 : (options.resume?.ttlSeconds ?? 300);
  const historyDepth = options.historyDepth ?? 10;
  const locks = createSessionLocks(store);
  const sessionKey = (turn: UssdTurn) => `ussd:${machineId}:${turn.provider}:${turn.sessionId}`;
  const resumeKey = (turn: UssdTurn) => `resume:${machineId}:${turn.phoneNumber}`;

  async function handle(turn: UssdTurn): Promise<UssdReply> {
    const controller = new AbortController();
    const started = Date.now();
    const deadline = started + turnTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new UssdError('TURN_TIMEOUT', `turn exceeded ${turnTimeoutMs} ms`));
        resolve('expired');
      }, turnTimeoutMs);
    });
    const key = sessionKey(turn);
    const work = locks.run(key, { leaseMs: turnTimeoutMs + 2000, deadline, signal: controller.signal }, () =>
      runTurn(turn, key, controller.signal),
    );
    try {
      const outcome = await Promise.race([work, expired]);
      if (outcome !== 'expired') return outcome;
      logger.warn({ phone: maskPhone(turn.phoneNumber), session: turn.sessionId, ms: turnTimeoutMs }, 'turn timed out');
      // The late work sees the aborted signal and records the apology instead of its own screen.
      work.catch(() => undefined);
      return reply('END', text(messages.timeout, undefined));
    } catch (err) {
      logFailure(turn, err);
      return reply('END', text(messages.error, undefined));
    } finally {
      clearTimeout(timer);
    }
  }

  function logFailure(turn: UssdTurn, err: unknown) {
    const code = isUssdError(err) ? err.code : 'MENU_RUNTIME';
    const cause = isUssdError(err) && err.cause instanceof Error ? err.cause : err;
    logger.error(
      {
        code,
        phone: maskPhone(turn.phoneNumber),
        session: turn.sessionId,
        err: cause instanceof Error ? { message: cause.message, stack: cause.stack } : String(cause),
      },
      'USSD turn failed',
    );
  }

  async function runTurn(turn: UssdTurn, key: string, signal: AbortSignal): Promise<UssdReply> {
    try {
      return await applyTurn(turn, key, signal);
    } catch (err) {
      // Record the apology as this hop's answer: a gateway retry then replays it instead of re-running the hop.
      const apology = reply('END', text(signal.aborted ? messages.timeout : messages.error, undefined));
      await save(key, endedEnvelope(turn.path ?? '', apology)).catch(() => undefined);
      throw err;
    }
  }

  function endedEnvelope(path: string, r: UssdReply): Envelope {
    return {
      v: ENVELOPE_VERSION,
      machineId,
      machineVersion,
      transcript: path,
      lastReply: r.body,
      ended: true,
      snapshot: {},
      history: [],
      page: 0,
      updatedAt: Date.now(),
    };
  }

  async function applyTurn(turn: UssdTurn, key: string, signal: AbortSignal): Promise<UssdReply> {
    const session: SessionInfo = {
      sessionId: turn.sessionId,
      phoneNumber: turn.phoneNumber,
      serviceCode: turn.serviceCode,
      networkCode: turn.networkCode,
      provider: turn.provider,
    };
    if (turn.release) {
      // The gateway says the customer left: forget the session now instead of at its TTL.
      recent.delete(key);
      await store.delete(key);
      return reply('END', '');
    }
    const loaded = load(key, await store.get(key));
    // Path gateways (Africa's Talking) send the whole path; others send the latest input and the engine keeps
    // the path. A new session's path holds deep-dial inputs either way.
    const latestOnly = turn.path === undefined;

    if (loaded.kind === 'ok') {
      const env = loaded.envelope;
      const retry = latestOnly
        ? turn.isNew === true ||
          (turn.sequence !== undefined && env.sequence !== undefined && turn.sequence <= env.sequence)
        : turn.path === env.transcript;
      // A retried request, or anything after END: answer what was answered, run nothing.
      if (retry || env.ended) return parseStored(env.lastReply);
      const input = latestOnly ? (turn.input ?? '') : nextInput(env.transcript, turn.path ?? '', turn);
      const path = latestOnly ? (env.transcript === '' ? input : `${env.transcript}*${input}`) : (turn.path ?? '');
      if (env.resume) return answerResume(turn, key, session, env, input, path, signal);
      const run = await applyInput(
        turn,
        session,
        { snapshot: env.snapshot, history: env.history, page: env.page },
        input,
        signal,
      );
      return persist(turn, key, path, run, signal, env);
    }

    // A latest-input gateway's first request carries deep-dial extras; a later one whose session is gone
    // (released, expired) starts at home rather than applying its input there.
    const path = (latestOnly ? (turn.isNew === false ? '' : turn.input) : turn.path) ?? '';
    if (loaded.kind === 'invalid') {
      logger.info({ session: turn.sessionId, reason: loaded.reason }, 'saved session unusable, restarting');
    }
    if (loaded.kind === 'none' && path === '' && resumeTtl > 0) {
      const saved = await store.get(resumeKey(turn));
      if (saved) return offerResume(turn, key, saved, signal);
    }
    let run = await start(session, signal);
    // Deep dial: `*384*123*2#` arrives as text "2" on the first hop; apply each input in order.
    if (loaded.kind === 'none' && path !== '') {
      for (const input of path.split('*')) {
        if (run.result.type === 'END') break;
        run = await applyInput(turn, session, run.state, input, signal);
      }
    }
    if (loaded.kind === 'invalid') run = withNotice(run, text(messages.restarted, run.context), session);
    return persist(turn, key, path, run, signal, undefined);
  }

  async function start(session: SessionInfo, signal: AbortSignal): Promise<Run> {
    const actor = createActor(machine, { input: { session } });
    actor.start();
    return settleAndRender(actor, { history: [], page: 0 }, session, signal);
  }

  async function applyInput(
    turn: UssdTurn,
    session: SessionInfo,
    state: State,
    input: string,
    signal: AbortSignal,
  ): Promise<Run> {
    const actor = restore(state.snapshot, session);
    const snap = actor.getSnapshot();
    const isNavKey = input === keys.more || input === keys.back || input === keys.home;
    const screen = isNavKey ? screenOf(snap) : undefined;
    if (screen && screen.nav !== false && snap.status === 'active') {
      if (input === keys.more && state.page < paged(screen, turn, 'CON ', snap.context).length - 1)
        return rendered(actor, { ...state, page: state.page + 1 }, session);
      if (input === keys.back && state.page > 0) return rendered(actor, { ...state, page: state.page - 1 }, session);
      if (input === keys.back || input === keys.home) {
        actor.stop();
        const target = input === keys.home ? state.history[0] : state.history[state.history.length - 1];
        if (!target) return rendered(restore(state.snapshot, session), { ...state, page: 0 }, session);
        const history = input === keys.home ? [] : state.history.slice(0, -1);
        return rendered(restore(target, session), { history, page: 0 }, session);
      }
    }
    const before = JSON.stringify(snap.value);
    actor.send({ type: 'INPUT', value: input });
    const run = await settleAndRender(actor, { history: state.history, page: 0 }, session, signal);
    // Only a move to another screen is a step `0` can undo; a re-prompt on the same screen is not.
    if (JSON.stringify(run.state.snapshot.value) === before) return run;
    return { ...run, state: { ...run.state, history: [...state.history, state.snapshot].slice(-historyDepth) } };
  }

  function restore(snapshot: PersistedSnapshot, session: SessionInfo): AnyActorRef {
    const actor = createActor(machine, { snapshot: snapshot as any, input: { session } });
    actor.start();
    return actor;
  }

  async function settleAndRender(
    actor: AnyActorRef,
    partial: Omit<State, 'snapshot'>,
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

  /** Re-renders a run with a notice above its screen, paginated like any other text. */
  function withNotice(run: Run, notice: string, session: SessionInfo): Run {
    return rendered(
      restore(run.state.snapshot, session),
      { history: run.state.history, page: 0 },
      session,
      undefined,
      notice,
    );
  }

  function rendered(
    actor: AnyActorRef,
    partial: Omit<State, 'snapshot'>,
    session: SessionInfo,
    snap: AnyMachineSnapshot = actor.getSnapshot(),
    notice?: string,
  ): Run {
    const done = snap.status === 'done';
    const base: Screen | undefined = screenOf(snap);
    const screen = base && notice ? { ...base, text: `${notice}\n${base.text}` } : base;
    const snapshot = actor.getPersistedSnapshot() as PersistedSnapshot;
    actor.stop();
    if (!screen) throw new UssdError('MENU_RUNTIME', 'machine settled on a state without a screen');
    const turnLike = { networkCode: session.networkCode } as UssdTurn;
    const pages = paged(screen, turnLike, done ? 'END ' : 'CON ', snap.context);
    const page = Math.min(partial.page, pages.length - 1);
    return {
      state: { snapshot, history: partial.history, page },
      result: reply(done ? 'END' : 'CON', pages[page] ?? ''),
      resumable: !done && screen.resumable === true,
      context: snap.context,
    };
  }

  function paged(screen: Screen, turn: UssdTurn, prefix: 'CON ' | 'END ', context: unknown): string[] {
    const { pages, truncated } = pagesOf(screen, {
      prefix,
      septetLimit: Math.min(limitFor(limits, turn.networkCode), codec.screenLimit ?? Number.POSITIVE_INFINITY),
      keys,
      labels: { more: text(menuMessages.more, context), back: text(menuMessages.back, context) },
      nav: screen.nav !== false,
    });
    if (truncated)
      logger.warn({ machine: machineId, screen: screen.text.slice(0, 30) }, 'screen cut to fit the budget');
    return pages;
  }

  // The last envelope each session wrote, parsed: a store that hands back the same string skips parse and zod.
  const recent = new Map<string, { raw: string; envelope: Envelope }>();
  const RECENT_MAX = 10_000;

  function load(key: string, raw: string | null) {
    const hit = raw === null ? undefined : recent.get(key);
    if (hit && hit.raw === raw) return { kind: 'ok' as const, envelope: hit.envelope };
    return decodeEnvelope(raw, machineId, machineVersion);
  }

  async function save(key: string, env: Envelope) {
    const raw = JSON.stringify(env);
    await store.set(key, raw, ttl);
    recent.delete(key);
    if (env.ended) return;
    recent.set(key, { raw, envelope: env });
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
  }

  async function persist(
    turn: UssdTurn,
    key: string,
    path: string,
    run: Run,
    signal: AbortSignal,
    prev: Envelope | undefined,
  ) {
    const timedOut = signal.aborted;
    const result = timedOut ? reply('END', text(messages.timeout, run.context)) : run.result;
    const ended = result.type === 'END';
    const env: Envelope = {
      v: ENVELOPE_VERSION,
      machineId,
      machineVersion,
      transcript: path,
      lastReply: result.body,
      ended,
      snapshot: run.state.snapshot,
      history: ended ? [] : run.state.history,
      page: run.state.page,
      sequence: turn.sequence,
      updatedAt: Date.now(),
    };
    if (resumeTtl > 0) {
      if (!ended && run.resumable) {
        const saved = { snapshot: run.state.snapshot, history: run.state.history };
        await store.set(resumeKey(turn), JSON.stringify(saved), resumeTtl);
        env.resumeSaved = true;
      } else if (prev?.resumeSaved) {
        await store.delete(resumeKey(turn));
      }
    }
    await save(key, env);
    return result;
  }

  async function offerResume(turn: UssdTurn, key: string, saved: string, signal: AbortSignal): Promise<UssdReply> {
    await store.delete(resumeKey(turn));
    let parsed: { snapshot: PersistedSnapshot; history: PersistedSnapshot[] };
    let context: unknown;
    try {
      parsed = JSON.parse(saved);
      context = (parsed.snapshot as { context?: unknown }).context;
    } catch {
      const run = await start(sessionOf(turn), signal);
      return persist(turn, key, '', run, signal, undefined);
    }
    const body = resumeScreen(context);
    const env: Envelope = {
      v: ENVELOPE_VERSION,
      machineId,
      machineVersion,
      transcript: '',
      lastReply: body.body,
      ended: false,
      snapshot: {},
      history: [],
      page: 0,
      resume: { snapshot: parsed.snapshot, history: parsed.history ?? [] },
      updatedAt: Date.now(),
    };
    await save(key, env);
    return body;
  }

  function resumeScreen(context: unknown, error?: string): UssdReply {
    const t = (l: Localized) => text(l, context);
    const lines = [
      error,
      t(menuMessages.resumePrompt),
      `1. ${t(menuMessages.resumeContinue)}`,
      `2. ${t(menuMessages.resumeRestart)}`,
    ];
    return reply('CON', lines.filter(Boolean).join('\n'));
  }

  async function answerResume(
    turn: UssdTurn,
    key: string,
    session: SessionInfo,
    env: Envelope,
    input: string,
    path: string,
    signal: AbortSignal,
  ): Promise<UssdReply> {
    const offer = env.resume!;
    let run: Run;
    if (input === '1') {
      const snapshot = withSession(offer.snapshot, session);
      run = rendered(
        restore(snapshot, session),
        { history: offer.history.map((h) => withSession(h, session)), page: 0 },
        session,
      );
    } else if (input === '2') {
      run = await start(session, signal);
    } else {
      const context = (offer.snapshot as { context?: unknown }).context;
      const again = resumeScreen(context, text(menuMessages.invalidChoice, context));
      await save(key, {
        ...env,
        transcript: path,
        lastReply: again.body,
        sequence: turn.sequence,
        updatedAt: Date.now(),
      });
      return again;
    }
    return persist(turn, key, path, run, signal, undefined);
  }

  function text(l: Localized, context: unknown): string {
    const lang = context === undefined ? undefined : languageOf(context);
    return pickLanguage(l, lang, compiled?.languages[0] ?? 'en');
  }

  function nextInput(transcript: string, path: string, turn: UssdTurn): string {
    if (transcript === '') return path;
    if (path.startsWith(`${transcript}*`)) return path.slice(transcript.length + 1);
    // The gateway's path does not extend ours; the last segment is the best guess left.
    logger.warn(
      { session: turn.sessionId, phone: maskPhone(turn.phoneNumber) },
      'input path does not extend the transcript',
    );
    return path.split('*').pop() ?? '';
  }

  const allowed = options.allowedIps ? new Set(options.allowedIps.map(normalizeIp)) : undefined;

  async function handleHttp(request: { body: unknown; remoteAddress?: string | undefined }): Promise<HttpAnswer> {
    if (allowed && !allowed.has(normalizeIp(request.remoteAddress ?? ''))) {
      logger.warn({ ip: request.remoteAddress }, 'USSD callback from an address not on the allow-list');
      return { status: 403, contentType: 'text/plain; charset=utf-8', body: 'caller not allowed' };
    }
    let turn: UssdTurn;
    try {
      turn = codec.parse(request.body);
    } catch (err) {
      const message = isUssdError(err) ? err.message : 'invalid USSD request';
      return { status: 400, contentType: 'text/plain; charset=utf-8', body: message };
    }
    const r = await handle(turn);
    return { status: 200, contentType: codec.contentType, body: codec.format(r, turn) };
  }

  return {
    handle,
    handleHttp,
    menu: compiled,
    machineId,
    machineVersion,
    store,
    async inspect(sessionId, provider = codec.name) {
      const loaded = decodeEnvelope(
        await store.get(sessionKey({ provider, sessionId } as UssdTurn)),
        machineId,
        machineVersion,
      );
      if (loaded.kind !== 'ok') return undefined;
      return { envelope: loaded.envelope, value: loaded.envelope.snapshot.value };
    },
    async dispose() {
      await store.dispose?.();
    },
  };
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function parseStored(body: string): UssdReply {
  return body.startsWith('END ') ? reply('END', body.slice(4)) : reply('CON', body.slice(4));
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

/** A resumed snapshot carries the old session's ids in its context; give it the new ones. */
function withSession(snapshot: PersistedSnapshot, session: SessionInfo): PersistedSnapshot {
  const context = snapshot.context as Record<string, unknown> | undefined;
  if (!context || typeof context !== 'object' || !('session' in context)) return snapshot;
  return { ...snapshot, context: { ...context, session } };
}

type Run = { state: State; result: UssdReply; resumable: boolean; context: unknown };
