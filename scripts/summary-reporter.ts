import type { Reporter, TestModule } from 'vitest/node';
import { installLine } from './system-tools.js';

/**
 * Ends the run with one plain `N passed, N failed` line that any CI can read, after naming every test skipped for
 * want of a system package and the line that installs it.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const needsTool: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          if (/\[needs [\w-]+\]/.test(t.fullName)) needsTool.push(t.fullName);
        }
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    if (needsTool.length > 0) {
      const lines = needsTool.map((name) => `  skipped: ${name}`).join('\n');
      process.stdout.write(`\n${lines}\n${needsTool.length} test(s) skipped: to run them, ${installLine}\n`);
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
