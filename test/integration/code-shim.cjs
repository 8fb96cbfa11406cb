#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches, on machines where VS Code
// cannot be downloaded. It takes the same Electron-style arguments (--extensionDevelopmentPath=, --extensionTestsPath=,
// --user-data-dir=, --extensions-dir=, a folder), serves that VS Code through code-server, loads the workbench in
// headless Chromium with the development/test payload in the URL, and exits with the code the test runner reports
// through window.codeAutomationExit (0 pass, 1 fail, 124 timeout). Recipe: ../shared/vscode-e2e.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { codeServerEnv, launchBrowser, startCodeServer, writeUserSettings } = require('../e2e/codeServer.cjs');

const env = codeServerEnv();
if (!env) {
  console.error('code-shim: the code-server VS Code is not installed; run scripts/install-vscode-e2e.sh');
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

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-cs-'));
  const userData = args.userData || path.join(tmp, 'user-data');
  const extensions = args.extensions || path.join(tmp, 'extensions');
  const folder = args.folder || path.join(tmp, 'workspace');
  for (const d of [userData, extensions, folder]) fs.mkdirSync(d, { recursive: true });
  writeUserSettings(userData);
  // Without the smoke-test driver the workbench ignores the development/test payload and no test ever starts.
  const server = await startCodeServer(env, { tmp, userData, extensions, smokeTestDriver: true });
  let code = 1;
  let context;
  try {
    context = await launchBrowser(env, path.join(tmp, 'chromium'));
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
    const remote = `vscode-remote://127.0.0.1:${server.port}`;
    const payload = args.dev.map((d) => ['extensionDevelopmentPath', remote + d]);
    if (args.tests) payload.push(['extensionTestsPath', remote + args.tests]);
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const timer = setTimeout(() => finish(124), Number(process.env.TEST_TIMEOUT_MS || 300000));
    code = await exited;
    clearTimeout(timer);
  } finally {
    if (context) await context.close().catch(() => undefined);
    await server.stop();
    if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
