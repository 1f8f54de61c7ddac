/** @module @rolax/ussd-core/menu-tools */
// What tools read from a menu definition: the compiled machine, problems, lint, the graph and its diagram.
export type { MenuMachineContext } from '../menu/compile.js';
export { compileMenu, definitionProblems } from '../menu/compile.js';
export { menuToMermaid } from '../menu/diagram.js';
export type { MenuEdge } from '../menu/graph.js';
export { menuGraph } from '../menu/graph.js';
export type { LintFinding, LintOptions } from '../menu/lint.js';
export { lintMenu } from '../menu/lint.js';
export { resolveText } from '../menu/text.js';
