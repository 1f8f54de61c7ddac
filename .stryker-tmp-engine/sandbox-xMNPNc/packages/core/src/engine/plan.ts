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
import type { LatestInputTurn, PathTurn, UssdTurn } from '../gateways/turn.js';
import type { Envelope, LoadResult } from './envelope.js';

/** Bounds on the work one request may ask for. */
export interface TurnLimits {
  /** Inputs a new session's deep dial may carry. Default 10. */
  maxDeepDialInputs: number;
  /** Characters of a session's input path. Default 1,000. */
  maxPathChars: number;
}
export const defaultTurnLimits: TurnLimits = stryMutAct_9fa48("196") ? {} : (stryCov_9fa48("196"), {
  maxDeepDialInputs: 10,
  maxPathChars: 1000
});

/** What a turn will do, decided from the request and the saved session alone, before anything runs. */
export type Plan = /** The gateway says the customer left: forget the session. */
{
  kind: 'release';
}
/** The request asks for more work than the limits allow: a polite END, nothing read or written. */ | {
  kind: 'capped';
}
/** A retry of the last applied hop, or anything after END: answer what was answered. */ | {
  kind: 'replay';
  body: string;
}
/** An earlier or a competing hop: answer what it got, else the current screen; never a step, never a write. */ | {
  kind: 'stale';
  body: string;
}
/** The answer to "continue where you left off". */ | {
  kind: 'resume-answer';
  envelope: Envelope;
  input: string;
  path: string;
}
/** One new input on the saved session. */ | {
  kind: 'apply';
  envelope: Envelope;
  input: string;
  path: string;
}
/** A session from its first screen, then its deep-dial inputs in order. */ | {
  kind: 'start';
  inputs: string[];
  path: string;
  /** The saved session could not be used: say so above the first screen. */
  restarted: boolean;
  /** A plain dial with nothing saved: offer the phone's resume point, if any. */
  offerResume: boolean;
};

/** How a request relates to the saved session. */
export type HopRelation = 'new' | 'retry' | 'stale';

/**
 * One rule per gateway kind. Path gateways: a path equal to the transcript is a retry, one extending it is new,
 * anything else is stale. Latest-input gateways: a re-sent opening request is a retry; with hop numbers, the last
 * applied number is a retry and a lower one stale. Without hop numbers every other request is new.
 */
export const hopRules: {
  path: (turn: PathTurn, saved: Envelope) => HopRelation;
  latest: (turn: LatestInputTurn, saved: Envelope) => HopRelation;
} = stryMutAct_9fa48("197") ? {} : (stryCov_9fa48("197"), {
  path(turn, saved) {
    if (stryMutAct_9fa48("198")) {
      {}
    } else {
      stryCov_9fa48("198");
      if (stryMutAct_9fa48("201") ? turn.path !== saved.transcript : stryMutAct_9fa48("200") ? false : stryMutAct_9fa48("199") ? true : (stryCov_9fa48("199", "200", "201"), turn.path === saved.transcript)) return stryMutAct_9fa48("202") ? "" : (stryCov_9fa48("202"), 'retry');
      if (stryMutAct_9fa48("205") ? saved.transcript === '' && turn.path.startsWith(`${saved.transcript}*`) : stryMutAct_9fa48("204") ? false : stryMutAct_9fa48("203") ? true : (stryCov_9fa48("203", "204", "205"), (stryMutAct_9fa48("207") ? saved.transcript !== '' : stryMutAct_9fa48("206") ? false : (stryCov_9fa48("206", "207"), saved.transcript === (stryMutAct_9fa48("208") ? "Stryker was here!" : (stryCov_9fa48("208"), '')))) || (stryMutAct_9fa48("209") ? turn.path.endsWith(`${saved.transcript}*`) : (stryCov_9fa48("209"), turn.path.startsWith(stryMutAct_9fa48("210") ? `` : (stryCov_9fa48("210"), `${saved.transcript}*`)))))) return stryMutAct_9fa48("211") ? "" : (stryCov_9fa48("211"), 'new');
      return stryMutAct_9fa48("212") ? "" : (stryCov_9fa48("212"), 'stale');
    }
  },
  latest(turn, saved) {
    if (stryMutAct_9fa48("213")) {
      {}
    } else {
      stryCov_9fa48("213");
      if (stryMutAct_9fa48("216") ? turn.isNew !== true : stryMutAct_9fa48("215") ? false : stryMutAct_9fa48("214") ? true : (stryCov_9fa48("214", "215", "216"), turn.isNew === (stryMutAct_9fa48("217") ? false : (stryCov_9fa48("217"), true)))) return stryMutAct_9fa48("218") ? "" : (stryCov_9fa48("218"), 'retry');
      if (stryMutAct_9fa48("221") ? turn.hop !== undefined && saved.hop !== undefined || turn.hop <= saved.hop : stryMutAct_9fa48("220") ? false : stryMutAct_9fa48("219") ? true : (stryCov_9fa48("219", "220", "221"), (stryMutAct_9fa48("223") ? turn.hop !== undefined || saved.hop !== undefined : stryMutAct_9fa48("222") ? true : (stryCov_9fa48("222", "223"), (stryMutAct_9fa48("225") ? turn.hop === undefined : stryMutAct_9fa48("224") ? true : (stryCov_9fa48("224", "225"), turn.hop !== undefined)) && (stryMutAct_9fa48("227") ? saved.hop === undefined : stryMutAct_9fa48("226") ? true : (stryCov_9fa48("226", "227"), saved.hop !== undefined)))) && (stryMutAct_9fa48("230") ? turn.hop > saved.hop : stryMutAct_9fa48("229") ? turn.hop < saved.hop : stryMutAct_9fa48("228") ? true : (stryCov_9fa48("228", "229", "230"), turn.hop <= saved.hop)))) {
        if (stryMutAct_9fa48("231")) {
          {}
        } else {
          stryCov_9fa48("231");
          return (stryMutAct_9fa48("234") ? turn.hop !== saved.hop : stryMutAct_9fa48("233") ? false : stryMutAct_9fa48("232") ? true : (stryCov_9fa48("232", "233", "234"), turn.hop === saved.hop)) ? stryMutAct_9fa48("235") ? "" : (stryCov_9fa48("235"), 'retry') : stryMutAct_9fa48("236") ? "" : (stryCov_9fa48("236"), 'stale');
        }
      }
      return stryMutAct_9fa48("237") ? "" : (stryCov_9fa48("237"), 'new');
    }
  }
});

