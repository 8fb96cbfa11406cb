// End-to-end, as a user gets it: `npm run package` builds the .vsix; its contents must be exactly what
// .vscodeignore allows; it installs into the code-server VS Code; opened on a copy of examples/, the extension
// activates by itself and the Scaling Runs view lists the runs. Screenshots go to test-results/.
// Prints TAP lines and "# pass N" / "# fail N" for scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const {
  codeServerEnv,
  codeServerCli,
  startCodeServer,
  launchBrowser,
  writeUserSettings,
  runCommand,
} = require('./codeServer.cjs');
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const results = [];
const record = (name, ok, detail = '') => {
  results.push({ name, ok, detail });
  console.log(
    `${ok ? 'ok' : 'not ok'} ${results.length} - ${name}${detail ? `\n  # ${detail.split('\n').join('\n  # ')}` : ''}`,
  );
};
const finish = () => {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`# pass ${results.length - failed}\n# fail ${failed}`);
  process.exit(failed ? 1 : 0);
};

/** Entry names of a zip file, from its central directory. */
function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const nameLen = buf.readUInt16LE(p + 28),
      extraLen = buf.readUInt16LE(p + 30),
      commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const env = codeServerEnv();
if (!env) {
  record('the code-server VS Code is installed', false, 'run `bash scripts/install-vscode-e2e.sh`');
  finish();
}

const tmp = mkdtempSync(join(tmpdir(), 'scaling-lens-e2e-'));
const vsix = join(repo, 'scaling-lens.vsix');
const pack = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repo, encoding: 'utf8' });
record(
  'npm run package builds scaling-lens.vsix',
  pack.status === 0 && existsSync(vsix),
  pack.status === 0 ? '' : (pack.stdout + pack.stderr).slice(-2000),
);
if (!existsSync(vsix)) finish();

const entries = zipEntries(vsix);
const allowed = (n) =>
  [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/readme.md',
    'extension/LICENSE.txt',
    'extension/changelog.md',
  ].includes(n) || /^extension\/(dist|media)\//.test(n);
const stray = entries.filter((n) => !allowed(n) || n.endsWith('.map'));
record(
  'the .vsix holds only what .vscodeignore allows',
  stray.length === 0,
  stray.length ? `unexpected: ${stray.slice(0, 20).join(', ')}` : '',
);
const needed = [
  'extension/dist/extension.js',
  'extension/dist/fitWorker.js',
  'extension/dist/cli.js',
  'extension/dist/sql-wasm.wasm',
].filter((n) => !entries.includes(n));
record(
  'the .vsix holds the extension, worker, CLI and SQLite bundles',
  needed.length === 0,
  needed.length ? `missing: ${needed.join(', ')}` : '',
);

const userData = join(tmp, 'user-data');
const extensions = join(tmp, 'extensions');
mkdirSync(extensions, { recursive: true });
writeUserSettings(userData, { 'workbench.colorTheme': 'Default Dark Modern' });
const install = codeServerCli(env, tmp, [
  '--install-extension',
  vsix,
  '--extensions-dir',
  extensions,
  '--user-data-dir',
  userData,
]);
const installed = install.status === 0 && /scaling-lens/i.test(install.stdout + install.stderr);
record(
  'the .vsix installs into the code-server VS Code',
  installed,
  installed ? '' : (install.stdout + install.stderr).slice(-2000),
);

const workspace = join(tmp, 'workspace');
cpSync(join(repo, 'examples'), workspace, { recursive: true });
mkdirSync(join(repo, 'test-results'), { recursive: true });
let server, browser;
try {
  server = await startCodeServer(env, { tmp, userData, extensions });
  browser = await launchBrowser(env, join(tmp, 'chromium'));
  const page = browser.pages()[0] || (await browser.newPage());
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  // The view exists only once the extension has activated (its `when` is scalingLens.activated).
  const view = page.locator('.pane-header', { hasText: /Scaling Runs/i }).first();
  await view.waitFor({ timeout: 90_000 });
  record('installed from the .vsix, the extension activates on examples/ and shows the Scaling Runs view', true);
  const body = page
    .locator(
      '.pane-header[aria-label*="Scaling Runs" i] + .pane-body, .pane-header:has-text("Scaling Runs") + .pane-body',
    )
    .first();
  if ((await view.getAttribute('aria-expanded')) === 'false') await view.click();
  const row = body.locator('.monaco-list-row', { hasText: /N .*D .*C / }).first();
  await row.waitFor({ timeout: 60_000 });
  const rows = await body.locator('.monaco-list-row').count();
  record('the Scaling Runs view lists runs with N, D and C', rows >= 5, `${rows} rows`);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(repo, 'test-results/vscode-runs.png') });

  // As a user would: Fit Scaling Law… from the palette, accepting each quick pick's first item
  // (metric auto, variables N, D, law auto, final points), then the panel shows the fit.
  await runCommand(page, 'Scaling Lens: Fit Scaling Law');
  for (let i = 0; i < 4; i++) {
    const input = page.locator('.quick-input-widget');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForTimeout(400);
    await page.keyboard.press('Enter');
  }
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 20_000 });
  await runCommand(page, 'Scaling Lens: Open Scaling Panel');
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await frame.locator('text=/chinchilla|kaplan|saturating|power/').first().waitFor({ timeout: 120_000 });
  await frame.locator('svg path').nth(10).waitFor({ timeout: 60_000 });
  record('Fit Scaling Law… from the command palette draws the fit in the Scaling panel', true);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(repo, 'test-results/vscode-panel.png') });
} catch (e) {
  record(
    'the installed extension works in VS Code',
    false,
    `${e instanceof Error ? e.stack : String(e)}\ncode-server log: ${server?.logFile ?? '(not started)'}`,
  );
  if (browser)
    await browser
      .pages()[0]
      ?.screenshot({ path: join(repo, 'test-results/vscode-failure.png') })
      .catch(() => undefined);
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
}
finish();
