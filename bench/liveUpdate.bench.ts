/**
 * Live update at scale: 1,000 runs, one of them appends to its log; how long until the panel shows it? Measured
 * as the extension does it: the watcher's changed path goes to Catalog.refresh (which reads only the appended
 * bytes), the panel input is rebuilt (learning curves of every run, the cached fit), the view model is built,
 * diffed against the state the webview holds and the delta serialised for postMessage, and the real webview
 * bundle applies it in headless Chromium (a Vega changeset on the canvas). Target: 200 ms at 1,000 runs; the
 * first draw of the 1,000 curves under 1,000 ms. Baselines, in the same run: re-reading every run from scratch (a
 * fresh scan), as a tool without incremental reading would; and sending the whole state on every append, as the
 * panel did before deltas. The refit itself runs afterwards in the worker and is not on this path.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { defaultViewOptions } from '../src/contract/panel';
import { datasetFromRuns } from '../src/core/fit/dataset';
import { fitDataset } from '../src/core/fit/engine';
import { Catalog } from '../src/core/ingest/catalog';
import { loadCompiler, withCompiledSpecs } from '../src/core/view/compileSpecs';
import { diffPanelState } from '../src/core/view/panelDelta';
import { buildPanelState } from '../src/core/view/panelState';
import { curveInputsFromRuns } from '../src/core/view/runCurves';
import { makeNonce, panelHtml } from '../src/extension/panel/html';

const RUNS = Number(process.env.LIVE_RUNS ?? 1000);
const LINES = 100;
const TARGET_MS = 200;
const FIRST_DRAW_TARGET_MS = 1000;
/** Appends timed through the full-state baseline (each costs a whole redraw). */
const BASELINE_APPENDS = 5;
const truth = { E: 1.8, A: 400, B: 1200, alpha: 0.34, beta: 0.3 };

function makeCorpus(dir: string): string[] {
  const logs: string[] = [];
  for (let r = 0; r < RUNS; r++) {
    const N = 1e7 * 10 ** ((r % 20) / 8);
    const Dfinal = 2e8 * 10 ** (Math.floor(r / 20) / 20);
    const runDir = join(dir, `run-${String(r).padStart(4, '0')}`);
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'config.yaml'), `n_params: ${Math.round(N)}\n`);
    const lines: string[] = [];
    for (let i = 1; i <= LINES; i++) {
      const tokens = (Dfinal * i) / LINES;
      const loss = truth.E + truth.A / N ** truth.alpha + truth.B / tokens ** truth.beta;
      lines.push(JSON.stringify({ step: i * 10, tokens, val_loss: loss * (1 + 0.01 * Math.sin(r * 7 + i)) }));
    }
    const log = join(runDir, 'log.jsonl');
    writeFileSync(log, lines.join('\n') + '\n');
    logs.push(log);
  }
  return logs;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => {
        reject(new Error(`${what} took over ${ms} ms`));
      }, ms).unref(),
    ),
  ]);
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const round = (v: number) => Math.round(v * 10) / 10;

