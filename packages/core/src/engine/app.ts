import type { AnyStateMachine } from 'xstate';
import { isUssdError, UssdError } from '../errors.js';
import { africasTalkingUssd } from '../gateways/africastalking.js';
import type { UssdCodec } from '../gateways/codec.js';
import { defaultScreenLimits, type ScreenLimits } from '../menu/budget.js';
import { type CompiledMenu, compileMenu } from '../menu/compile.js';
import { defaultMessages, type MenuDefinition, type MenuMessages } from '../menu/dsl.js';
import { defaultNavigationKeys, type NavigationKeys } from '../menu/screen.js';
import { type Localized, pickLanguage, type SessionInfo } from '../menu/text.js';
import type { Logger } from '../ports/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import { memorySessionStore } from '../stores/memory.js';
import { jsonLogger, replaceableLogger } from '../util/logger.js';
import { maskPhone } from '../util/mask.js';
import { decodeEnvelope, type Envelope } from './envelope.js';
import { createEnvelopeStore } from './envelope-store.js';
import { createSessionLocks } from './lock.js';
import { createMachineRunner, type Run } from './machine-runner.js';
import { createResumePoints } from './resume.js';
import { checkStaticBudgets } from './static-budget.js';
import { parseReply, reply, type UssdReply, type UssdTurn } from './turn.js';

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
  /** Called once per turn, after the answer is known: for metrics. The phone number is already masked. */
  onTurn?: ((event: TurnEvent) => void) | undefined;
}

export interface TurnEvent {
  provider: string;
  sessionId: string;
  phone: string;
  type: 'CON' | 'END';
  /** `replay`: a retry answered from the stored reply; `busy`: the session's lock could not be taken. */
  outcome: 'ok' | 'replay' | 'timeout' | 'error' | 'busy';
  ms: number;
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
  /**
   * Logs through the host framework's logger from now on, unless `createUssdApp` was given one: adapters call it
   * when they mount the app, so an app built without a logger writes where the rest of the service does.
   */
  useHostLogger(logger: Logger): void;
  /** Releases the session store. Safe to call more than once. */
  dispose(): Promise<void>;
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
  const logger = replaceableLogger(options.logger ?? jsonLogger({ name: 'rolax-ussd' }));
  const turnTimeoutMs = options.turnTimeoutMs ?? 8000;
  const text = (l: Localized, context: unknown): string =>
    pickLanguage(l, context === undefined ? undefined : languageOf(context), compiled?.languages[0] ?? 'en');

  const locks = createSessionLocks(store);
  const envelopes = createEnvelopeStore({
    store,
    machineId,
    machineVersion,
    ttlSeconds: options.sessionTtlSeconds ?? 300,
  });
  const runner = createMachineRunner({
    machine,
    machineId,
    keys,
    limits,
    gatewayLimit: codec.screenLimit ?? Number.POSITIVE_INFINITY,
    historyDepth: options.historyDepth ?? 10,
    labels: (context) => ({ more: text(menuMessages.more, context), back: text(menuMessages.back, context) }),
    logger,
  });
  const resume = createResumePoints({
    store,
    envelopes,
    runner,
    machineId,
    ttlSeconds: options.resume === false ? 0 : (options.resume?.ttlSeconds ?? 300),
    messages: menuMessages,
    text,
  });
  const sessionKey = (provider: string, sessionId: string) => `ussd:${machineId}:${provider}:${sessionId}`;

  async function handle(turn: UssdTurn): Promise<UssdReply> {
    const started = performance.now();
    const seen = { replay: false };
    let outcome: TurnEvent['outcome'] = 'ok';
    const r = await answer(turn, seen).catch((err: unknown) => {
      outcome = isUssdError(err, 'SESSION_BUSY') ? 'busy' : isUssdError(err, 'TURN_TIMEOUT') ? 'timeout' : 'error';
      return reply('END', text(outcome === 'timeout' ? messages.timeout : messages.error, undefined));
    });
    if (options.onTurn) {
      options.onTurn({
        provider: turn.provider,
        sessionId: turn.sessionId,
        phone: maskPhone(turn.phoneNumber),
        type: r.type,
        outcome: outcome === 'ok' && seen.replay ? 'replay' : outcome,
        ms: performance.now() - started,
      });
    }
    return r;
  }

