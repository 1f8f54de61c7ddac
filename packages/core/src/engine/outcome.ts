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
  return plan === 'replay' || plan === 'stale' || plan === 'capped' ? plan : 'ok';
}

/** The outcome of a turn that failed. */
export function outcomeOfError(err: unknown): 'busy' | 'timeout' | 'error' {
  return isUssdError(err, 'SESSION_BUSY') ? 'busy' : isUssdError(err, 'TURN_TIMEOUT') ? 'timeout' : 'error';
}
