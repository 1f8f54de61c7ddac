/** @module @rolax/ussd-core/budget */
// Screen budgets: GSM-7 and UCS-2 measurement, per-network limits, pagination with `98` and `0`.
export { tightestLimit } from '../engine/static-budget.js';
export type { Measurement } from '../menu/budget.js';
export { defaultScreenLimits, limitFor, measureBody } from '../menu/budget.js';
export type { Encoding } from '../menu/gsm.js';
export { encodingOf, measureText, normalizeScreenText } from '../menu/gsm.js';
export { paginate } from '../menu/paginate.js';
export type { NavigationLabels } from '../menu/screen.js';
export { defaultNavigationLabels } from '../menu/screen.js';
