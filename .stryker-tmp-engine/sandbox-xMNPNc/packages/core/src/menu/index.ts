// @ts-nocheck
export type { Measurement, ScreenLimits } from './budget.js';
export { defaultScreenLimits, limitFor, measureBody } from './budget.js';
export type { CompiledMenu, MenuMachineContext } from './compile.js';
export { compileMenu, definitionProblems } from './compile.js';
export { menuToMermaid } from './diagram.js';
export type {
  Choice,
  EndScreen,
  InputSchema,
  MenuDefinition,
  MenuMessages,
  MenuScreen,
  PromptScreen,
  ScreenDef,
  StepResult,
  StepScreen,
  StepTools,
} from './dsl.js';
export { createMenu, defaultMessages } from './dsl.js';
export type { MenuEdge } from './graph.js';
export { menuGraph } from './graph.js';
export type { Encoding } from './gsm.js';
export { encodingOf, measureText, normalizeScreenText } from './gsm.js';
export type { LintFinding, LintOptions } from './lint.js';
export { lintMenu } from './lint.js';
export { paginate } from './paginate.js';
export type { NavigationKeys, NavigationLabels, Screen, ScreenMeta, ScreenOption } from './screen.js';
export { defaultNavigationKeys, defaultNavigationLabels } from './screen.js';
export type { Localized, SessionInfo, Text } from './text.js';
export { pickLanguage, resolveText } from './text.js';