  /** One turn under its deadline; throws (after logging) what the customer should get an apology for. */
  async function answer(turn: UssdTurn, seen: { replay: boolean }): Promise<UssdReply> {
    const controller = new AbortController();
    const deadline = Date.now() + turnTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new UssdError('TURN_TIMEOUT', `turn exceeded ${turnTimeoutMs} ms`));
        resolve('expired');
      }, turnTimeoutMs);
    });
    const key = sessionKey(turn.provider, turn.sessionId);
    const work = locks.run(key, { leaseMs: turnTimeoutMs + 2000, deadline, signal: controller.signal }, () =>
      runTurn(turn, key, controller.signal, seen),
    );
    try {
      const outcome = await Promise.race([work, expired]);
      if (outcome !== 'expired') return outcome;
      logger.warn({ phone: maskPhone(turn.phoneNumber), session: turn.sessionId, ms: turnTimeoutMs }, 'turn timed out');
      // The late work sees the aborted signal and records the apology instead of its own screen.
      work.catch(() => undefined);
      throw controller.signal.reason;
    } catch (err) {
      if (!isUssdError(err, 'TURN_TIMEOUT')) logFailure(turn, err);
      throw err;
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

  async function runTurn(turn: UssdTurn, key: string, signal: AbortSignal, seen: { replay: boolean }) {
    try {
      return await applyTurn(turn, key, signal, seen);
    } catch (err) {
      // Record the apology as this hop's answer: a gateway retry then replays it instead of re-running the hop.
      const apology = reply('END', text(signal.aborted ? messages.timeout : messages.error, undefined));
      const ended = envelopes.make({
        transcript: turn.path ?? '',
        lastReply: apology.body,
        ended: true,
        snapshot: {},
        history: [],
        page: 0,
      });
      await envelopes.save(key, ended).catch(() => undefined);
      throw err;
    }
  }

  async function applyTurn(
    turn: UssdTurn,
    key: string,
    signal: AbortSignal,
    seen: { replay: boolean },
  ): Promise<UssdReply> {
    const session = sessionOf(turn);
    if (turn.release) {
      // The gateway says the customer left: forget the session now instead of at its TTL.
      await envelopes.forget(key);
      return reply('END', '');
    }
    const loaded = await envelopes.load(key);
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
      if (retry || env.ended) {
        seen.replay = true;
        return parseReply(env.lastReply);
      }
      const input = latestOnly ? (turn.input ?? '') : nextInput(env.transcript, turn.path ?? '', turn);
      const path = latestOnly ? (env.transcript === '' ? input : `${env.transcript}*${input}`) : (turn.path ?? '');
      if (env.resume) {
        const answered = await resume.answer(key, env, input, path, session, signal, turn.sequence);
        return 'again' in answered ? answered.again : persist(turn, key, path, answered.run, signal, undefined);
      }
      const run = await runner.applyInput(
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
    if (loaded.kind === 'none' && path === '' && resume.enabled) {
      const offered = await resume.offer(key, turn.phoneNumber);
      if (offered) return offered;
    }
    let run = await runner.start(session, signal);
    // Deep dial: `*384*123*2#` arrives as text "2" on the first hop; apply each input in order.
    if (loaded.kind === 'none' && path !== '') {
      for (const input of path.split('*')) {
        if (run.result.type === 'END') break;
        run = await runner.applyInput(session, run.state, input, signal);
      }
    }
    if (loaded.kind === 'invalid') run = runner.show(run.state, session, text(messages.restarted, run.context));
    return persist(turn, key, path, run, signal, undefined);
  }

  async function persist(
    turn: UssdTurn,
    key: string,
    path: string,
    run: Run,
    signal: AbortSignal,
    prev: Envelope | undefined,
  ) {
    const result = signal.aborted ? reply('END', text(messages.timeout, run.context)) : run.result;
    const ended = result.type === 'END';
    const resumeSaved = resume.enabled
      ? await resume.record(turn.phoneNumber, run, ended, prev?.resumeSaved === true)
      : false;
    await envelopes.save(
      key,
      envelopes.make({
        transcript: path,
        lastReply: result.body,
        ended,
        snapshot: run.state.snapshot,
        history: ended ? [] : run.state.history,
        page: run.state.page,
        sequence: turn.sequence,
        ...(resumeSaved ? { resumeSaved } : {}),
      }),
    );
    return result;
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

  let disposed: Promise<void> | undefined;
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
      const loaded = decodeEnvelope(await store.get(sessionKey(provider, sessionId)), machineId, machineVersion);
      if (loaded.kind !== 'ok') return undefined;
      return { envelope: loaded.envelope, value: loaded.envelope.snapshot.value };
    },
    useHostLogger(host) {
      if (!options.logger) logger.replace(host);
    },
    dispose() {
      disposed ??= Promise.resolve(store.dispose?.());
      return disposed;
    },
  };
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
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
