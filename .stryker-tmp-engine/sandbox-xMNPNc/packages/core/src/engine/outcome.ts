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
import { isUssdError } from '../errors.js';
import type { Plan } from './plan.js';

/**
 * How a turn ended, for metrics and logs. `replay`: a retry answered from the stored reply; `stale`: an earlier or
 * competing hop answered without running anything; `capped`: a request past the work limits; `busy`: the
 * session's lock could not be taken in time.
 */
export type TurnOutcome = 'ok' | 'replay' | 'stale' | 'capped' | 'timeout' | 'error' | 'busy';

/** The outcome of a turn that went to plan. */
export function outcomeOfPlan(plan: Plan['kind']): TurnOutcome {
  if (stryMutAct_9fa48("174")) {
    {}
  } else {
    stryCov_9fa48("174");
    return (stryMutAct_9fa48("177") ? (plan === 'replay' || plan === 'stale') && plan === 'capped' : stryMutAct_9fa48("176") ? false : stryMutAct_9fa48("175") ? true : (stryCov_9fa48("175", "176", "177"), (stryMutAct_9fa48("179") ? plan === 'replay' && plan === 'stale' : stryMutAct_9fa48("178") ? false : (stryCov_9fa48("178", "179"), (stryMutAct_9fa48("181") ? plan !== 'replay' : stryMutAct_9fa48("180") ? false : (stryCov_9fa48("180", "181"), plan === (stryMutAct_9fa48("182") ? "" : (stryCov_9fa48("182"), 'replay')))) || (stryMutAct_9fa48("184") ? plan !== 'stale' : stryMutAct_9fa48("183") ? false : (stryCov_9fa48("183", "184"), plan === (stryMutAct_9fa48("185") ? "" : (stryCov_9fa48("185"), 'stale')))))) || (stryMutAct_9fa48("187") ? plan !== 'capped' : stryMutAct_9fa48("186") ? false : (stryCov_9fa48("186", "187"), plan === (stryMutAct_9fa48("188") ? "" : (stryCov_9fa48("188"), 'capped')))))) ? plan : stryMutAct_9fa48("189") ? "" : (stryCov_9fa48("189"), 'ok');
  }
}

/** The outcome of a turn that failed. */
export function outcomeOfError(err: unknown): 'busy' | 'timeout' | 'error' {
  if (stryMutAct_9fa48("190")) {
    {}
  } else {
    stryCov_9fa48("190");
    return isUssdError(err, stryMutAct_9fa48("191") ? "" : (stryCov_9fa48("191"), 'SESSION_BUSY')) ? stryMutAct_9fa48("192") ? "" : (stryCov_9fa48("192"), 'busy') : isUssdError(err, stryMutAct_9fa48("193") ? "" : (stryCov_9fa48("193"), 'TURN_TIMEOUT')) ? stryMutAct_9fa48("194") ? "" : (stryCov_9fa48("194"), 'timeout') : stryMutAct_9fa48("195") ? "" : (stryCov_9fa48("195"), 'error');
  }
}