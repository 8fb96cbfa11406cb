// The README's test command. Runs the unit tests (node's test runner on test/unit/**/*.test.ts through tsx),
// then the integration tests inside a real VS Code (test/integration), then the webview tests in Chromium
// (test/webview), then the packaged .vsix installed and used in VS Code (test/e2e), and ends with one line "N passed, N failed, N skipped" summing all of them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const only = ['--unit', '--integration', '--webview', '--e2e'].filter((a) => args.has(a));
const want = (k) => only.length === 0 || only.includes(k);

function files(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let anyFailure = false;

function runTap(label, cmd, argv, env = {}) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 << 20 });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const num = (re) => {
    const all = [...(r.stdout ?? '').matchAll(re)];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  const pass = num(/^# pass (\d+)/gm),
    fail = num(/^# fail (\d+)/gm),
    skip = num(/^# skipped (\d+)/gm) + num(/^# todo (\d+)/gm);
  totals.passed += pass;
  totals.failed += fail;
  totals.skipped += skip;
  if (r.status !== 0) {
    anyFailure = true;
    if (fail === 0) {
      totals.failed += 1; // the suite itself failed (crash, timeout, build error)
      console.log(`${label}: exited with ${r.status ?? r.signal} (counted as one failure)`);
    }
  }
}

if (want('--unit')) {
  const unit = files('test/unit', '.test.ts');
  runTap('unit tests', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...unit]);
}
if (want('--integration') && existsSync('test/integration/run.mjs')) {
  runTap('integration tests (real VS Code)', process.execPath, ['test/integration/run.mjs']);
}
if (want('--webview') && existsSync('test/webview/run.mjs')) {
  runTap('webview tests (headless Chromium)', process.execPath, ['test/webview/run.mjs']);
}

if (want('--e2e') && existsSync('test/e2e/run.mjs')) {
  runTap('end-to-end: package, install, use (real VS Code)', process.execPath, ['test/e2e/run.mjs']);
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(anyFailure || totals.failed > 0 ? 1 : 0);
