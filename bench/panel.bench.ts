/**
 * Scaling panel: time to draw a 100,000-point learning curve in the real webview bundle in headless Chromium
 * (target under 1 s), from the moment the host's state message arrives until the plot is drawn and painted. The
 * host thins the curve for drawing (min/max envelope for the raw curve, LTTB for the smoothed one); the fit would
 * still use every point. render_100k_ms is a full embed in a webview that has drawn before; render_100k_cold_ms
 * is the first plot of a fresh page (the JIT has not compiled Vega yet). Baselines from the same run, measured the
 * same (warm) way: the same spec with every point drawn (no thinning), and a 1,000-point curve (the fixed cost of
 * a render). Also: the host-side build (smoothing + thinning), a data-only update of the live view after a log
 * append (host and webview parts), and the message sizes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import {
  defaultViewOptions,
  type ChartModel,
  type PanelState,
  type Row,
  type ViewOptions,
} from '../src/contract/panel';
import { buildPanelState } from '../src/core/view/panelState';
import { emaSmooth } from '../src/core/view/smoothing';
import type { CurveInput } from '../src/core/view/types';
import { makeNonce, panelHtml } from '../src/extension/panel/html';

const TARGET_MS = 1000;
const POINTS = 100_000;
const BASELINE_CAP_MS = 120_000;

/** A loss curve as a long run logs it: power-law decay in tokens, 2% noise, a few loss spikes. */
function syntheticCurve(n: number, seed = 1): CurveInput {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const step = new Float64Array(n);
  const tokens = new Float64Array(n);
  const value = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    step[i] = i + 1;
    tokens[i] = (i + 1) * 524_288;
    value[i] =
      (1.8 + 400 / 3e8 ** 0.34 + 1200 / tokens[i] ** 0.3) * (1 + 0.02 * (rand() - 0.5)) + (rand() < 1e-4 ? 2 : 0);
  }
  return {
    runId: 'bench/gpt-300M',
    metric: 'train/loss',
    step,
    value,
    tokens,
    N: 3e8,
    D: tokens[n - 1],
    format: 'jsonl',
  };
}

/** The same chart with every point in its data: what drawing without thinning costs. */
function withoutThinning(state: PanelState, c: CurveInput, options: ViewOptions): PanelState {
  const chart = state.charts.curves as ChartModel;
  const sm = emaSmooth(c.value, options.smoothing);
  const raw: Row[] = [];
  const smoothed: Row[] = [];
  for (let i = 0; i < c.value.length; i++) {
    const x = (c.tokens as Float64Array)[i];
    raw.push({ run: c.runId, x, y: c.value[i] });
    smoothed.push({ run: c.runId, x, y: sm[i], raw: c.value[i], step: c.step[i], tokens: x, __i: i });
  }
  return {
    ...state,
    charts: {
      ...state.charts,
      curves: { ...chart, data: { ...chart.data, raw, smoothed }, drawn: 2 * c.value.length },
    },
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const round = (v: number): number => Math.round(v * 10) / 10;

/** The state with a different chart height: the same plot, but a new spec, so the webview embeds it afresh. */
function respec(state: PanelState, height: number): PanelState {
  const chart = state.charts.curves as ChartModel;
  return { ...state, charts: { ...state.charts, curves: { ...chart, spec: { ...chart.spec, height } } } };
}

/**
 * One fresh webview page. Cold: the state is the first thing it draws (the bundle's code not yet compiled by the
 * JIT: what opening the panel costs). Warm: `warmUp` was drawn first, then this state is embedded afresh (a new
 * spec, not a data swap): what switching law, axes or theme costs. `update` then times a data-only update.
 */
async function measure(
  browser: Browser,
  url: string,
  state: PanelState,
  warmUp: PanelState | undefined,
  update?: PanelState,
): Promise<{ render: number; update?: number }> {
  const { timeRender } = await import('../test/webview/harness.mjs');
  const page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
  try {
    await page.goto(url);
    await page.waitForFunction('window.__posted.length > 0');
    await page.click('vscode-tab-header >> nth=1'); // the learning curves
    if (warmUp) await timeRender(page, 'curves', respec(warmUp, 379));
    const render = await timeRender(page, 'curves', state);
    return { render, update: update ? await timeRender(page, 'curves', update) : undefined };
  } finally {
    await page.close();
  }
}

async function repeat(
  n: number,
  f: () => Promise<{ render: number; update?: number }>,
): Promise<{ render: number[]; update: number[] }> {
  const out = { render: [] as number[], update: [] as number[] };
  for (let i = 0; i < n; i++) {
    const r = await f();
    out.render.push(r.render);
    if (r.update !== undefined) out.update.push(r.update);
  }
  return out;
}

export async function run(): Promise<Record<string, unknown>> {
  const root = join(__dirname, '..');
  if (!existsSync(join(root, 'dist/webview/main.js'))) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`node esbuild.mjs failed: ${b.stderr}`);
  }
  const options = defaultViewOptions();
  const curve = syntheticCurve(POINTS);
  let t = performance.now();
  const state = buildPanelState({ curves: [curve] }, options);
  const hostBuildMs = performance.now() - t;
  const chart = state.charts.curves as ChartModel;
  // A log append: the same run with its last 1% of points changed, rebuilt by the host (same spec, new data).
  const appended = { ...curve, value: Float64Array.from(curve.value, (v, i) => (i > POINTS * 0.99 ? v * 0.98 : v)) };
  t = performance.now();
  const update = buildPanelState({ curves: [appended] }, options);
  const hostUpdateMs = performance.now() - t;
  const naive = withoutThinning(state, curve, options);
  const smallState = buildPanelState({ curves: [syntheticCurve(1000, 2)] }, options);

  const { launchChromium, startHarness } = await import('../test/webview/harness.mjs');
  const harness = await startHarness({ panelHtml: panelHtml, makeNonce });
  const browser = await launchChromium();
  try {
    const url = harness.url('dark');
    // Every warm measurement first draws the same small plot, so they all start from the same JIT state.
    const warm = await repeat(3, () => measure(browser, url, state, smallState, update));
    const cold = await repeat(2, () => measure(browser, url, state, undefined));
    const small = await repeat(3, () => measure(browser, url, smallState, smallState));
    const naiveMs = await Promise.race([
      measure(browser, url, naive, smallState).then((r) => r.render),
      new Promise<number>((resolve) =>
        setTimeout(() => {
          resolve(Number.POSITIVE_INFINITY);
        }, BASELINE_CAP_MS),
      ),
    ]);
    const renderMs = median(warm.render);
    return {
      points: POINTS,
      points_drawn: chart.drawn,
      render_100k_ms: round(renderMs),
      render_100k_runs_ms: warm.render.map(round),
      target_ms: TARGET_MS,
      meets_target: renderMs < TARGET_MS,
      render_100k_cold_ms: round(median(cold.render)),
      baseline_no_thinning_ms: Number.isFinite(naiveMs) ? round(naiveMs) : `> ${BASELINE_CAP_MS}`,
      baseline_1k_points_ms: round(median(small.render)),
      host_build_100k_ms: round(hostBuildMs),
      update_after_append_host_ms: round(hostUpdateMs),
      update_after_append_webview_ms: round(median(warm.update)),
      message_kb: Math.round(JSON.stringify(state).length / 1024),
      message_kb_no_thinning: Math.round(JSON.stringify(naive).length / 1024),
    };
  } finally {
    await browser.close();
    harness.close();
  }
}