export async function run(): Promise<Record<string, unknown>> {
  const root = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: join(__dirname, '..'), encoding: 'utf8' });
  if (root.status !== 0) throw new Error(`build failed: ${root.stderr}`);
  const loadAtStart = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'scaling-lens-live-'));
  const { launchChromium, startHarness, timeMessage, timeRender } = await import('../test/webview/harness.mjs');
  const harness = await startHarness({ panelHtml: panelHtml, makeNonce });
  const browser = await launchChromium();
  try {
    const logs = makeCorpus(dir);
    const catalog = new Catalog([dir]);
    await catalog.scan();
    const runs = catalog.runs();
    if (runs.length !== RUNS) throw new Error(`expected ${RUNS} runs, the catalog found ${runs.length}`);
    const { dataset } = datasetFromRuns(runs, { x: ['N', 'D'] });
    const fit = fitDataset(dataset, { law: 'chinchilla', bootstrap: 0 });
    const options = defaultViewOptions();
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(harness.url('dark'));
    await page.waitForFunction('window.__posted.length > 0', undefined, { timeout: 30_000 }); // the webview's `ready`
    await page.click('vscode-tab-header >> nth=1'); // the learning-curves tab: where an append shows
    // As the panel's host does: the view model, its specs compiled to Vega once (cached across rebuilds).
    await loadCompiler();
    let builtAt = 1;
    const build = (rs = catalog.runs()) =>
      withCompiledSpecs(buildPanelState({ fit, dataset, curves: curveInputsFromRuns(rs) }, options, ++builtAt));
    let held = build(); // the state the webview holds
    const firstDraw = await withTimeout(timeRender(page, 'curves', held), 180_000, 'the first draw'); // the panel before the append
    process.stderr.write(`[liveUpdate] first draw of ${RUNS} curves: ${Math.round(firstDraw)} ms\n`);
    // To look at what was timed: BENCH_SCREENSHOT=/tmp/curves.png
    if (process.env.BENCH_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_SCREENSHOT });
    const host: number[] = [],
      webview: number[] = [],
      total: number[] = [],
      hostCpu: number[] = [],
      baseline: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 10; i++) {
      const log = logs[(i * 97) % RUNS];
      const line = JSON.stringify({ step: 10_000 + i, tokens: 5e10 + i, val_loss: 2.5 }) + '\n';
      appendFileSync(log, line);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const changed = await catalog.refresh([log]);
      if (!changed.length) throw new Error('the append was not picked up');
      const state = build();
      const changes = diffPanelState(held, state);
      if (!changes) throw new Error('an append to one run should be sent as a delta, not the whole state');
      const message = JSON.stringify({ type: 'delta', base: held.builtAt, builtAt: state.builtAt, changes });
      held = state;
      bytes = message.length;
      const t1 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      hostCpu.push((cpu.user + cpu.system) / 1000);
      const drawn = await withTimeout(
        timeMessage(page, 'curves', JSON.parse(message) as unknown),
        60_000,
        'the webview redraw',
      ).catch(async (e: unknown) => {
        // A string, because this file is compiled without DOM types.
        const debug = String(
          await page.evaluate(
            `(() => { const el = document.querySelector('[data-chart="curves"]'); return JSON.stringify({ state: el && el.dataset.state, renders: el && el.dataset.renders, posted: window.__posted.slice(-3) }); })()`,
          ),
        );
        throw new Error(`${e instanceof Error ? e.message : String(e)}; webview: ${debug.slice(0, 1500)}`);
      });
      host.push(t1 - t0);
      webview.push(drawn);
      total.push(t1 - t0 + drawn);
      // Baseline: re-read everything, then build the same message.
      const b0 = performance.now();
      const fresh = new Catalog([dir]);
      await fresh.scan();
      JSON.stringify({ type: 'state', state: build(fresh.runs()) });
      baseline.push(performance.now() - b0);
    }
    // Baseline: the same appends, each sent as the whole state (what the panel did before deltas).
    const fullState: number[] = [];
    let fullBytes = 0;
    for (let i = 0; i < BASELINE_APPENDS; i++) {
      const log = logs[(i * 89 + 13) % RUNS];
      appendFileSync(log, JSON.stringify({ step: 20_000 + i, tokens: 6e10 + i, val_loss: 2.4 }) + '\n');
      const t0 = performance.now();
      await catalog.refresh([log]);
      const state = build();
      const message = JSON.stringify({ type: 'state', state });
      fullBytes = message.length;
      const t1 = performance.now();
      const drawn = await withTimeout(
        timeMessage(page, 'curves', JSON.parse(message) as unknown),
        60_000,
        'the full-state redraw',
      );
      fullState.push(t1 - t0 + drawn);
      held = state;
    }
    return {
      runs: RUNS,
      first_draw_ms: round(firstDraw),
      lines_per_run: LINES,
      append_to_panel_p50_ms: round(pct(total, 50)),
      append_to_panel_max_ms: round(Math.max(...total)),
      target_ms: TARGET_MS,
      host_read_and_build_p50_ms: round(pct(host, 50)),
      webview_redraw_p50_ms: round(pct(webview, 50)),
      // CPU time of the host's part (read, build, diff, serialise): steadier than wall time on a shared machine.
      host_cpu_p50_ms: round(pct(hostCpu, 50)),
      baseline_full_reread_and_build_p50_ms: round(pct(baseline, 50)),
      baseline_full_state_append_p50_ms: round(pct(fullState, 50)),
      delta_message_kb: Math.round(bytes / 1024),
      baseline_state_message_kb: Math.round(fullBytes / 1024),
      first_draw_target_ms: FIRST_DRAW_TARGET_MS,
      meets_target: pct(total, 50) <= TARGET_MS && firstDraw <= FIRST_DRAW_TARGET_MS,
      load_average_1m: Math.round(loadavg()[0] * 100) / 100,
      load_average_1m_at_start: Math.round(loadAtStart * 100) / 100,
    };
  } finally {
    await browser.close();
    harness.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
