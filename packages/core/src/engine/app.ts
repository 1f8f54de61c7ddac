import type { AnyStateMachine } from 'xstate';
import { isUssdError, UssdError } from '../errors.js';
import { africasTalkingUssd } from '../gateways/africastalking.js';
import type { UssdCodec } from '../gateways/codec.js';
import type { UssdReply, UssdTurn } from '../gateways/turn.js';
import { defaultScreenLimits, type ScreenLimits } from '../menu/budget.js';
import { type CompiledMenu, compileMenu } from '../menu/compile.js';
import { defaultMessages, type MenuDefinition, type MenuMessages } from '../menu/dsl.js';
import { defaultNavigationKeys, type NavigationKeys } from '../menu/screen.js';
import { type Localized, pickLanguage } from '../menu/text.js';
import type { Logger } from '../ports/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import { memorySessionStore } from '../stores/memory.js';
import { jsonLogger, replaceableLogger } from '../util/logger.js';
import { maskPhone } from '../util/mask.js';
import type { Envelope } from './envelope.js';
import { createMachineRunner } from './machine-runner.js';
import {
  createWatching,
  observedRepository,
  observedRunner,
  reportOf,
  startWatch,
  type TurnObserver,
  type Watch,
} from './observer.js';
import { outcomeOfError, outcomeOfPlan, type TurnOutcome } from './outcome.js';
import { createTurnPipeline, defaultEngineMessages, type EngineMessages } from './pipeline.js';
import { defaultTurnLimits, type TurnLimits } from './plan.js';
import { createSessionRepository } from './session-repository.js';
import { snapshotBase } from './snapshot-delta.js';
import { checkStaticBudgets } from './static-budget.js';

/** A hand-written XState machine that follows the screen contract (see `menu/screen.ts`). */
export interface MachineMenu {
  machine: AnyStateMachine;
  id: string;
  version: string | number;
  /** Language of a machine context, for engine texts. Default: `context.lang`, else `en`. */
  languageOf?: ((context: unknown) => string) | undefined;
}

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
  /** Bounds on the work one request may ask for: deep-dial inputs (default 10) and path length (default 1,000). */
  limits?: Partial<TurnLimits> | undefined;
  /**
   * On gateways that send neither the path nor a hop number (Arkesel, Nalo), the same input again within this
   * many ms of the answer to it is a gateway retry and gets that answer again. Default 2000: shorter than a person
   * takes to see the next screen and press a key. 0 keeps only retries that arrive before the answer.
   */
  retryWindowMs?: number | undefined;
  /** The clock retries and saved sessions are timed by, in ms since the epoch; for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Called once per turn, after the answer is known: for metrics. The phone number is already masked. */
  onTurn?: ((event: TurnEvent) => void) | undefined;
  /**
   * Watches every turn with its timings (lock wait, store, steps) and screens, for metrics and tracing: see
   * `@rolax/ussd-core/prometheus` and `@rolax/ussd-core/opentelemetry`. Nothing is measured without one.
   */
  observer?: TurnObserver | undefined;
}

