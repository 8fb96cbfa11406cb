// End-to-end, as a user gets it: `npm run package` builds the .vsix; its contents must be exactly what
// .vscodeignore allows; it installs into the code-server VS Code; opened on a copy of examples/, the extension
// activates by itself and the Scaling Runs view lists the runs; "Fit Scaling Law…" with every default opens the
// Scaling panel and draws the fit with no other command. Prints two timings as TAP comments (measured, not
// asserted: the machine is shared): the last fit prompt to a drawn plot, and "Open Scaling Panel" on a closed panel
// to a drawn plot. Screenshots go to test-results/.
// Prints TAP lines and "# pass N" / "# fail N" for scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
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

const oneLine = (text, max) => text.replace(/\s+/g, ' ').trim().slice(0, max);

/** Every file under a folder (the code-server user data's logs), depth first; none when it is missing. */
function logFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? logFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Where the fit's time went, from the last prompt's Enter: the panel page's start and its marks (every state or
 * delta it received, every drawn plot) on the page's clock, and the extension's own log lines about the fit and the
 * panel (their timestamps are the extension host's local time).
 */
async function printFitBreakdown(page, lastPrompt, logs) {
  for (const f of page.frames()) {
    const t = await f
      .evaluate(() => {
        if (!document.querySelector('.chart-host')) return undefined;
        const marks = performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith('scaling-lens:'))
          .map((m) => [m.name.slice(13), m.startTime]);
        return { origin: performance.timeOrigin, marks };
      })
      .catch(() => undefined);
    if (!t) continue;
    const at = (ms) => String(Math.round(t.origin + ms - lastPrompt));
    console.log(
      `# fit_breakdown_ms page_start ${at(0)}, ${t.marks.map(([k, v]) => `${k} ${at(v)}`).join(', ')} (from the last prompt)`,
    );
    break;
  }
  for (const file of logFiles(logs).filter((f) => /Scaling Lens\.log$/.test(f)))
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+) \[\w+\] (.*)$/.exec(line);
      if (!m || !/fitted|panel|worker/.test(m[3])) continue;
      const when = new Date(`${m[1]}T${m[2]}`).getTime() - lastPrompt;
      console.log(`# fit_log ${when} ms: ${oneLine(m[3], 160)}`);
    }
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
      // `~`, not `+`: once the view has shown progress (the initial scan), VS Code keeps its progress bar between
      // the header and the body.
      '.pane-header[aria-label*="Scaling Runs" i] ~ .pane-body, .pane-header:has-text("Scaling Runs") ~ .pane-body',
    )
    .first();
  if ((await view.getAttribute('aria-expanded')) === 'false') await view.click();
  const row = body.locator('.monaco-list-row', { hasText: /N .*D .*C / }).first();
  try {
    await row.waitFor({ timeout: 45_000 });
  } catch (e) {
    // Once (CI, under load) no run row showed within 60 s and nothing said why: say what the view held.
    const expanded = await view.getAttribute('aria-expanded').catch(() => null);
    const text = await body.innerText({ timeout: 2000 }).catch(() => '(no view body)');
    console.log(`  # after 45 s the Scaling Runs view is aria-expanded=${expanded}, holding: ${oneLine(text, 600)}`);
    // The header click above can land while VS Code is still restoring the view and collapse it instead: a
    // harness race, not the product's. Anything else is a failure.
    if (expanded !== 'false') throw e;
    await view.click();
    await row.waitFor({ timeout: 30_000 });
  }
  const rows = await body.locator('.monaco-list-row').count();
  record('the Scaling Runs view lists runs with N, D and C', rows >= 5, `${rows} rows`);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(repo, 'test-results/vscode-runs.png') });

  // As a user would: Fit Scaling Law… from the palette, accepting each quick pick's first item
  // (metric auto, variables N, D, law auto, final points). The panel opens by itself beside the editor and
  // draws the fit: no other command. Timed from the last prompt's Enter to a drawn plot on the visible tab.
  await runCommand(page, 'Scaling Lens: Fit Scaling Law');
  let lastPrompt = 0;
  for (let i = 0; i < 4; i++) {
    const input = page.locator('.quick-input-widget');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForTimeout(400);
    await page.keyboard.press('Enter');
    lastPrompt = Date.now();
  }
  const plotDrawn = () =>
    page
      .frameLocator('iframe.webview.ready')
      .frameLocator('#active-frame')
      .locator('.chart-host[data-state="rendered"]')
      .first()
      .waitFor({ state: 'visible', timeout: 120_000 });
  await plotDrawn();
  const fitToPlotMs = Date.now() - lastPrompt;
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await frame.locator('text=/chinchilla|kaplan|saturating|power/').first().waitFor({ timeout: 30_000 });
  record(
    'Fit Scaling Law… with every default opens the Scaling panel and draws the fit, with no other command',
    true,
    `fit_to_plot_ms ${fitToPlotMs} (target 2500; last prompt to a drawn plot, machine load ${os.loadavg()[0].toFixed(1)})`,
  );
  await printFitBreakdown(page, lastPrompt, join(tmp, 'user-data', 'logs'));
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(repo, 'test-results/vscode-panel.png') });

  // Open Scaling Panel on a closed panel: timed from choosing the command to a drawn plot. Measured, not asserted.
  await runCommand(page, 'View: Close All Editors');
  await page.locator('iframe.webview.ready').first().waitFor({ state: 'detached', timeout: 20_000 });
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 5000 });
  await page.keyboard.type('Scaling Lens: Open Scaling Panel');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Scaling Panel' }).first().waitFor();
  const opened = Date.now();
  await page.keyboard.press('Enter');
  await plotDrawn();
  const openToPlotMs = Date.now() - opened;
  console.log(`# fit_to_plot_ms ${fitToPlotMs} (target 2500)`);
  console.log(`# open_panel_to_plot_ms ${openToPlotMs} (target 1000)`);
  // Where that time went, from the panel page's own clock: VS Code making the webview until our page starts
  // loading, our script's download, the script running until the host's state and the first drawn plot.
  for (const f of page.frames()) {
    const t = await f
      .evaluate(() => {
        if (!document.querySelector('.chart-host')) return undefined;
        const script = performance.getEntriesByType('resource').find((e) => e.name.includes('main.js'));
        const marks = {};
        for (const m of performance.getEntriesByType('mark'))
          if (m.name.startsWith('scaling-lens:') && !(m.name.slice(13) in marks)) marks[m.name.slice(13)] = m.startTime;
        return { origin: performance.timeOrigin, scriptEnd: script?.responseEnd, marks };
      })
      .catch(() => undefined);
    if (!t) continue;
    const from = (ms) => (ms === undefined ? 'n/a' : String(Math.round(ms)));
    console.log(
      `# open_panel_breakdown_ms vscode_until_page ${from(t.origin - opened)}, script_loaded ${from(t.scriptEnd)}, ` +
        Object.entries(t.marks)
          .map(([k, v]) => `${k} ${from(v)}`)
          .join(', ') +
        ` (page clock from page start)`,
    );
    break;
  }
  console.log(`# load_average_1m ${os.loadavg()[0].toFixed(2)}`);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(repo, 'test-results/vscode-panel-reopened.png') });
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
  // The page's DOM at the failure, to see what a locator missed.
  const html = browser
    ? await browser
        .pages()[0]
        ?.content()
        .catch(() => '')
    : '';
  if (html) writeFileSync(join(repo, 'test-results/vscode-failure.html'), html);
  // The extension's own log and the extension host's: what a CI run without its artifacts can still show.
  for (const file of logFiles(join(tmp, 'user-data', 'logs')).filter((f) => /(Scaling Lens|exthost)\.log$/.test(f)))
    console.log(`  # ${file}:\n  #   ${readFileSync(file, 'utf8').trim().split('\n').slice(-40).join('\n  #   ')}`);
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
}
finish();
