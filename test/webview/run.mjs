// Browser test of the Scaling panel's webview: the built bundle (dist/webview/main.js) in headless Chromium, on a
// page made by the panel's own HTML builder (same CSP, same nonce), with a fake VS Code API (test/webview/harness.html)
// that records what the webview posts. It replays a recorded view model (fixtures/viewModel.json, from a real fit;
// regenerate with `node --import tsx test/webview/makeFixture.ts`) and checks what a user would see.
// Run: node test/webview/run.mjs   (prints node:test TAP, counted by scripts/test.mjs). Needs /usr/bin/chromium
// (or CHROMIUM=/path) and playwright-core. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, INSTALL_HELP, launchChromium, ROOT, startHarness } from './harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(ROOT, 'test-results');
const FIXTURE = join(HERE, 'fixtures/viewModel.json');
const CHARTS = ['scaling', 'curves', 'isoflop', 'residuals'];

if (!existsSync(CHROMIUM)) {
  test('headless Chromium is available', () => assert.fail(INSTALL_HELP));
} else {
  suite();
}

function suite() {
  /** @type {import('playwright-core').Browser} */ let browser;
  /** @type {import('playwright-core').Page} */ let page;
  let harness;
  let contract;
  let diffPanelState;
  let fixture;
  const consoleErrors = [];
  const vegaWarnings = [];
  const pageErrors = [];

  before(async () => {
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`node esbuild.mjs failed:\n${build.stdout}\n${build.stderr}`);
    if (!existsSync(FIXTURE))
      throw new Error(`${FIXTURE} is missing: run  node --import tsx test/webview/makeFixture.ts`);
    fixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    // tsx's CommonJS loader: the contract is a folder of extensionless imports, as the bundles compile it.
    const { require: tsRequire } = await import('tsx/cjs/api');
    contract = tsRequire('../../src/contract/panel/index.ts', import.meta.url);
    ({ diffPanelState } = tsRequire('../../src/core/view/panelDelta.ts', import.meta.url));
    harness = await startHarness(tsRequire('../../src/extension/panel/html.ts', import.meta.url));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
      // Vega and Vega-Lite log spec problems (an ignored property, a conflicting legend) as "WARN …".
      if (m.type() === 'warning' && m.text().startsWith('WARN')) vegaWarnings.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    mkdirSync(OUT, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    harness?.close();
  });

  const posted = () => page.evaluate(() => window.__posted);
  const sendState = (state) => page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), state);
  const chart = (id) => `[data-chart="${id}"]`;

  async function openTab(index) {
    await page.click(`vscode-tab-header >> nth=${index}`);
  }

  /** Counts of drawn marks by type inside a chart's live view. */
  function marks(id) {
    return page.evaluate((sel) => {
      const root = document.querySelector(`${sel} .chart-canvas:not(.chart-next)`);
      const count = (q) => (root ? root.querySelectorAll(q).length : 0);
      return {
        symbols: count('g.mark-symbol > path'),
        lines: count('g.mark-line > path'),
        areas: count('g.mark-area > path'),
        rules: count('g.mark-rule > line'),
        axisLabels: root ? [...root.querySelectorAll('g.role-axis-label text')].map((t) => t.textContent) : [],
        legends: count('g.role-legend'),
      };
    }, chart(id));
  }

  async function waitRendered(id, renders = 1) {
    await page.waitForFunction(
      ([sel, n]) => {
        const el = document.querySelector(sel);
        return el && el.dataset.state === 'rendered' && Number(el.dataset.renders) >= n;
      },
      [chart(id), renders],
      { timeout: 20_000 },
    );
  }

  test('loads under the panel CSP and posts ready before it is sent anything', async () => {
    await page.goto(harness.url('dark'));
    await page.waitForFunction(() => window.__posted.length > 0, null, { timeout: 10_000 });
    const msgs = await posted();
    assert.deepEqual(msgs[0], { type: 'ready' });
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9]+'/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
  });

  test('draws every plot of the recorded view model', async (t) => {
    await sendState(fixture);
    const expected = {
      scaling: (m) => {
        const s = fixture.charts.scaling.data;
        assert.ok(
          m.symbols >= s.points.length + s.excluded.length + s.predictions.length,
          `scaling: ${m.symbols} symbols for ${s.points.length} points`,
        );
        assert.ok(m.lines >= 1, 'scaling: the fitted law line');
        assert.ok(m.areas >= 1, 'scaling: the 95% band');
        assert.ok(m.rules >= s.predictions.length, 'scaling: prediction intervals');
      },
      curves: (m) => {
        const runs = new Set(fixture.charts.curves.data.smoothed.map((r) => r.run)).size;
        assert.ok(m.lines >= 2 * runs, `curves: ${m.lines} lines for ${runs} runs (raw + smoothed)`);
        assert.ok(
          m.symbols >= fixture.charts.curves.data.targets.length,
          'curves: predicted end of the run still training',
        );
      },
      isoflop: (m) => {
        assert.ok(m.symbols >= fixture.charts.isoflop.data.points.length, 'isoflop: data points');
        assert.ok(m.lines >= 2, 'isoflop: iso-compute curves and the frontier');
      },
      residuals: (m) =>
        assert.ok(m.symbols >= fixture.charts.residuals.data.residuals.length, 'residuals: one symbol per point'),
    };
    for (const [i, id] of CHARTS.entries()) {
      await t.test(id, async () => {
        await openTab(i);
        await waitRendered(id);
        const m = await marks(id);
        expected[id](m);
        assert.ok(m.axisLabels.length >= 4, `${id}: axis labels drawn`);
        await page.screenshot({ path: join(OUT, `panel-dark-${id}.png`), fullPage: true });
      });
    }
  });

  test('log axes label decades as 1e9, 1e10 (no "e+")', async () => {
    await openTab(0);
    const { axisLabels } = await marks('scaling');
    assert.ok(
      axisLabels.some((l) => /^\d(\.\d+)?e\d+$/.test(l)),
      `decade labels in ${axisLabels.join(' ')}`,
    );
    assert.ok(!axisLabels.some((l) => l.includes('e+')), `no e+ in ${axisLabels.join(' ')}`);
  });

  test('the Fit tab lists parameters with intervals, the law comparison and the warnings', async () => {
    await openTab(4);
    const s = fixture.summary;
    const rows = await page.$$eval('table.params tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent)),
    );
    assert.deepEqual(
      rows.map((r) => r[0]),
      s.params.map((p) => p.name),
    );
    assert.ok(
      rows.every((r) => /^\[.+, .+\]$/.test(r[2])),
      'every parameter has a 95% interval',
    );
    assert.equal(await page.locator('table.comparison tbody tr').count(), s.comparison.length);
    assert.equal(await page.locator('ul.warnings li').count(), s.warnings.length);
    await page.screenshot({ path: join(OUT, 'panel-dark-fit.png'), fullPage: true });
  });

  test('clicking a data point posts togglePoint for its run', async () => {
    await openTab(0);
    const before = (await posted()).length;
    // The first fitted point (a symbol of the "points" layer), clicked in its centre.
    const box = await page
      .locator(
        `${chart('scaling')} .chart-canvas g.mark-symbol.points_marks > path, ${chart('scaling')} .chart-canvas g[class*="points"] > path`,
      )
      .first()
      .boundingBox();
    assert.ok(box, 'a point to click');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction((n) => window.__posted.length > n, before);
    const msg = (await posted()).slice(before).find((m) => m.type === 'togglePoint');
    assert.ok(msg, 'togglePoint posted');
    const runs = new Set(
      [...fixture.charts.scaling.data.points, ...fixture.charts.scaling.data.excluded].map((r) => r.run),
    );
    assert.ok(runs.has(msg.runId), `${msg.runId} is a run of the plot`);
    assert.equal(typeof msg.excluded, 'boolean');
  });

  test('hovering a point shows a tooltip with the run, its numbers and its config', async () => {
    await openTab(0);
    const point = fixture.charts.scaling.data.points.find((p) => p.config);
    assert.ok(point, 'the fixture has a point with config values');
    const loc = page.locator(`${chart('scaling')} g.points_marks > path[aria-label*="${point.run}"]`).first();
    const box = await loc.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 5000 });
    const text = await page.textContent('#vg-tooltip-element');
    assert.ok(text.includes(point.run), text);
    assert.ok(text.includes(String(point.config).split(',')[0]), `config in ${text}`);
    assert.match(text, /validation loss|val/i);
    const bg = await page.evaluate(
      () => getComputedStyle(document.getElementById('vg-tooltip-element')).backgroundColor,
    );
    assert.equal(bg, 'rgb(37, 37, 38)', 'themed by the hover-widget colour');
    await page.mouse.move(5, 5);
  });

  test('axis toggles post option requests the host accepts', async () => {
    const before = (await posted()).length;
    await page.click(`[data-tab="scaling"] vscode-checkbox >> nth=0`);
    await page.waitForFunction((n) => window.__posted.some((m, i) => i >= n && m.type === 'setOptions'), before);
    const msg = (await posted()).slice(before).find((m) => m.type === 'setOptions');
    assert.deepEqual(msg.options, { axes: { scaling: { x: 'linear', y: 'log' } } });
  });

  test('a data update redraws in place: same view, new marks, zoom kept', async () => {
    await openTab(0);
    const host = chart('scaling');
    const renders = Number(await page.getAttribute(host, 'data-renders'));
    // Zoom in with the wheel over the plot's centre.
    const box = await page.locator(`${host} svg`).first().boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(() => window.__uiState?.zoom?.scaling !== undefined, null, { timeout: 5000 });
    const zoom = await page.evaluate(() => window.__uiState.zoom.scaling);
    await page.evaluate((sel) => (document.querySelector(`${sel} svg`).__marker = 'kept'), host);
    const pathBefore = await page.locator(`${host} g[class*="points"] > path`).first().getAttribute('transform');
    // The same spec with every observed loss 3% higher: a refit after a log append.
    const next = structuredClone(fixture);
    next.builtAt += 1;
    for (const r of next.charts.scaling.data.points) r.y *= 1.03;
    await sendState(next);
    await waitRendered('scaling', renders + 1);
    assert.equal(
      await page.evaluate((sel) => document.querySelector(`${sel} svg`).__marker, host),
      'kept',
      'the SVG was updated, not replaced',
    );
    const pathAfter = await page.locator(`${host} g[class*="points"] > path`).first().getAttribute('transform');
    assert.notEqual(pathAfter, pathBefore, 'the point moved');
    assert.deepEqual(await page.evaluate(() => window.__uiState.zoom.scaling), zoom, 'zoom unchanged');
    await sendState(fixture);
    await waitRendered('scaling', renders + 2);
  });

  test('a delta from a grown log redraws that run in place, without re-embedding', async () => {
    await openTab(1);
    const host = chart('curves');
    await waitRendered('curves');
    const renders = Number(await page.getAttribute(host, 'data-renders'));
    await page.evaluate(
      (sel) => (document.querySelector(`${sel} .chart-canvas:not(.chart-next)`).__marker = 'kept'),
      host,
    );
    // The host's own diff: the first run's smoothed curve gains a point beyond its end (a log append).
    const next = structuredClone(fixture);
    next.builtAt = fixture.builtAt + 1;
    const smoothed = next.charts.curves.data.smoothed;
    const run = smoothed[0].run;
    const last = smoothed.filter((r) => r.run === run).at(-1);
    smoothed.push({ ...last, x: last.x * 1.5, y: last.y * 0.97, step: last.step + 1000, hover: true });
    const changes = diffPanelState(fixture, next);
    assert.deepEqual(
      changes.map((c) => [c.type, c.dataset, c.runs]),
      [['seriesChanged', 'smoothed', [run]]],
      'only that run changes',
    );
    const message = { type: 'delta', base: fixture.builtAt, builtAt: next.builtAt, changes };
    assert.ok(contract.parseHostMessage(message).ok, 'the delta passes the webview validator');
    const before = (await marks('curves')).lines;
    /** Vertices of every drawn line (the raw and smoothed series). */
    const vertices = () =>
      page.evaluate(
        (sel) =>
          [...document.querySelectorAll(`${sel} .chart-canvas:not(.chart-next) g.mark-line path`)]
            .map((p) => (p.getAttribute('d').match(/[ML]/g) ?? []).length)
            .reduce((a, b) => a + b, 0),
        host,
      );
    const verticesBefore = await vertices();
    await page.evaluate((m) => window.postMessage(m, '*'), message);
    await waitRendered('curves', renders + 1);
    assert.equal(
      await page.evaluate((sel) => document.querySelector(`${sel} .chart-canvas:not(.chart-next)`).__marker, host),
      'kept',
      'the view was changed in place, not embedded again',
    );
    assert.equal((await marks('curves')).lines, before, 'same number of series');
    assert.equal(await vertices(), verticesBefore + 1, 'the grown series has one more vertex, the others none');
    // Back to the fixture with the reverse delta, so later tests see the recorded state.
    const back = diffPanelState(next, { ...fixture, builtAt: next.builtAt + 1 });
    await page.evaluate((m) => window.postMessage(m, '*'), {
      type: 'delta',
      base: next.builtAt,
      builtAt: next.builtAt + 1,
      changes: back,
    });
    await waitRendered('curves', renders + 2);
    fixture.builtAt = next.builtAt + 1;
  });

  test('a delta for a state the page does not hold asks for the whole state', async () => {
    const before = (await posted()).length;
    await page.evaluate((m) => window.postMessage(m, '*'), {
      type: 'delta',
      base: 1,
      builtAt: 2,
      changes: [],
    });
    await page.waitForFunction((n) => window.__posted.some((m, i) => i >= n && m.type === 'ready'), before);
    const msgs = (await posted()).slice(before);
    assert.equal(msgs[0].type, 'log');
    assert.match(msgs[0].message, /whole state/);
    await sendState(fixture);
  });

  test('renders plots as SVG and PNG when the host asks', async () => {
    for (const [requestId, chartId, format] of [
      [41, 'scaling', 'svg'],
      [42, 'curves', 'png'],
      [43, 'isoflop', 'svg'],
    ]) {
      await page.evaluate((m) => window.postMessage(m, '*'), {
        type: 'renderImage',
        requestId,
        chart: chartId,
        format,
      });
      await page.waitForFunction(
        (id) => window.__posted.some((m) => m.type === 'image' && m.requestId === id),
        requestId,
        { timeout: 20_000 },
      );
      const reply = (await posted()).find((m) => m.type === 'image' && m.requestId === requestId);
      assert.equal(reply.ok, true, reply.error);
      if (format === 'svg') assert.match(reply.data, /^<svg[\s\S]*<\/svg>\s*$/);
      else assert.match(reply.data, /^data:image\/png;base64,[A-Za-z0-9+/]{1000,}/);
    }
  });

  test('a malformed host message is reported, not thrown', async () => {
    const before = (await posted()).length;
    await page.evaluate(() => window.postMessage({ type: 'bogus' }, '*'));
    await page.waitForFunction((n) => window.__posted.length > n, before);
    const msg = (await posted()).slice(before)[0];
    assert.equal(msg.type, 'log');
    assert.match(msg.message, /bogus/);
  });

  test('Reset zoom forgets the zoom and redraws the full range', async () => {
    await openTab(0);
    const renders = Number(await page.getAttribute(chart('scaling'), 'data-renders'));
    assert.ok(await page.evaluate(() => window.__uiState.zoom.scaling), 'zoomed by the earlier test');
    await page.click('[data-tab="scaling"] vscode-button:has-text("Reset zoom")');
    await waitRendered('scaling', renders + 1);
    assert.equal(await page.evaluate(() => window.__uiState.zoom.scaling), undefined);
    const { symbols } = await marks('scaling');
    const s = fixture.charts.scaling.data;
    assert.ok(symbols >= s.points.length + s.excluded.length + s.predictions.length);
  });

  test('follows the theme: dark and light screenshots', async () => {
    await openTab(0);
    const renders = Number(await page.getAttribute(chart('scaling'), 'data-renders'));
    await page.screenshot({ path: join(OUT, 'panel-dark.png'), fullPage: true });
    const bg = () =>
      page.evaluate(
        (sel) => getComputedStyle(document.querySelector(`${sel} .chart-canvas:not(.chart-next) svg`)).backgroundColor,
        chart('scaling'),
      );
    assert.equal(await bg(), 'rgb(30, 30, 30)');
    await page.evaluate(() => window.__setTheme('light'));
    await waitRendered('scaling', renders + 1);
    assert.equal(await bg(), 'rgb(255, 255, 255)');
    await page.screenshot({ path: join(OUT, 'panel-light.png'), fullPage: true });
    for (const [i, id] of CHARTS.entries()) {
      if (i === 0) continue;
      await openTab(i);
      await waitRendered(id);
      await page.screenshot({ path: join(OUT, `panel-light-${id}.png`), fullPage: true });
    }
  });

  test('the Plan tab draws a plan from the real planner: intervals, cost share, chart; its buttons post', async () => {
    const planState = JSON.parse(readFileSync(join(HERE, 'fixtures/planState.json'), 'utf8'));
    await page.evaluate(() => window.__setTheme('dark')); // the theme test left it light
    await sendState(planState);
    await openTab(5);
    await page.waitForSelector('.plan-table tbody tr >> nth=1');
    await page.waitForSelector('.plan-chart svg g.mark-symbol.role-mark path');
    const rows = await page.$$eval('.plan-table tbody tr', (trs) => trs.map((tr) => tr.textContent));
    assert.equal(rows.length, 1 + planState.plan.result.proposals.length, 'now + one row per proposal');
    assert.match(rows[1], /1\.0%/, 'the run costs 1% of the target compute (the default budget)');
    assert.match(rows[1], /d_model \d+, \d+ layers/);
    const symbols = await page.$$eval('.plan-chart svg g.mark-symbol.role-mark path', (ps) => ps.length);
    assert.equal(symbols, planState.plan.runs.length + planState.plan.result.proposals.length);
    await page.screenshot({ path: join(OUT, 'panel-plan.png'), fullPage: true });
    const before = (await posted()).length;
    await page.click('#plan-copy');
    await page.click('#plan-run');
    const sent = (await posted()).slice(before);
    assert.deepEqual(sent, [
      { type: 'copy', kind: 'plan-config' },
      { type: 'plan', objective: 'loss', maxRuns: planState.plan.maxRuns },
    ]);
  });

  test('the Plan tab’s budget, objective and max runs go into the request; a bad budget is refused', async () => {
    const planState = JSON.parse(readFileSync(join(HERE, 'fixtures/planState.json'), 'utf8'));
    await sendState(planState);
    await openTab(5);
    await page.waitForSelector('#plan-budget');
    assert.equal(await page.$eval('#plan-budget', (f) => f.value), '', 'an empty budget is the default');
    assert.equal(await page.$eval('#plan-objective', (s) => s.value), 'loss');
    assert.equal(await page.$eval('#plan-max-runs', (s) => s.value), String(planState.plan.maxRuns));
    const before = (await posted()).length;
    await page.fill('#plan-budget input', 'lots');
    await page.click('#plan-run');
    await page.waitForFunction(() => /not a budget/.test(document.querySelector('.plan-error')?.textContent ?? ''));
    await page.fill('#plan-budget input', '2.5e20');
    await page.click('#plan-objective');
    await page.click('#plan-objective >> text=compute-optimal N at the target >> visible=true');
    await page.click('#plan-max-runs');
    await page.click('#plan-max-runs >> text="5" >> visible=true');
    await page.screenshot({ path: join(OUT, 'panel-plan-controls.png'), fullPage: true });
    await page.click('#plan-run');
    const sent = (await posted()).slice(before);
    assert.deepEqual(
      sent,
      [{ type: 'plan', budget: 2.5e20, objective: 'n_opt', maxRuns: 5 }],
      'the bad budget posted nothing',
    );
    assert.equal(await page.$eval('.plan-error', (e) => e.textContent), '');
  });

  test('the proposed runs are drawn on the scaling and IsoFLOP plots as green triangles', async () => {
    const planState = JSON.parse(readFileSync(join(HERE, 'fixtures/planState.json'), 'utf8'));
    await sendState(planState);
    const proposals = planState.plan.result.proposals.length;
    assert.ok(proposals >= 1, 'the fixture plan proposes a run');
    for (const [tab, id, shot] of [
      [0, 'scaling', 'panel-plan-scaling.png'],
      [2, 'isoflop', 'panel-plan-isoflop.png'],
    ]) {
      await openTab(tab);
      const count = (sel) => {
        const root = document.querySelector(`${sel} .chart-canvas:not(.chart-next)`);
        return root ? root.querySelectorAll('g.mark-symbol[class*="proposals"] > path').length : -1;
      };
      await page.waitForFunction(count, chart(id), { timeout: 20_000 }).catch(() => undefined);
      assert.equal(await page.evaluate(count, chart(id)), proposals, `${id}: one triangle per proposed run`);
      await page.screenshot({ path: join(OUT, shot), fullPage: true });
    }
  });

  test('a page whose HTML carries a state draws it as it loads, and says so in its ready', async () => {
    const light = { ...fixture, charts: { ...fixture.charts, curves: { available: false, reason: 'pending' } } };
    harness.setInitialState(light);
    const other = await browser.newPage({ viewport: { width: 1180, height: 900 } });
    const errors = [];
    other.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    other.on('pageerror', (e) => errors.push(e.message));
    try {
      await other.goto(harness.url('dark'));
      await other.waitForFunction(
        (sel) => document.querySelector(sel)?.dataset.state === 'rendered',
        chart('scaling'),
        { timeout: 20_000 },
      );
      await other.waitForFunction(() => window.__posted.some((m) => m.type === 'drawn'), null, { timeout: 10_000 });
      const msgs = await other.evaluate(() => window.__posted);
      assert.deepEqual(
        msgs,
        [{ type: 'ready', holds: light.builtAt }, { type: 'drawn' }],
        'ready names the state it drew, and nothing asks for it; drawn follows the plot',
      );
      for (const m of msgs) assert.ok(contract.parseWebviewMessage(m).ok);
      assert.deepEqual(await other.evaluate(() => window.__csp), [], 'no CSP violation');
      assert.deepEqual(errors, []);
    } finally {
      harness.setInitialState(undefined);
      await other.close();
    }
  });

  test('every message the webview posted passes the host validator', async () => {
    const msgs = await posted();
    assert.ok(msgs.length >= 5);
    for (const m of msgs) {
      const parsed = contract.parseWebviewMessage(m);
      assert.ok(parsed.ok, `${JSON.stringify(m).slice(0, 200)}: ${parsed.error}`);
    }
  });

  test('no CSP violation, no console error, no Vega warning', async () => {
    const csp = await page.evaluate(() => window.__csp);
    assert.deepEqual(csp, [], `CSP violations: ${JSON.stringify(csp)}`);
    assert.deepEqual(pageErrors, [], 'uncaught page errors');
    assert.deepEqual(consoleErrors, [], 'console errors');
    assert.deepEqual(vegaWarnings, [], 'Vega warnings about the specs');
    const logged = (await posted()).filter((m) => m.type === 'log' && m.level === 'error');
    assert.deepEqual(logged, [], 'errors forwarded to the host');
  });
}
