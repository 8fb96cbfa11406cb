// Runs inside the VS Code extension host: collects the suites with mocha and writes the outcome as JSON to the
// file test/integration/run.mjs names, because the host's own stdout goes through the workbench's console.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  // Static requires so esbuild bundles them; evaluated after mocha's globals exist (an import statement would be
  // hoisted above the pre-require that defines describe/it).
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./runs.test');
  require('./fit.test');
  require('./hover.test');
  require('./panel.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const passes: string[] = [];
  const failures: { title: string; error: string }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failed) => {
      const file = process.env.SCALING_LENS_TEST_RESULTS;
      if (file) writeFileSync(file, JSON.stringify({ passes, failures }));
      if (failed > 0) reject(new Error(`${failed} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => passes.push(t.fullTitle()));
    runner.on('fail', (t, err: Error) => failures.push({ title: t.fullTitle(), error: err.stack ?? String(err) }));
  });
}
