export type { Measurement, ScreenLimits } from './budget.js';
export { defaultScreenLimits, limitFor, measureBody } from './budget.js';
export type { CompiledMenu, MenuMachineContext } from './compile.js';
export { compileMenu } from './compile.js';
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
export type { Encoding } from './gsm.js';
export { encodingOf, measureText, normalizeScreenText } from './gsm.js';
export { paginate } from './paginate.js';
export type { NavigationKeys, NavigationLabels, Screen, ScreenMeta, ScreenOption } from './screen.js';
export { defaultNavigationKeys, defaultNavigationLabels } from './screen.js';
export type { Localized, SessionInfo, Text } from './text.js';
export { pickLanguage, resolveText } from './text.js';