/** The key a hop's reply is kept under: its path, or its number; undefined when the gateway gives neither. */
export function hopKeyOf(turn: UssdTurn, path: string): string | undefined {
  if (stryMutAct_9fa48("238")) {
    {}
  } else {
    stryCov_9fa48("238");
    if (stryMutAct_9fa48("241") ? turn.kind !== 'path' : stryMutAct_9fa48("240") ? false : stryMutAct_9fa48("239") ? true : (stryCov_9fa48("239", "240", "241"), turn.kind === (stryMutAct_9fa48("242") ? "" : (stryCov_9fa48("242"), 'path')))) return path;
    return (stryMutAct_9fa48("245") ? turn.hop !== undefined : stryMutAct_9fa48("244") ? false : stryMutAct_9fa48("243") ? true : (stryCov_9fa48("243", "244", "245"), turn.hop === undefined)) ? undefined : stryMutAct_9fa48("246") ? `` : (stryCov_9fa48("246"), `#${turn.hop}`);
  }
}
export function plan(turn: UssdTurn, saved: LoadResult, limits: TurnLimits): Plan {
  if (stryMutAct_9fa48("247")) {
    {}
  } else {
    stryCov_9fa48("247");
    if (stryMutAct_9fa48("249") ? false : stryMutAct_9fa48("248") ? true : (stryCov_9fa48("248", "249"), turn.release)) return stryMutAct_9fa48("250") ? {} : (stryCov_9fa48("250"), {
      kind: stryMutAct_9fa48("251") ? "" : (stryCov_9fa48("251"), 'release')
    });
    if (stryMutAct_9fa48("254") ? turn.kind === 'path' || turn.path.length > limits.maxPathChars : stryMutAct_9fa48("253") ? false : stryMutAct_9fa48("252") ? true : (stryCov_9fa48("252", "253", "254"), (stryMutAct_9fa48("256") ? turn.kind !== 'path' : stryMutAct_9fa48("255") ? true : (stryCov_9fa48("255", "256"), turn.kind === (stryMutAct_9fa48("257") ? "" : (stryCov_9fa48("257"), 'path')))) && (stryMutAct_9fa48("260") ? turn.path.length <= limits.maxPathChars : stryMutAct_9fa48("259") ? turn.path.length >= limits.maxPathChars : stryMutAct_9fa48("258") ? true : (stryCov_9fa48("258", "259", "260"), turn.path.length > limits.maxPathChars)))) return stryMutAct_9fa48("261") ? {} : (stryCov_9fa48("261"), {
      kind: stryMutAct_9fa48("262") ? "" : (stryCov_9fa48("262"), 'capped')
    });
    if (stryMutAct_9fa48("265") ? saved.kind !== 'ok' : stryMutAct_9fa48("264") ? false : stryMutAct_9fa48("263") ? true : (stryCov_9fa48("263", "264", "265"), saved.kind === (stryMutAct_9fa48("266") ? "" : (stryCov_9fa48("266"), 'ok')))) {
      if (stryMutAct_9fa48("267")) {
        {}
      } else {
        stryCov_9fa48("267");
        const env = saved.envelope;
        const relation = (stryMutAct_9fa48("270") ? turn.kind !== 'path' : stryMutAct_9fa48("269") ? false : stryMutAct_9fa48("268") ? true : (stryCov_9fa48("268", "269", "270"), turn.kind === (stryMutAct_9fa48("271") ? "" : (stryCov_9fa48("271"), 'path')))) ? hopRules.path(turn, env) : hopRules.latest(turn, env);
        if (stryMutAct_9fa48("274") ? relation === 'retry' && env.ended : stryMutAct_9fa48("273") ? false : stryMutAct_9fa48("272") ? true : (stryCov_9fa48("272", "273", "274"), (stryMutAct_9fa48("276") ? relation !== 'retry' : stryMutAct_9fa48("275") ? false : (stryCov_9fa48("275", "276"), relation === (stryMutAct_9fa48("277") ? "" : (stryCov_9fa48("277"), 'retry')))) || env.ended)) return stryMutAct_9fa48("278") ? {} : (stryCov_9fa48("278"), {
          kind: stryMutAct_9fa48("279") ? "" : (stryCov_9fa48("279"), 'replay'),
          body: env.lastReply
        });
        if (stryMutAct_9fa48("282") ? relation !== 'stale' : stryMutAct_9fa48("281") ? false : stryMutAct_9fa48("280") ? true : (stryCov_9fa48("280", "281", "282"), relation === (stryMutAct_9fa48("283") ? "" : (stryCov_9fa48("283"), 'stale')))) {
          if (stryMutAct_9fa48("284")) {
            {}
          } else {
            stryCov_9fa48("284");
            const key = hopKeyOf(turn, (stryMutAct_9fa48("287") ? turn.kind !== 'path' : stryMutAct_9fa48("286") ? false : stryMutAct_9fa48("285") ? true : (stryCov_9fa48("285", "286", "287"), turn.kind === (stryMutAct_9fa48("288") ? "" : (stryCov_9fa48("288"), 'path')))) ? turn.path : stryMutAct_9fa48("289") ? "Stryker was here!" : (stryCov_9fa48("289"), ''));
            const earlier = (stryMutAct_9fa48("292") ? key !== undefined : stryMutAct_9fa48("291") ? false : stryMutAct_9fa48("290") ? true : (stryCov_9fa48("290", "291", "292"), key === undefined)) ? undefined : stryMutAct_9fa48("294") ? env.earlier.find(([k]) => k === key)?.[1] : stryMutAct_9fa48("293") ? env.earlier?.find(([k]) => k === key)[1] : (stryCov_9fa48("293", "294"), env.earlier?.find(stryMutAct_9fa48("295") ? () => undefined : (stryCov_9fa48("295"), ([k]) => stryMutAct_9fa48("298") ? k !== key : stryMutAct_9fa48("297") ? false : stryMutAct_9fa48("296") ? true : (stryCov_9fa48("296", "297", "298"), k === key)))?.[1]);
            return stryMutAct_9fa48("299") ? {} : (stryCov_9fa48("299"), {
              kind: stryMutAct_9fa48("300") ? "" : (stryCov_9fa48("300"), 'stale'),
              body: stryMutAct_9fa48("301") ? earlier && env.lastReply : (stryCov_9fa48("301"), earlier ?? env.lastReply)
            });
          }
        }
        const input = (stryMutAct_9fa48("304") ? turn.kind !== 'latest' : stryMutAct_9fa48("303") ? false : stryMutAct_9fa48("302") ? true : (stryCov_9fa48("302", "303", "304"), turn.kind === (stryMutAct_9fa48("305") ? "" : (stryCov_9fa48("305"), 'latest')))) ? turn.input : (stryMutAct_9fa48("308") ? env.transcript !== '' : stryMutAct_9fa48("307") ? false : stryMutAct_9fa48("306") ? true : (stryCov_9fa48("306", "307", "308"), env.transcript === (stryMutAct_9fa48("309") ? "Stryker was here!" : (stryCov_9fa48("309"), '')))) ? turn.path : stryMutAct_9fa48("310") ? turn.path : (stryCov_9fa48("310"), turn.path.slice(stryMutAct_9fa48("311") ? env.transcript.length - 1 : (stryCov_9fa48("311"), env.transcript.length + 1)));
        const path = (stryMutAct_9fa48("314") ? turn.kind !== 'path' : stryMutAct_9fa48("313") ? false : stryMutAct_9fa48("312") ? true : (stryCov_9fa48("312", "313", "314"), turn.kind === (stryMutAct_9fa48("315") ? "" : (stryCov_9fa48("315"), 'path')))) ? turn.path : (stryMutAct_9fa48("318") ? env.transcript !== '' : stryMutAct_9fa48("317") ? false : stryMutAct_9fa48("316") ? true : (stryCov_9fa48("316", "317", "318"), env.transcript === (stryMutAct_9fa48("319") ? "Stryker was here!" : (stryCov_9fa48("319"), '')))) ? turn.input : stryMutAct_9fa48("320") ? `` : (stryCov_9fa48("320"), `${env.transcript}*${turn.input}`);
        if (stryMutAct_9fa48("324") ? path.length <= limits.maxPathChars : stryMutAct_9fa48("323") ? path.length >= limits.maxPathChars : stryMutAct_9fa48("322") ? false : stryMutAct_9fa48("321") ? true : (stryCov_9fa48("321", "322", "323", "324"), path.length > limits.maxPathChars)) return stryMutAct_9fa48("325") ? {} : (stryCov_9fa48("325"), {
          kind: stryMutAct_9fa48("326") ? "" : (stryCov_9fa48("326"), 'capped')
        });
        return env.resume ? stryMutAct_9fa48("327") ? {} : (stryCov_9fa48("327"), {
          kind: stryMutAct_9fa48("328") ? "" : (stryCov_9fa48("328"), 'resume-answer'),
          envelope: env,
          input,
          path
        }) : stryMutAct_9fa48("329") ? {} : (stryCov_9fa48("329"), {
          kind: stryMutAct_9fa48("330") ? "" : (stryCov_9fa48("330"), 'apply'),
          envelope: env,
          input,
          path
        });
      }
    }

    // Nothing usable saved. A latest-input gateway's first request carries deep-dial extras; a later one whose
    // session is gone (released, expired) starts at home rather than applying its input there. A session whose
    // saved state is unusable restarts at home, keeping the gateway's path so its next hop extends it.
    const path = (stryMutAct_9fa48("333") ? turn.kind !== 'path' : stryMutAct_9fa48("332") ? false : stryMutAct_9fa48("331") ? true : (stryCov_9fa48("331", "332", "333"), turn.kind === (stryMutAct_9fa48("334") ? "" : (stryCov_9fa48("334"), 'path')))) ? turn.path : (stryMutAct_9fa48("337") ? turn.isNew !== false : stryMutAct_9fa48("336") ? false : stryMutAct_9fa48("335") ? true : (stryCov_9fa48("335", "336", "337"), turn.isNew === (stryMutAct_9fa48("338") ? true : (stryCov_9fa48("338"), false)))) ? stryMutAct_9fa48("339") ? "Stryker was here!" : (stryCov_9fa48("339"), '') : turn.input;
    if (stryMutAct_9fa48("343") ? path.length <= limits.maxPathChars : stryMutAct_9fa48("342") ? path.length >= limits.maxPathChars : stryMutAct_9fa48("341") ? false : stryMutAct_9fa48("340") ? true : (stryCov_9fa48("340", "341", "342", "343"), path.length > limits.maxPathChars)) return stryMutAct_9fa48("344") ? {} : (stryCov_9fa48("344"), {
      kind: stryMutAct_9fa48("345") ? "" : (stryCov_9fa48("345"), 'capped')
    });
    const deepDial = stryMutAct_9fa48("348") ? saved.kind === 'none' || path !== '' : stryMutAct_9fa48("347") ? false : stryMutAct_9fa48("346") ? true : (stryCov_9fa48("346", "347", "348"), (stryMutAct_9fa48("350") ? saved.kind !== 'none' : stryMutAct_9fa48("349") ? true : (stryCov_9fa48("349", "350"), saved.kind === (stryMutAct_9fa48("351") ? "" : (stryCov_9fa48("351"), 'none')))) && (stryMutAct_9fa48("353") ? path === '' : stryMutAct_9fa48("352") ? true : (stryCov_9fa48("352", "353"), path !== (stryMutAct_9fa48("354") ? "Stryker was here!" : (stryCov_9fa48("354"), '')))));
    if (stryMutAct_9fa48("357") ? deepDial || countInputs(path, limits.maxDeepDialInputs) > limits.maxDeepDialInputs : stryMutAct_9fa48("356") ? false : stryMutAct_9fa48("355") ? true : (stryCov_9fa48("355", "356", "357"), deepDial && (stryMutAct_9fa48("360") ? countInputs(path, limits.maxDeepDialInputs) <= limits.maxDeepDialInputs : stryMutAct_9fa48("359") ? countInputs(path, limits.maxDeepDialInputs) >= limits.maxDeepDialInputs : stryMutAct_9fa48("358") ? true : (stryCov_9fa48("358", "359", "360"), countInputs(path, limits.maxDeepDialInputs) > limits.maxDeepDialInputs)))) return stryMutAct_9fa48("361") ? {} : (stryCov_9fa48("361"), {
      kind: stryMutAct_9fa48("362") ? "" : (stryCov_9fa48("362"), 'capped')
    });
    return stryMutAct_9fa48("363") ? {} : (stryCov_9fa48("363"), {
      kind: stryMutAct_9fa48("364") ? "" : (stryCov_9fa48("364"), 'start'),
      inputs: deepDial ? path.split(stryMutAct_9fa48("365") ? "" : (stryCov_9fa48("365"), '*')) : stryMutAct_9fa48("366") ? ["Stryker was here"] : (stryCov_9fa48("366"), []),
      path,
      restarted: stryMutAct_9fa48("369") ? saved.kind !== 'invalid' : stryMutAct_9fa48("368") ? false : stryMutAct_9fa48("367") ? true : (stryCov_9fa48("367", "368", "369"), saved.kind === (stryMutAct_9fa48("370") ? "" : (stryCov_9fa48("370"), 'invalid'))),
      offerResume: stryMutAct_9fa48("373") ? saved.kind === 'none' || path === '' : stryMutAct_9fa48("372") ? false : stryMutAct_9fa48("371") ? true : (stryCov_9fa48("371", "372", "373"), (stryMutAct_9fa48("375") ? saved.kind !== 'none' : stryMutAct_9fa48("374") ? true : (stryCov_9fa48("374", "375"), saved.kind === (stryMutAct_9fa48("376") ? "" : (stryCov_9fa48("376"), 'none')))) && (stryMutAct_9fa48("378") ? path !== '' : stryMutAct_9fa48("377") ? true : (stryCov_9fa48("377", "378"), path === (stryMutAct_9fa48("379") ? "Stryker was here!" : (stryCov_9fa48("379"), '')))))
    });
  }
}

