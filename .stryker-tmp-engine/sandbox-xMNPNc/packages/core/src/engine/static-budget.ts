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
import { UssdError } from '../errors.js';
import type { ScreenLimits } from '../menu/budget.js';
import type { CompiledMenu } from '../menu/compile.js';
import { fixedScreenProblems } from '../menu/fixed-screens.js';
import type { NavigationKeys } from '../menu/screen.js';

/** The tightest limit any configured network imposes. */
export function tightestLimit(limits: ScreenLimits): number {
  if (stryMutAct_9fa48("464")) {
    {}
  } else {
    stryCov_9fa48("464");
    return stryMutAct_9fa48("465") ? Math.max(limits.default, ...Object.values(limits.byNetwork)) : (stryCov_9fa48("465"), Math.min(limits.default, ...Object.values(limits.byNetwork)));
  }
}

/**
 * Screens whose text and options are fixed are measured when the app is built, in every language, against the
 * tightest network: a screen that can never fit is a definition error, not a surprise on a customer's phone.
 */
export function checkStaticBudgets(menu: CompiledMenu, limits: ScreenLimits, keys: NavigationKeys, gatewayLimit = Number.POSITIVE_INFINITY): void {
  if (stryMutAct_9fa48("466")) {
    {}
  } else {
    stryCov_9fa48("466");
    const septetLimit = stryMutAct_9fa48("467") ? Math.max(tightestLimit(limits), gatewayLimit) : (stryCov_9fa48("467"), Math.min(tightestLimit(limits), gatewayLimit));
    const problems = fixedScreenProblems(menu.definition, keys, stryMutAct_9fa48("468") ? [] : (stryCov_9fa48("468"), [stryMutAct_9fa48("469") ? [] : (stryCov_9fa48("469"), [stryMutAct_9fa48("470") ? "" : (stryCov_9fa48("470"), 'tightest'), septetLimit])])).map(stryMutAct_9fa48("471") ? () => undefined : (stryCov_9fa48("471"), p => stryMutAct_9fa48("472") ? `` : (stryCov_9fa48("472"), `screen "${p.screen}" (${p.lang}): ${p.message}`)));
    if (stryMutAct_9fa48("476") ? problems.length <= 0 : stryMutAct_9fa48("475") ? problems.length >= 0 : stryMutAct_9fa48("474") ? false : stryMutAct_9fa48("473") ? true : (stryCov_9fa48("473", "474", "475", "476"), problems.length > 0)) {
      if (stryMutAct_9fa48("477")) {
        {}
      } else {
        stryCov_9fa48("477");
        throw new UssdError(stryMutAct_9fa48("478") ? "" : (stryCov_9fa48("478"), 'MENU_DEFINITION'), stryMutAct_9fa48("479") ? `` : (stryCov_9fa48("479"), `menu "${menu.id}" has screens that can never fit:\n- ${problems.join(stryMutAct_9fa48("480") ? "" : (stryCov_9fa48("480"), '\n- '))}`));
      }
    }
  }
}