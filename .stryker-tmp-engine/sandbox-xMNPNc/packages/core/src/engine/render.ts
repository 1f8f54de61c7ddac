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
import type { AnyMachineSnapshot } from 'xstate';
import { measureBody } from '../menu/budget.js';
import { normalizeScreenText } from '../menu/gsm.js';
import { type PaginateOptions, paginate } from '../menu/paginate.js';
import type { Screen, ScreenMeta } from '../menu/screen.js';

/** The `meta.ussd` of the deepest active state that has one, or undefined while the machine is still working. */
export function screenMetaOf(snapshot: AnyMachineSnapshot): ScreenMeta | undefined {
  if (stryMutAct_9fa48("397")) {
    {}
  } else {
    stryCov_9fa48("397");
    const metas = Object.values(snapshot.getMeta() as Record<string, {
      ussd?: ScreenMeta;
    } | undefined>);
    for (let i = stryMutAct_9fa48("398") ? metas.length + 1 : (stryCov_9fa48("398"), metas.length - 1); stryMutAct_9fa48("401") ? i < 0 : stryMutAct_9fa48("400") ? i > 0 : stryMutAct_9fa48("399") ? false : (stryCov_9fa48("399", "400", "401"), i >= 0); stryMutAct_9fa48("402") ? i++ : (stryCov_9fa48("402"), i--)) {
      if (stryMutAct_9fa48("403")) {
        {}
      } else {
        stryCov_9fa48("403");
        const m = stryMutAct_9fa48("404") ? metas[i].ussd : (stryCov_9fa48("404"), metas[i]?.ussd);
        if (stryMutAct_9fa48("406") ? false : stryMutAct_9fa48("405") ? true : (stryCov_9fa48("405", "406"), m)) return m;
      }
    }
    return undefined;
  }
}

/** A machine is settled when it waits for the customer, finished, or failed. */
export function isSettled(snapshot: AnyMachineSnapshot): boolean {
  if (stryMutAct_9fa48("407")) {
    {}
  } else {
    stryCov_9fa48("407");
    return stryMutAct_9fa48("410") ? snapshot.status !== 'active' && screenMetaOf(snapshot) !== undefined : stryMutAct_9fa48("409") ? false : stryMutAct_9fa48("408") ? true : (stryCov_9fa48("408", "409", "410"), (stryMutAct_9fa48("412") ? snapshot.status === 'active' : stryMutAct_9fa48("411") ? false : (stryCov_9fa48("411", "412"), snapshot.status !== (stryMutAct_9fa48("413") ? "" : (stryCov_9fa48("413"), 'active')))) || (stryMutAct_9fa48("415") ? screenMetaOf(snapshot) === undefined : stryMutAct_9fa48("414") ? false : (stryCov_9fa48("414", "415"), screenMetaOf(snapshot) !== undefined)));
  }
}
export function screenOf(snapshot: AnyMachineSnapshot): Screen | undefined {
  if (stryMutAct_9fa48("416")) {
    {}
  } else {
    stryCov_9fa48("416");
    const meta = screenMetaOf(snapshot);
    if (stryMutAct_9fa48("418") ? false : stryMutAct_9fa48("417") ? true : (stryCov_9fa48("417", "418"), meta)) return meta.render(snapshot.context);
    const output = snapshot.output as {
      text?: unknown;
    } | undefined;
    if (stryMutAct_9fa48("421") ? snapshot.status === 'done' || typeof output?.text === 'string' : stryMutAct_9fa48("420") ? false : stryMutAct_9fa48("419") ? true : (stryCov_9fa48("419", "420", "421"), (stryMutAct_9fa48("423") ? snapshot.status !== 'done' : stryMutAct_9fa48("422") ? true : (stryCov_9fa48("422", "423"), snapshot.status === (stryMutAct_9fa48("424") ? "" : (stryCov_9fa48("424"), 'done')))) && (stryMutAct_9fa48("426") ? typeof output?.text !== 'string' : stryMutAct_9fa48("425") ? true : (stryCov_9fa48("425", "426"), typeof (stryMutAct_9fa48("427") ? output.text : (stryCov_9fa48("427"), output?.text)) === (stryMutAct_9fa48("428") ? "" : (stryCov_9fa48("428"), 'string')))))) return stryMutAct_9fa48("429") ? {} : (stryCov_9fa48("429"), {
      text: output.text
    });
    return undefined;
  }
}
export function normalizeScreen(screen: Screen): Screen {
  if (stryMutAct_9fa48("430")) {
    {}
  } else {
    stryCov_9fa48("430");
    return stryMutAct_9fa48("431") ? {} : (stryCov_9fa48("431"), {
      ...screen,
      text: normalizeScreenText(screen.text),
      options: stryMutAct_9fa48("432") ? screen.options.map(o => ({
        key: o.key,
        label: normalizeScreenText(o.label)
      })) : (stryCov_9fa48("432"), screen.options?.map(stryMutAct_9fa48("433") ? () => undefined : (stryCov_9fa48("433"), o => stryMutAct_9fa48("434") ? {} : (stryCov_9fa48("434"), {
        key: o.key,
        label: normalizeScreenText(o.label)
      }))))
    });
  }
}

