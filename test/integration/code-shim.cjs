#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches, on machines where VS Code
// cannot be downloaded. It takes the same Electron-style arguments (--extensionDevelopmentPath=, --extensionTestsPath=,
// --user-data-dir=, --extensions-dir=, a folder), serves that VS Code through code-server on a free local port, loads
// the workbench in headless Chromium with the development/test payload in the URL, and exits with the exit code the
// test runner reports through window.codeAutomationExit (0 pass, 1 fail, 124 timeout).
// Based on the recipe in ../shared/vscode-e2e; paths come from scripts/install-vscode-e2e.sh.
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const util = require('node:util');
const { chromium } = require('playwright-core');

const NODE24 = process.env.CODE_SERVER_NODE;
const ENTRY = process.env.CODE_SERVER_ENTRY;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!NODE24 || !ENTRY) {
  console.error('code-shim: CODE_SERVER_NODE and CODE_SERVER_ENTRY are not set; run scripts/install-vscode-e2e.sh');
  process.exit(2);
}

const args = { dev: [], tests: undefined, userData: undefined, extensions: undefined, folder: undefined };
for (const arg of process.argv.slice(2)) {
  const eq = arg.indexOf('=');
  const key = eq < 0 ? arg : arg.slice(0, eq);
  const value = eq < 0 ? '' : arg.slice(eq + 1);
  if (key === '--extensionDevelopmentPath') args.dev.push(path.resolve(value));
  else if (key === '--extensionTestsPath') args.tests = path.resolve(value);
  else if (key === '--user-data-dir') args.userData = path.resolve(value);
  else if (key === '--extensions-dir') args.extensions = path.resolve(value);
  else if (!arg.startsWith('-') && !args.folder) args.folder = path.resolve(arg);
  // Electron-only flags (--no-sandbox, --disable-gpu-sandbox, --skip-welcome, …) mean nothing to code-server.
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A quiet workbench: no startup editor, no AI or git noise in the logs.
function writeUserSettings(userData) {
  const file = path.join(userData, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'git.enabled': false, 'telemetry.telemetryLevel': 'off' }, null, 1));
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-cs-'));
  const userData = args.userData || path.join(tmp, 'user-data');
  const extensions = args.extensions || path.join(tmp, 'extensions');
  const folder = args.folder || path.join(tmp, 'workspace');
  for (const d of [userData, extensions, folder]) fs.mkdirSync(d, { recursive: true });
  writeUserSettings(userData);
  fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\n');
  const port = await freePort();
  const server = cp.spawn(
    NODE24,
    [ENTRY, '--config', path.join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensions,
      // Without the smoke-test driver the workbench ignores the development/test payload and no test ever starts.
      '--vscode-option', 'enable-smoke-test-driver'],
    { env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg'), XDG_DATA_HOME: path.join(tmp, 'xdg') }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const serverLog = fs.createWriteStream(path.join(tmp, 'code-server.log'));
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  let code = 1;
  let context;
  try {
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (i > 300) throw new Error(`code-server did not start within 60 s; its log: ${path.join(tmp, 'code-server.log')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    context = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] || (await context.newPage());
    let finish;
    const exited = new Promise((r) => (finish = r));
    await page.exposeFunction('codeAutomationExit', (c) => finish(c));
    // Extension-host output arrives as console.log('%c INFO', css, format, …args): re-format it for our stdout.
    page.on('console', async (m) => {
      const text = m.text();
      if (process.env.VERBOSE) return console.log('[page]', text);
      if (!text.includes('%s') && !text.includes('%d')) return;
      try {
        const values = await Promise.all(m.args().map((x) => x.jsonValue()));
        console.log(util.format(...values.slice(2)));
      } catch {
        console.log(text);
      }
    });
    const remote = `vscode-remote://127.0.0.1:${port}`;
    const payload = args.dev.map((d) => ['extensionDevelopmentPath', remote + d]);
    if (args.tests) payload.push(['extensionTestsPath', remote + args.tests]);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timer = setTimeout(() => finish(124), Number(process.env.TEST_TIMEOUT_MS || 300000));
    code = await exited;
    clearTimeout(timer);
    if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT }).catch(() => undefined);
  } finally {
    if (context) await context.close().catch(() => undefined);
    // Stop the whole process group: code-server leaves its extension host and helpers behind otherwise.
    const gone = new Promise((r) => server.once('exit', r));
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
