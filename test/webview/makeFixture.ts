/**
 * Writes test/webview/fixtures/viewModel.json: the panel state for the example results folder, from a real fit
 * (the fit engine, the pure view builders and the same options the panel starts with). Run it again after a change
 * to the builders or the engine:  node --import tsx test/webview/makeFixture.ts
 *
 * To exercise every layer the fixture also has: one point excluded by the user (refitted without it), two
 * predictions (one at a budget C alone), and one run cut at 60% of its tokens with its planned end set, i.e. a
 * run still training whose final loss the panel predicts.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDataset } from '../../src/cli/fitInput';
import { defaultViewOptions } from '../../src/contract/panel';
import { fitDataset } from '../../src/core/fit/engine';
import { predict } from '../../src/core/fit/predict';
import { Catalog } from '../../src/core/ingest/catalog';
import { buildPanelState } from '../../src/core/view/panelState';
import { curveInputsFromRuns } from '../../src/core/view/runCurves';
import type { CurveInput } from '../../src/core/view/types';

const ROOT = resolve(__dirname, '../..');
const RESULTS = resolve(ROOT, 'examples/results');
export const FIXTURE = resolve(__dirname, 'fixtures/viewModel.json');
/** Fixed, so regenerating without changes rewrites the same bytes. */
const BUILT_AT = Date.UTC(2024, 7, 1);

function cut(c: CurveInput, fraction: number): CurveInput {
  const n = Math.max(2, Math.floor(c.step.length * fraction));
  const slice = (a: ArrayLike<number> | undefined) => (a ? Array.from(a).slice(0, n) : undefined);
  const D = c.D ?? NaN;
  return {
    ...c,
    step: slice(c.step) as number[],
    value: slice(c.value) as number[],
    tokens: slice(c.tokens),
    targetTokens: D,
    D,
  };
}

async function main(): Promise<void> {
  const build = await loadDataset([RESULTS], { x: ['N', 'D'] });
  const all = build.dataset;
  // The user excluded the smallest run's point.
  const smallest = all.points.reduce((a, b) => (a.x.N * a.x.D <= b.x.N * b.x.D ? a : b));
  const dataset = { ...all, points: all.points.filter((p) => p !== smallest) };
  const fit = fitDataset(dataset, { law: 'auto', bootstrap: 200, holdout: 3, seed: 20240801 });
  const catalog = new Catalog([RESULTS]);
  await catalog.scan();
  const curves = curveInputsFromRuns(catalog.runs()).sort((a, b) => a.runId.localeCompare(b.runId));
  const training = curves.findIndex((c) => c.runId.includes('gpt-113M-2.3Btok'));
  if (training >= 0) curves[training] = cut(curves[training], 0.6);
  const predictions = [predict(fit, { N: 7e9, D: 1.4e11 }), predict(fit, { C: 1e22 })];
  const state = buildPanelState(
    { fit, dataset, excluded: [smallest], predictions, curves },
    defaultViewOptions(),
    BUILT_AT,
  );
  writeFileSync(FIXTURE, JSON.stringify(state) + '\n');
  const sizes = Object.entries(state.charts).map(
    ([k, c]) => `${k}: ${c.available ? `${c.drawn} rows` : `unavailable (${c.reason})`}`,
  );
  console.log(`wrote ${FIXTURE}: ${fit.law}, ${fit.nPoints} points; ${sizes.join('; ')}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
