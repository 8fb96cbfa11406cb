// Integration tests inside a real VS Code. Builds the extension and the mocha suite, copies examples/ into a temp
// workspace (tests append to logs there, never in the repo), and runs the suite through @vscode/test-electron.
// Where VS Code cannot be downloaded (this project's CI), runTests launches test/integration/code-shim.cjs, which
// serves the same VS Code through code-server (installed by scripts/install-vscode-e2e.sh). Set
// SCALING_LENS_VSCODE=desktop to let test-electron download desktop VS Code instead. A missing VS Code is a
// failure, never a skip. Prints TAP-style "ok"/"not ok" lines and "# pass N" / "# fail N" for scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fail = (why) => {
  console.log(`not ok 1 - integration tests could not start: ${why}`);
  console.log('# pass 0\n# fail 1');
  process.exit(1);
};

function codeServerEnv() {
  if (process.env.CODE_SERVER_NODE && process.env.CODE_SERVER_ENTRY) return {};
  const file = join(process.env.SCALING_LENS_E2E_DIR || join(homedir(), '.cache/vscode-e2e'), 'env');
  if (!existsSync(file)) return undefined;
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

const desktop = process.env.SCALING_LENS_VSCODE === 'desktop';
const csEnv = desktop ? {} : codeServerEnv();
if (!csEnv)
  fail(
    'the code-server VS Code is not installed; run `bash scripts/install-vscode-e2e.sh` (or set SCALING_LENS_VSCODE=desktop where VS Code can be downloaded)',
  );
Object.assign(process.env, csEnv);

const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
if (build.status !== 0) fail('the extension build failed');
const outDir = join(repo, 'out/integration');
rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(repo, 'test/integration/suite/index.ts')],
  outfile: join(outDir, 'suite.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: true,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
  alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' },
});

const tmp = mkdtempSync(join(tmpdir(), 'scaling-lens-it-'));
const workspace = join(tmp, 'workspace');
cpSync(join(repo, 'examples'), workspace, { recursive: true });
const userData = join(tmp, 'user-data');
mkdirSync(userData, { recursive: true });
const resultsFile = join(tmp, 'results.json');

let exitCode = 1;
try {
  exitCode = await runTests({
    ...(desktop ? {} : { vscodeExecutablePath: join(repo, 'test/integration/code-shim.cjs') }),
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(outDir, 'suite.js'),
    launchArgs: [workspace, `--user-data-dir=${userData}`, '--disable-extensions'],
    extensionTestsEnv: {
      SCALING_LENS_TEST_RESULTS: resultsFile,
      SCALING_LENS_TEST_WORKSPACE: workspace,
      SCALING_LENS_REPO: repo,
    },
  });
} catch (e) {
  console.log(`# runTests: ${e instanceof Error ? e.message : String(e)}`);
}

if (!existsSync(resultsFile))
  fail(
    `the suite wrote no results (VS Code exit code ${exitCode}); rerun with VERBOSE=1 KEEP_TMP=1 for the workbench log`,
  );
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
let n = 0;
for (const t of results.passes) console.log(`ok ${++n} - ${t}`);
for (const t of results.failures) {
  console.log(`not ok ${++n} - ${t.title}`);
  for (const line of String(t.error).split('\n')) console.log(`  # ${line}`);
}
console.log(`# pass ${results.passes.length}\n# fail ${results.failures.length}`);
if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
process.exit(results.failures.length === 0 && exitCode === 0 ? 0 : 1);
