// Starts and stops the code-server VS Code that scripts/install-vscode-e2e.sh installed, and opens its workbench
// in headless Chromium. Used by the integration-test shim and by the end-to-end tests (package install, screenshots).
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');

/** CODE_SERVER_NODE / CODE_SERVER_ENTRY / CHROMIUM from the environment or the installer's env file. */
function codeServerEnv() {
  const fromEnv = {
    node: process.env.CODE_SERVER_NODE,
    entry: process.env.CODE_SERVER_ENTRY,
    chromium: process.env.CHROMIUM,
  };
  if (fromEnv.node && fromEnv.entry) return { ...fromEnv, chromium: fromEnv.chromium || '/usr/bin/chromium' };
  const file = path.join(process.env.SCALING_LENS_E2E_DIR || path.join(os.homedir(), '.cache/vscode-e2e'), 'env');
  if (!fs.existsSync(file)) return undefined;
  const kv = Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { node: kv.CODE_SERVER_NODE, entry: kv.CODE_SERVER_ENTRY, chromium: kv.CHROMIUM || '/usr/bin/chromium' };
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A quiet workbench: no startup editor, no AI or git noise. Leaves an existing settings file alone. */
function writeUserSettings(userData, extra = {}) {
  const file = path.join(userData, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'workbench.tips.enabled': false,
        ...extra,
      },
      null,
      1,
    ),
  );
}

/** Runs code-server's own CLI (e.g. --install-extension) with the same isolation as the server. */
function codeServerCli(env, tmp, args) {
  fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\n');
  return cp.spawnSync(env.node, [env.entry, '--config', path.join(tmp, 'config.yaml'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg'), XDG_DATA_HOME: path.join(tmp, 'xdg') },
  });
}

/**
 * Starts code-server on a free local port (detached: its own process group, stopped as a whole).
 * Resolves once /healthz answers. `smokeTestDriver` is needed for the dev/test payload of runTests.
 */
async function startCodeServer(env, { tmp, userData, extensions, smokeTestDriver = false }) {
  fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\n');
  const port = await freePort();
  const args = [
    env.entry,
    '--config',
    path.join(tmp, 'config.yaml'),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const server = cp.spawn(env.node, args, {
    env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg'), XDG_DATA_HOME: path.join(tmp, 'xdg') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logFile = path.join(tmp, 'code-server.log');
  const log = fs.createWriteStream(logFile);
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  const stop = async () => {
    const gone = new Promise((r) => server.once('exit', r));
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // stopped by SIGTERM
    }
  };
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) {
      await stop();
      throw new Error(`code-server did not start within 60 s; its log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, url: `http://127.0.0.1:${port}`, stop, logFile };
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function launchBrowser(env, profileDir) {
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: env.chromium,
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: chromiumArgs,
  });
}

/** Runs a command from the palette by its title; retries while the workbench is still settling. */
async function runCommand(page, title, timeoutMs = 60000) {
  const widget = page.locator('.quick-input-widget');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    try {
      await widget.waitFor({ state: 'visible', timeout: 2000 });
      await page.keyboard.type(title);
      await row.waitFor({ timeout: 3000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
  await row.click();
}

module.exports = {
  codeServerEnv,
  startCodeServer,
  codeServerCli,
  writeUserSettings,
  launchBrowser,
  runCommand,
  chromiumArgs,
};
