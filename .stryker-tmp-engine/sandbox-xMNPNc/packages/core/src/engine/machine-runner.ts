// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine, createActor } from 'xstate';
import { UssdError } from '../errors.js';
import { reply, type UssdReply } from '../gateways/turn.js';
import { limitFor, type ScreenLimits } from '../menu/budget.js';
import type { NavigationKeys, NavigationLabels, Screen } from '../menu/screen.js';
import type { SessionInfo } from '../menu/text.js';
import type { Logger } from '../ports/logger.js';
import type { PersistedSnapshot } from './envelope.js';
import { isSettled, pagesOf, screenOf } from './render.js';

/** Where a session rests: its machine snapshot, earlier screens for `0` back (newest last), and its page. */
export interface SessionState {
  snapshot: PersistedSnapshot;
  history: PersistedSnapshot[];
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
  if (stryMutAct_9fa48("0")) {
    {}
  } else {
    stryCov_9fa48("0");
    const {
      keys
    } = o;
    function restore(snapshot: PersistedSnapshot, session: SessionInfo): AnyActorRef {
      if (stryMutAct_9fa48("1")) {
        {}
      } else {
        stryCov_9fa48("1");
        const actor = createActor(o.machine, stryMutAct_9fa48("2") ? {} : (stryCov_9fa48("2"), {
          snapshot: snapshot as any,
          input: stryMutAct_9fa48("3") ? {} : (stryCov_9fa48("3"), {
            session
          })
        }));
        actor.start();
        return actor;
      }
    }
    async function start(session: SessionInfo, signal: AbortSignal): Promise<Run> {
      if (stryMutAct_9fa48("4")) {
        {}
      } else {
        stryCov_9fa48("4");
        const actor = createActor(o.machine, stryMutAct_9fa48("5") ? {} : (stryCov_9fa48("5"), {
          input: stryMutAct_9fa48("6") ? {} : (stryCov_9fa48("6"), {
            session
          })
        }));
        actor.start();
        return settleAndRender(actor, stryMutAct_9fa48("7") ? {} : (stryCov_9fa48("7"), {
          history: stryMutAct_9fa48("8") ? ["Stryker was here"] : (stryCov_9fa48("8"), []),
          page: 0
        }), session, signal);
      }
    }
    async function applyInput(session: SessionInfo, state: SessionState, input: string, signal: AbortSignal, live?: AnyActorRef | undefined): Promise<Run> {
      if (stryMutAct_9fa48("9")) {
        {}
      } else {
        stryCov_9fa48("9");
        // A live actor kept from the session's last turn stands exactly on `state.snapshot`: no restore needed.
        const actor = stryMutAct_9fa48("10") ? live && restore(state.snapshot, session) : (stryCov_9fa48("10"), live ?? restore(state.snapshot, session));
        const snap = actor.getSnapshot();
        const isNavKey = stryMutAct_9fa48("13") ? (input === keys.more || input === keys.back) && input === keys.home : stryMutAct_9fa48("12") ? false : stryMutAct_9fa48("11") ? true : (stryCov_9fa48("11", "12", "13"), (stryMutAct_9fa48("15") ? input === keys.more && input === keys.back : stryMutAct_9fa48("14") ? false : (stryCov_9fa48("14", "15"), (stryMutAct_9fa48("17") ? input !== keys.more : stryMutAct_9fa48("16") ? false : (stryCov_9fa48("16", "17"), input === keys.more)) || (stryMutAct_9fa48("19") ? input !== keys.back : stryMutAct_9fa48("18") ? false : (stryCov_9fa48("18", "19"), input === keys.back)))) || (stryMutAct_9fa48("21") ? input !== keys.home : stryMutAct_9fa48("20") ? false : (stryCov_9fa48("20", "21"), input === keys.home)));
        const screen = isNavKey ? screenOf(snap) : undefined;
        if (stryMutAct_9fa48("24") ? screen && screen.nav !== false || snap.status === 'active' : stryMutAct_9fa48("23") ? false : stryMutAct_9fa48("22") ? true : (stryCov_9fa48("22", "23", "24"), (stryMutAct_9fa48("26") ? screen || screen.nav !== false : stryMutAct_9fa48("25") ? true : (stryCov_9fa48("25", "26"), screen && (stryMutAct_9fa48("28") ? screen.nav === false : stryMutAct_9fa48("27") ? true : (stryCov_9fa48("27", "28"), screen.nav !== (stryMutAct_9fa48("29") ? true : (stryCov_9fa48("29"), false)))))) && (stryMutAct_9fa48("31") ? snap.status !== 'active' : stryMutAct_9fa48("30") ? true : (stryCov_9fa48("30", "31"), snap.status === (stryMutAct_9fa48("32") ? "" : (stryCov_9fa48("32"), 'active')))))) {
          if (stryMutAct_9fa48("33")) {
            {}
          } else {
            stryCov_9fa48("33");
            if (stryMutAct_9fa48("36") ? input === keys.more || state.page < paged(screen, session, 'CON ', snap.context).length - 1 : stryMutAct_9fa48("35") ? false : stryMutAct_9fa48("34") ? true : (stryCov_9fa48("34", "35", "36"), (stryMutAct_9fa48("38") ? input !== keys.more : stryMutAct_9fa48("37") ? true : (stryCov_9fa48("37", "38"), input === keys.more)) && (stryMutAct_9fa48("41") ? state.page >= paged(screen, session, 'CON ', snap.context).length - 1 : stryMutAct_9fa48("40") ? state.page <= paged(screen, session, 'CON ', snap.context).length - 1 : stryMutAct_9fa48("39") ? true : (stryCov_9fa48("39", "40", "41"), state.page < (stryMutAct_9fa48("42") ? paged(screen, session, 'CON ', snap.context).length + 1 : (stryCov_9fa48("42"), paged(screen, session, stryMutAct_9fa48("43") ? "" : (stryCov_9fa48("43"), 'CON '), snap.context).length - 1)))))) return rendered(actor, stryMutAct_9fa48("44") ? {} : (stryCov_9fa48("44"), {
              ...state,
              page: stryMutAct_9fa48("45") ? state.page - 1 : (stryCov_9fa48("45"), state.page + 1)
            }), session);
            if (stryMutAct_9fa48("48") ? input === keys.back || state.page > 0 : stryMutAct_9fa48("47") ? false : stryMutAct_9fa48("46") ? true : (stryCov_9fa48("46", "47", "48"), (stryMutAct_9fa48("50") ? input !== keys.back : stryMutAct_9fa48("49") ? true : (stryCov_9fa48("49", "50"), input === keys.back)) && (stryMutAct_9fa48("53") ? state.page <= 0 : stryMutAct_9fa48("52") ? state.page >= 0 : stryMutAct_9fa48("51") ? true : (stryCov_9fa48("51", "52", "53"), state.page > 0)))) return rendered(actor, stryMutAct_9fa48("54") ? {} : (stryCov_9fa48("54"), {
              ...state,
              page: stryMutAct_9fa48("55") ? state.page + 1 : (stryCov_9fa48("55"), state.page - 1)
            }), session);
            if (stryMutAct_9fa48("58") ? input === keys.back && input === keys.home : stryMutAct_9fa48("57") ? false : stryMutAct_9fa48("56") ? true : (stryCov_9fa48("56", "57", "58"), (stryMutAct_9fa48("60") ? input !== keys.back : stryMutAct_9fa48("59") ? false : (stryCov_9fa48("59", "60"), input === keys.back)) || (stryMutAct_9fa48("62") ? input !== keys.home : stryMutAct_9fa48("61") ? false : (stryCov_9fa48("61", "62"), input === keys.home)))) {
              if (stryMutAct_9fa48("63")) {
                {}
              } else {
                stryCov_9fa48("63");
                actor.stop();
                const target = (stryMutAct_9fa48("66") ? input !== keys.home : stryMutAct_9fa48("65") ? false : stryMutAct_9fa48("64") ? true : (stryCov_9fa48("64", "65", "66"), input === keys.home)) ? state.history[0] : state.history[stryMutAct_9fa48("67") ? state.history.length + 1 : (stryCov_9fa48("67"), state.history.length - 1)];
                if (stryMutAct_9fa48("70") ? false : stryMutAct_9fa48("69") ? true : stryMutAct_9fa48("68") ? target : (stryCov_9fa48("68", "69", "70"), !target)) return rendered(restore(state.snapshot, session), stryMutAct_9fa48("71") ? {} : (stryCov_9fa48("71"), {
                  ...state,
                  page: 0
                }), session);
                const history = (stryMutAct_9fa48("74") ? input !== keys.home : stryMutAct_9fa48("73") ? false : stryMutAct_9fa48("72") ? true : (stryCov_9fa48("72", "73", "74"), input === keys.home)) ? stryMutAct_9fa48("75") ? ["Stryker was here"] : (stryCov_9fa48("75"), []) : stryMutAct_9fa48("76") ? state.history : (stryCov_9fa48("76"), state.history.slice(0, stryMutAct_9fa48("77") ? +1 : (stryCov_9fa48("77"), -1)));
                return rendered(restore(target, session), stryMutAct_9fa48("78") ? {} : (stryCov_9fa48("78"), {
                  history,
                  page: 0
                }), session);
              }
            }
          }
        }
        const before = JSON.stringify(snap.value);
        actor.send(stryMutAct_9fa48("79") ? {} : (stryCov_9fa48("79"), {
          type: stryMutAct_9fa48("80") ? "" : (stryCov_9fa48("80"), 'INPUT'),
          value: input
        }));
        const run = await settleAndRender(actor, stryMutAct_9fa48("81") ? {} : (stryCov_9fa48("81"), {
          history: state.history,
          page: 0
        }), session, signal);
        // Only a move to another screen is a step `0` can undo; a re-prompt on the same screen is not.
        if (stryMutAct_9fa48("84") ? JSON.stringify(run.state.snapshot.value) !== before : stryMutAct_9fa48("83") ? false : stryMutAct_9fa48("82") ? true : (stryCov_9fa48("82", "83", "84"), JSON.stringify(run.state.snapshot.value) === before)) return run;
        return stryMutAct_9fa48("85") ? {} : (stryCov_9fa48("85"), {
          ...run,
          state: stryMutAct_9fa48("86") ? {} : (stryCov_9fa48("86"), {
            ...run.state,
            history: stryMutAct_9fa48("87") ? [...state.history, state.snapshot] : (stryCov_9fa48("87"), (stryMutAct_9fa48("88") ? [] : (stryCov_9fa48("88"), [...state.history, state.snapshot])).slice(stryMutAct_9fa48("89") ? +o.historyDepth : (stryCov_9fa48("89"), -o.historyDepth)))
          })
        });
      }
    }

    /** Renders a saved state as it stands, optionally with a notice above its screen. */
    function show(state: SessionState, session: SessionInfo, notice?: string): Run {
      if (stryMutAct_9fa48("90")) {
        {}
      } else {
        stryCov_9fa48("90");
        return rendered(restore(state.snapshot, session), stryMutAct_9fa48("91") ? {} : (stryCov_9fa48("91"), {
          history: state.history,
          page: state.page
        }), session, undefined, notice);
      }
    }
    async function settleAndRender(actor: AnyActorRef, partial: Omit<SessionState, 'snapshot'>, session: SessionInfo, signal: AbortSignal): Promise<Run> {
      if (stryMutAct_9fa48("92")) {
        {}
      } else {
        stryCov_9fa48("92");
        // Most turns settle synchronously (a menu choice, a prompt): no listener, no subscription.
        const now = actor.getSnapshot();
        const settled = isSettled(now) ? now : await waitSettled(actor, signal);
        if (stryMutAct_9fa48("95") ? settled.status !== 'error' : stryMutAct_9fa48("94") ? false : stryMutAct_9fa48("93") ? true : (stryCov_9fa48("93", "94", "95"), settled.status === (stryMutAct_9fa48("96") ? "" : (stryCov_9fa48("96"), 'error')))) {
          if (stryMutAct_9fa48("97")) {
            {}
          } else {
            stryCov_9fa48("97");
            actor.stop();
            throw new UssdError(stryMutAct_9fa48("98") ? "" : (stryCov_9fa48("98"), 'MENU_RUNTIME'), stryMutAct_9fa48("99") ? "" : (stryCov_9fa48("99"), 'menu machine failed'), stryMutAct_9fa48("100") ? {} : (stryCov_9fa48("100"), {
              cause: settled.error
            }));
          }
        }
        return rendered(actor, partial, session, settled);
      }
    }
    function waitSettled(actor: AnyActorRef, signal: AbortSignal): Promise<AnyMachineSnapshot> {
      if (stryMutAct_9fa48("101")) {
        {}
      } else {
        stryCov_9fa48("101");
        return new Promise<AnyMachineSnapshot>((resolve, reject) => {
          if (stryMutAct_9fa48("102")) {
            {}
          } else {
            stryCov_9fa48("102");
            const onAbort = stryMutAct_9fa48("103") ? () => undefined : (stryCov_9fa48("103"), (() => {
              const onAbort = () => reject(signal.reason);
              return onAbort;
            })());
            if (stryMutAct_9fa48("105") ? false : stryMutAct_9fa48("104") ? true : (stryCov_9fa48("104", "105"), signal.aborted)) return onAbort();
            signal.addEventListener(stryMutAct_9fa48("106") ? "" : (stryCov_9fa48("106"), 'abort'), onAbort, stryMutAct_9fa48("107") ? {} : (stryCov_9fa48("107"), {
              once: stryMutAct_9fa48("108") ? false : (stryCov_9fa48("108"), true)
            }));
            const check = (s: AnyMachineSnapshot) => {
              if (stryMutAct_9fa48("109")) {
                {}
              } else {
                stryCov_9fa48("109");
                if (stryMutAct_9fa48("112") ? false : stryMutAct_9fa48("111") ? true : stryMutAct_9fa48("110") ? isSettled(s) : (stryCov_9fa48("110", "111", "112"), !isSettled(s))) return;
                signal.removeEventListener(stryMutAct_9fa48("113") ? "" : (stryCov_9fa48("113"), 'abort'), onAbort);
                stryMutAct_9fa48("114") ? sub.unsubscribe() : (stryCov_9fa48("114"), sub?.unsubscribe());
                resolve(s);
              }
            };
            const sub = actor.subscribe(stryMutAct_9fa48("115") ? {} : (stryCov_9fa48("115"), {
              next: check,
              error: stryMutAct_9fa48("116") ? () => undefined : (stryCov_9fa48("116"), () => check(actor.getSnapshot()))
            }));
            check(actor.getSnapshot());
          }
        }).finally(() => {
          if (stryMutAct_9fa48("117")) {
            {}
          } else {
            stryCov_9fa48("117");
            if (stryMutAct_9fa48("119") ? false : stryMutAct_9fa48("118") ? true : (stryCov_9fa48("118", "119"), signal.aborted)) actor.stop();
          }
        });
      }
    }
    function rendered(actor: AnyActorRef, partial: Omit<SessionState, 'snapshot'>, session: SessionInfo, snap: AnyMachineSnapshot = actor.getSnapshot(), notice?: string): Run {
      if (stryMutAct_9fa48("120")) {
        {}
      } else {
        stryCov_9fa48("120");
        const done = stryMutAct_9fa48("123") ? snap.status !== 'done' : stryMutAct_9fa48("122") ? false : stryMutAct_9fa48("121") ? true : (stryCov_9fa48("121", "122", "123"), snap.status === (stryMutAct_9fa48("124") ? "" : (stryCov_9fa48("124"), 'done')));
        const base: Screen | undefined = screenOf(snap);
        const screen = (stryMutAct_9fa48("127") ? base || notice : stryMutAct_9fa48("126") ? false : stryMutAct_9fa48("125") ? true : (stryCov_9fa48("125", "126", "127"), base && notice)) ? stryMutAct_9fa48("128") ? {} : (stryCov_9fa48("128"), {
          ...base,
          text: stryMutAct_9fa48("129") ? `` : (stryCov_9fa48("129"), `${notice}\n${base.text}`)
        }) : base;
        const snapshot = actor.getPersistedSnapshot() as PersistedSnapshot;
        if (stryMutAct_9fa48("132") ? done && !screen : stryMutAct_9fa48("131") ? false : stryMutAct_9fa48("130") ? true : (stryCov_9fa48("130", "131", "132"), done || (stryMutAct_9fa48("133") ? screen : (stryCov_9fa48("133"), !screen)))) actor.stop();
        if (stryMutAct_9fa48("136") ? false : stryMutAct_9fa48("135") ? true : stryMutAct_9fa48("134") ? screen : (stryCov_9fa48("134", "135", "136"), !screen)) throw new UssdError(stryMutAct_9fa48("137") ? "" : (stryCov_9fa48("137"), 'MENU_RUNTIME'), stryMutAct_9fa48("138") ? "" : (stryCov_9fa48("138"), 'machine settled on a state without a screen'));
        const pages = paged(screen, session, done ? stryMutAct_9fa48("139") ? "" : (stryCov_9fa48("139"), 'END ') : stryMutAct_9fa48("140") ? "" : (stryCov_9fa48("140"), 'CON '), snap.context);
        const page = stryMutAct_9fa48("141") ? Math.max(partial.page, pages.length - 1) : (stryCov_9fa48("141"), Math.min(partial.page, stryMutAct_9fa48("142") ? pages.length + 1 : (stryCov_9fa48("142"), pages.length - 1)));
        return stryMutAct_9fa48("143") ? {} : (stryCov_9fa48("143"), {
          state: stryMutAct_9fa48("144") ? {} : (stryCov_9fa48("144"), {
            snapshot,
            history: partial.history,
            page
          }),
          result: reply(done ? stryMutAct_9fa48("145") ? "" : (stryCov_9fa48("145"), 'END') : stryMutAct_9fa48("146") ? "" : (stryCov_9fa48("146"), 'CON'), stryMutAct_9fa48("147") ? pages[page] && '' : (stryCov_9fa48("147"), pages[page] ?? (stryMutAct_9fa48("148") ? "Stryker was here!" : (stryCov_9fa48("148"), '')))),
          resumable: stryMutAct_9fa48("151") ? !done || screen.resumable === true : stryMutAct_9fa48("150") ? false : stryMutAct_9fa48("149") ? true : (stryCov_9fa48("149", "150", "151"), (stryMutAct_9fa48("152") ? done : (stryCov_9fa48("152"), !done)) && (stryMutAct_9fa48("154") ? screen.resumable !== true : stryMutAct_9fa48("153") ? true : (stryCov_9fa48("153", "154"), screen.resumable === (stryMutAct_9fa48("155") ? false : (stryCov_9fa48("155"), true))))),
          context: snap.context,
          actor: done ? undefined : actor
        });
      }
    }
    function paged(screen: Screen, session: SessionInfo, prefix: 'CON ' | 'END ', context: unknown): string[] {
      if (stryMutAct_9fa48("156")) {
        {}
      } else {
        stryCov_9fa48("156");
        const {
          pages,
          truncated
        } = pagesOf(screen, stryMutAct_9fa48("157") ? {} : (stryCov_9fa48("157"), {
          prefix,
          septetLimit: stryMutAct_9fa48("158") ? Math.max(limitFor(o.limits, session.networkCode), o.gatewayLimit) : (stryCov_9fa48("158"), Math.min(limitFor(o.limits, session.networkCode), o.gatewayLimit)),
          keys,
          labels: o.labels(context),
          nav: stryMutAct_9fa48("161") ? screen.nav === false : stryMutAct_9fa48("160") ? false : stryMutAct_9fa48("159") ? true : (stryCov_9fa48("159", "160", "161"), screen.nav !== (stryMutAct_9fa48("162") ? true : (stryCov_9fa48("162"), false)))
        }));
        if (stryMutAct_9fa48("164") ? false : stryMutAct_9fa48("163") ? true : (stryCov_9fa48("163", "164"), truncated)) o.logger.warn(stryMutAct_9fa48("165") ? {} : (stryCov_9fa48("165"), {
          machine: o.machineId,
          screen: stryMutAct_9fa48("166") ? screen.text : (stryCov_9fa48("166"), screen.text.slice(0, 30))
        }), stryMutAct_9fa48("167") ? "" : (stryCov_9fa48("167"), 'screen cut to fit the budget'));
        return pages;
      }
    }

    /** An engine-owned screen (the resume offer) through the same pagination and budget as the menu's own. */
    function render(screen: Screen, session: SessionInfo, context: unknown): UssdReply {
      if (stryMutAct_9fa48("168")) {
        {}
      } else {
        stryCov_9fa48("168");
        return reply(stryMutAct_9fa48("169") ? "" : (stryCov_9fa48("169"), 'CON'), stryMutAct_9fa48("170") ? paged(screen, session, 'CON ', context)[0] && '' : (stryCov_9fa48("170"), paged(screen, session, stryMutAct_9fa48("171") ? "" : (stryCov_9fa48("171"), 'CON '), context)[0] ?? (stryMutAct_9fa48("172") ? "Stryker was here!" : (stryCov_9fa48("172"), ''))));
      }
    }
    return stryMutAct_9fa48("173") ? {} : (stryCov_9fa48("173"), {
      start,
      applyInput,
      show,
      render
    });
  }
}
export type MachineRunner = ReturnType<typeof createMachineRunner>;