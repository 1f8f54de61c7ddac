import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The main entry holds what a menu author and an adapter author need; everything else has a named entry. A name
// added to or dropped from the main entry fails here, so the change is made on purpose and reviewed.
const ROOT_VALUES = [
  'UssdError',
  'africasTalkingUssd',
  'arkeselUssd',
  'arkeselUssdCodec',
  'consoleLogger',
  'createMenu',
  'createUssdApp',
  'defaultEngineMessages',
  'defaultMessages',
  'defaultNavigationKeys',
  'hubtelUssd',
  'isUssdError',
  'jsonLogger',
  'maskPhone',
  'maskSecret',
  'memorySessionStore',
  'naloUssd',
  'naloUssdCodec',
  'parseReply',
  'pickLanguage',
  'reply',
  'silentLogger',
];
const ROOT_TYPES = [
  'Choice',
  'CompiledMenu',
  'DialOptions',
  'EndScreen',
  'EngineMessages',
  'Envelope',
  'HttpAnswer',
  'InputSchema',
  'LatestInputTurn',
  'Localized',
  'Logger',
  'MachineMenu',
  'MemorySessionStoreOptions',
  'MenuDefinition',
  'MenuMessages',
  'MenuScreen',
  'NavigationKeys',
  'PathTurn',
  'PromptScreen',
  'Screen',
  'ScreenDef',
  'ScreenLimits',
  'ScreenMeta',
  'ScreenOption',
  'SessionInfo',
  'SessionStore',
  'StepResult',
  'StepScreen',
  'StepTools',
  'Text',
  'TurnEvent',
  'TurnLimits',
  'TurnOutcome',
  'TurnRequestMeta',
  'UssdApp',
  'UssdAppOptions',
  'UssdCodec',
  'UssdErrorCode',
  'UssdErrorOptions',
  'UssdReply',
  'UssdTurn',
];

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const readJson = (p: string) => JSON.parse(readFileSync(repo(p), 'utf8'));
const pkg = readJson('packages/core/package.json');
const config = ts.parseJsonConfigFileContent(
  ts.readConfigFile(repo('tsconfig.json'), ts.sys.readFile).config,
  ts.sys,
  repo(''),
);
/** Every entry of the package: its import specifier and source file, as the workspace typechecks it. */
const entries = Object.entries(config.options.paths ?? {})
  .filter(([name]) => name === '@rolax/ussd-core' || name.startsWith('@rolax/ussd-core/'))
  .map(([name, [file]]) => ({ name, file: repo(file as string) }));

/** The names an entry exports, values (functions, constants, classes) apart from types. */
function surfaces() {
  const program = ts.createProgram(
    entries.map((e) => e.file),
    config.options,
  );
  const checker = program.getTypeChecker();
  return new Map(
    entries.map(({ name, file }) => {
      const source = program.getSourceFile(file);
      const module = source && checker.getSymbolAtLocation(source);
      if (!module) throw new Error(`no module for ${name}`);
      const values: string[] = [];
      const types: string[] = [];
      for (const symbol of checker.getExportsOfModule(module)) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
      }
      return [name, { values: values.sort(), types: types.sort() }];
    }),
  );
}

describe('the public surface', () => {
  const all = surfaces();

  it('of the main entry is exactly the reviewed list', () => {
    const root = all.get('@rolax/ussd-core');
    expect(root?.values).toEqual([...ROOT_VALUES].sort());
    expect(root?.types).toEqual([...ROOT_TYPES].sort());
  });

  it('gives each name of the main entry no second home in a named entry', () => {
    const root = all.get('@rolax/ussd-core');
    const rootNames = new Set([...(root?.values ?? []), ...(root?.types ?? [])]);
    const twice = [...all]
      .filter(([name]) => name !== '@rolax/ussd-core')
      .flatMap(([name, s]) => [...s.values, ...s.types].filter((n) => rootNames.has(n)).map((n) => `${name}: ${n}`));
    expect(twice).toEqual([]);
  });

  it('is wired the same in package.json, the typecheck and the API reference', () => {
    const exported = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .map((k) => (k === '.' ? '@rolax/ussd-core' : `@rolax/ussd-core/${k.slice(2)}`))
      .sort();
    expect(entries.map((e) => e.name).sort()).toEqual(exported);
    const documented = (readJson('typedoc.json').entryPoints as string[]).map(repo);
    const undocumented = entries.filter((e) => !documented.includes(e.file)).map((e) => e.name);
    expect(undocumented).toEqual([]);
  });
});