/**
 * Pages of a screen. A dynamic screen that cannot fit even paginated is cut rather than refused: an option too long
 * for any page gets a page of its own, cut with `...`, so every option stays reachable; a screen without options
 * is cut to one page. The customer still gets a usable screen, and the caller logs it.
 */
export function pagesOf(screen: Screen, o: PaginateOptions): {
  pages: string[];
  truncated: boolean;
} {
  if (stryMutAct_9fa48("435")) {
    {}
  } else {
    stryCov_9fa48("435");
    const s = normalizeScreen(screen);
    let truncated = stryMutAct_9fa48("436") ? true : (stryCov_9fa48("436"), false);
    try {
      if (stryMutAct_9fa48("437")) {
        {}
      } else {
        stryCov_9fa48("437");
        const pages = paginate(s, stryMutAct_9fa48("438") ? {} : (stryCov_9fa48("438"), {
          ...o,
          overflow: stryMutAct_9fa48("439") ? "" : (stryCov_9fa48("439"), 'cut'),
          onCut: stryMutAct_9fa48("440") ? () => undefined : (stryCov_9fa48("440"), () => truncated = stryMutAct_9fa48("441") ? false : (stryCov_9fa48("441"), true))
        }));
        return stryMutAct_9fa48("442") ? {} : (stryCov_9fa48("442"), {
          pages,
          truncated
        });
      }
    } catch {
      if (stryMutAct_9fa48("443")) {
        {}
      } else {
        stryCov_9fa48("443");
        const whole = (stryMutAct_9fa48("444") ? [] : (stryCov_9fa48("444"), [s.text, ...(stryMutAct_9fa48("445") ? s.options && [] : (stryCov_9fa48("445"), s.options ?? (stryMutAct_9fa48("446") ? ["Stryker was here"] : (stryCov_9fa48("446"), [])))).map(stryMutAct_9fa48("447") ? () => undefined : (stryCov_9fa48("447"), x => stryMutAct_9fa48("448") ? `` : (stryCov_9fa48("448"), `${x.key}. ${x.label}`)))])).join(stryMutAct_9fa48("449") ? "" : (stryCov_9fa48("449"), '\n'));
        return stryMutAct_9fa48("450") ? {} : (stryCov_9fa48("450"), {
          pages: stryMutAct_9fa48("451") ? [] : (stryCov_9fa48("451"), [truncate(whole, o.prefix, o.septetLimit)]),
          truncated: stryMutAct_9fa48("452") ? false : (stryCov_9fa48("452"), true)
        });
      }
    }
  }
}
function truncate(body: string, prefix: string, limit: number): string {
  if (stryMutAct_9fa48("453")) {
    {}
  } else {
    stryCov_9fa48("453");
    let cut = body;
    while (stryMutAct_9fa48("455") ? cut.length > 0 || !measureBody(`${prefix}${cut}..`, limit).fits : stryMutAct_9fa48("454") ? false : (stryCov_9fa48("454", "455"), (stryMutAct_9fa48("458") ? cut.length <= 0 : stryMutAct_9fa48("457") ? cut.length >= 0 : stryMutAct_9fa48("456") ? true : (stryCov_9fa48("456", "457", "458"), cut.length > 0)) && (stryMutAct_9fa48("459") ? measureBody(`${prefix}${cut}..`, limit).fits : (stryCov_9fa48("459"), !measureBody(stryMutAct_9fa48("460") ? `` : (stryCov_9fa48("460"), `${prefix}${cut}..`), limit).fits)))) cut = stryMutAct_9fa48("461") ? cut : (stryCov_9fa48("461"), cut.slice(0, stryMutAct_9fa48("462") ? +1 : (stryCov_9fa48("462"), -1)));
    return stryMutAct_9fa48("463") ? `` : (stryCov_9fa48("463"), `${cut}..`);
  }
}