export interface TurnEvent {
  provider: string;
  sessionId: string;
  phone: string;
  type: 'CON' | 'END';
  outcome: TurnOutcome;
  ms: number;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** What the HTTP layer knows about a turn's request. */
export interface TurnRequestMeta {
  /** The request's id in the host's log, handed to observers (metrics exemplars, trace attributes). */
  requestId?: string | undefined;
}

export interface UssdApp {
  /** Runs one turn. Never throws for menu bugs or timeouts: those become an END screen. */
  handle(turn: UssdTurn, meta?: TurnRequestMeta): Promise<UssdReply>;
  /** Parses a raw gateway request and answers it: what adapters call. Never throws. */
  handleHttp(request: { body: unknown; remoteAddress?: string | undefined } & TurnRequestMeta): Promise<HttpAnswer>;
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

/** See {@link UssdAppOptions.retryWindowMs}; the reasoning is in docs/architecture.md. */
const DEFAULT_RETRY_WINDOW_MS = 2000;

export function createUssdApp<S>(options: UssdAppOptions<S>): UssdApp {
  const keys = { ...defaultNavigationKeys, ...options.keys };
  const limits: ScreenLimits = {
    default: options.screenLimits?.default ?? defaultScreenLimits.default,
    byNetwork: { ...defaultScreenLimits.byNetwork, ...options.screenLimits?.byNetwork },
  };
  const codec: UssdCodec = options.codec ?? africasTalkingUssd;
  const menu = servableMenu(options.menu, options.services, keys);
  if (menu.compiled) checkStaticBudgets(menu.compiled, limits, keys, codec.screenLimit);
  const { machineId, machineVersion } = menu;
  const messages: EngineMessages = { ...defaultEngineMessages, ...options.messages };
  const store = options.store ?? memorySessionStore();
  const logger = replaceableLogger(options.logger ?? jsonLogger({ name: 'rolax-ussd' }));
  const turnTimeoutMs = options.turnTimeoutMs ?? 8000;
  const now = options.now ?? Date.now;
  const retryWindowMs = options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS;
  if (!Number.isFinite(retryWindowMs) || retryWindowMs < 0) {
    throw new UssdError('CONFIG', `retryWindowMs must be a number of ms, 0 or more (got ${retryWindowMs})`);
  }
  const text = (l: Localized, context: unknown): string =>
    pickLanguage(l, context === undefined ? undefined : menu.languageOf(context), menu.fallbackLanguage);

  const repo = createSessionRepository({
    store,
    machineId,
    machineVersion,
    base: snapshotBase(menu.machine),
    ttlSeconds: options.sessionTtlSeconds ?? 300,
    resumeTtlSeconds: options.resume === false ? 0 : (options.resume?.ttlSeconds ?? 300),
    now,
  });
  const runner = createMachineRunner({
    machine: menu.machine,
    machineId,
    keys,
    limits,
    gatewayLimit: codec.screenLimit ?? Number.POSITIVE_INFINITY,
    historyDepth: options.historyDepth ?? 10,
    labels: (context) => ({ more: text(menu.messages.more, context), back: text(menu.messages.back, context) }),
    logger,
  });
  const pipelineOptions = {
    repo,
    runner,
    limits: { ...defaultTurnLimits, ...options.limits },
    retryWindowMs,
    resumeEnabled: options.resume !== false && (options.resume?.ttlSeconds ?? 300) > 0,
    messages,
    menuMessages: menu.messages,
    text,
  };
  const pipeline = createTurnPipeline(pipelineOptions);
  const { observer } = options;

  // With an observer, turns run through a second pipeline whose repository and runner time the observed turn
  // of each session; without one nothing below is built and nothing is measured.
  const watching = observer ? createWatching(repo.keyOf) : undefined;
  const observedPipeline =
    observer && watching
      ? createTurnPipeline({
          ...pipelineOptions,
          repo: observedRepository(repo, watching),
          runner: observedRunner(runner, watching),
        })
      : pipeline;

  function watch(turn: UssdTurn, meta: TurnRequestMeta | undefined): Watch | undefined {
    const start = {
      gateway: turn.provider,
      menuId: machineId,
      menuVersion: machineVersion,
      sessionId: turn.sessionId,
      requestId: meta?.requestId,
    };
    const tracker = observer?.begin(start);
    return tracker ? startWatch(start, tracker) : undefined;
  }

  async function handle(turn: UssdTurn, meta?: TurnRequestMeta): Promise<UssdReply> {
    const started = performance.now();
    const at = now();
    const w = observer ? watch(turn, meta) : undefined;
    let outcome: TurnOutcome;
    let r: UssdReply;
    try {
      const done = await answer(turn, at, w);
      outcome = outcomeOfPlan(done.plan.kind);
      r = done.reply;
    } catch (err) {
      const failed = outcomeOfError(err);
      if (w && w.lockedAt === undefined) w.endLock?.(err);
      outcome = failed;
      r = pipeline.apology(failed === 'timeout' ? 'timeout' : 'error', undefined);
    }
    if (w) w.tracker.end(reportOf(w, outcome, r.type));
    if (options.onTurn) {
      options.onTurn({
        provider: turn.provider,
        sessionId: turn.sessionId,
        phone: maskPhone(turn.phoneNumber),
        type: r.type,
        outcome,
        ms: performance.now() - started,
      });
    }
    return r;
  }

  /** One turn under its deadline; throws (after logging) what the customer should get an apology for. */
  async function answer(turn: UssdTurn, at: number, w: Watch | undefined) {
    const controller = new AbortController();
    const deadline = Date.now() + turnTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new UssdError('TURN_TIMEOUT', `turn exceeded ${turnTimeoutMs} ms`));
        resolve('expired');
      }, turnTimeoutMs);
    });
    const key = repo.keyOf(turn.provider, turn.sessionId);
    const work = repo.withLock(key, { leaseMs: turnTimeoutMs + 2000, deadline, signal: controller.signal }, () => {
      if (!w || !watching) return pipeline.run(turn, key, controller.signal, at);
      w.lockedAt = performance.now();
      w.endLock?.();
      return watching.during(key, turn.phoneNumber, w, () => observedPipeline.run(turn, key, controller.signal, at));
    });
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

  let disposed: Promise<void> | undefined;
  const allowed = options.allowedIps ? new Set(options.allowedIps.map(normalizeIp)) : undefined;

  async function handleHttp(
    request: { body: unknown; remoteAddress?: string | undefined } & TurnRequestMeta,
  ): Promise<HttpAnswer> {
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
    const r = await handle(turn, request);
    return { status: 200, contentType: codec.contentType, body: codec.format(r, turn) };
  }

  return {
    handle,
    handleHttp,
    menu: menu.compiled,
    machineId,
    machineVersion,
    store,
    async inspect(sessionId, provider = codec.name) {
      const loaded = await repo.load(repo.keyOf(provider, sessionId));
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

/** Both kinds of menu, DSL definition and hand-written machine, as the one shape the engine serves. */
function servableMenu<S>(menu: MenuDefinition<any, S> | MachineMenu, services: S | undefined, keys: NavigationKeys) {
  if ('machine' in menu) {
    return {
      compiled: undefined,
      machine: menu.machine,
      machineId: menu.id,
      machineVersion: String(menu.version),
      languageOf: menu.languageOf ?? ((c: unknown) => (c as { lang?: string } | null)?.lang ?? 'en'),
      messages: defaultMessages,
      fallbackLanguage: 'en',
    };
  }
  const compiled = compileMenu(menu, { services, keys });
  return {
    compiled,
    machine: compiled.machine,
    machineId: compiled.id,
    machineVersion: compiled.version,
    languageOf: compiled.languageOf,
    messages: compiled.messages as MenuMessages,
    fallbackLanguage: compiled.languages[0] ?? 'en',
  };
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