/** Inputs in a `*`-joined path, counted only up to one past `max` so a hostile path costs nothing more. */
function countInputs(path: string, max: number): number {
  if (stryMutAct_9fa48("380")) {
    {}
  } else {
    stryCov_9fa48("380");
    if (stryMutAct_9fa48("383") ? path !== '' : stryMutAct_9fa48("382") ? false : stryMutAct_9fa48("381") ? true : (stryCov_9fa48("381", "382", "383"), path === (stryMutAct_9fa48("384") ? "Stryker was here!" : (stryCov_9fa48("384"), '')))) return 0;
    let n = 1;
    for (let i = path.indexOf(stryMutAct_9fa48("385") ? "" : (stryCov_9fa48("385"), '*')); stryMutAct_9fa48("387") ? i !== -1 || n <= max : stryMutAct_9fa48("386") ? false : (stryCov_9fa48("386", "387"), (stryMutAct_9fa48("389") ? i === -1 : stryMutAct_9fa48("388") ? true : (stryCov_9fa48("388", "389"), i !== (stryMutAct_9fa48("390") ? +1 : (stryCov_9fa48("390"), -1)))) && (stryMutAct_9fa48("393") ? n > max : stryMutAct_9fa48("392") ? n < max : stryMutAct_9fa48("391") ? true : (stryCov_9fa48("391", "392", "393"), n <= max))); i = path.indexOf(stryMutAct_9fa48("394") ? "" : (stryCov_9fa48("394"), '*'), stryMutAct_9fa48("395") ? i - 1 : (stryCov_9fa48("395"), i + 1))) stryMutAct_9fa48("396") ? n-- : (stryCov_9fa48("396"), n++);
    return n;
  }
}