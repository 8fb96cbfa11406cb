// Serves the Scaling panel's webview the way VS Code would, for the browser test and the panel benchmark: the page
// is the panel's own HTML (src/extension/panel/html.ts, same CSP and nonce) with the harness fragment
// (harness.html: fake VS Code API, theme variables) placed before the bundle; only dist/webview/ and media/ are
// served, as localResourceRoots allows.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '../..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const INSTALL_HELP = `headless Chromium not found at ${CHROMIUM}.
Install it (Debian/Ubuntu):  sudo apt-get install -y chromium
or run scripts/install-vscode-e2e.sh, or point CHROMIUM=/path/to/chromium at another build.
The webview test never skips: without a browser the panel's rendering, CSP and theming are untested.`;

const MIME = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' };

/**
 * @param {{ panelHtml: (p: object) => string, makeNonce: () => string }} html  the panel's HTML builder
 * @returns {Promise<{ base: string, url: (theme?: 'dark' | 'light') => string,
 *   setInitialState: (state: object | undefined) => void, close: () => void }>}
 */
export async function startHarness(html) {
  const fragment = readFileSync(join(HERE, 'harness.html'), 'utf8');
  let base = '';
  /** The state the next pages' HTML carries, as the host puts one it has built into a new panel's page. */
  let initialState;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/panel.html') {
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const nonce = html.makeNonce();
      const page = html.panelHtml({
        cspSource: base,
        scriptUri: `${base}/dist/webview/main.js`,
        styleUri: `${base}/media/panel.css`,
        nonce,
        headExtra: fragment.replaceAll('{{NONCE}}', nonce),
        initialState,
      });
      // VS Code gives the body its theme class before the webview's scripts run.
      res.writeHead(200, { 'content-type': 'text/html' }).end(page.replace('<body>', `<body class="vscode-${theme}">`));
      return;
    }
    // Chromium asks a top-level page for a favicon; a webview iframe never does.
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const file = resolve(ROOT, '.' + decodeURIComponent(url.pathname));
    const allowed = [join(ROOT, 'dist', 'webview') + sep, join(ROOT, 'media') + sep].some((r) => file.startsWith(r));
    if (!allowed || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    url: (theme = 'dark') => `${base}/panel.html?theme=${theme}`,
    /** @param {object | undefined} state  carried by the pages served from now on (undefined: none) */
    setInitialState: (state) => {
      initialState = state;
    },
    close: () => server.close(),
  };
}

/** Headless Chromium through playwright-core; throws the install instructions when the browser is missing. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(INSTALL_HELP);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/**
 * Posts a host message to the page and resolves with the milliseconds until the chart's view reports it drawn (and
 * one frame has been painted): what a user waits for after the host sends an update.
 */
export function timeMessage(page, chart, message) {
  return page.evaluate(
    async ([id, m]) => {
      const el = document.querySelector(`[data-chart="${id}"]`);
      const before = Number(el.dataset.renders ?? 0);
      const t0 = performance.now();
      window.postMessage(m, '*');
      await new Promise((res) => {
        const obs = new MutationObserver(() => {
          if (Number(el.dataset.renders ?? 0) > before) {
            obs.disconnect();
            res();
          }
        });
        obs.observe(el, { attributes: true });
      });
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    },
    [chart, message],
  );
}

/** timeMessage with a full state. */
export function timeRender(page, chart, state) {
  return timeMessage(page, chart, { type: 'state', state });
}
