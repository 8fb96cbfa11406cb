// A law solved once and finished twice (what `auto` does for the law it picks) gives, to the last bit, what a
// fit from scratch gives, with or without resamples, including for a law whose search draws random starts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FitDataset, FitResult } from '../../../src/contract/fit';
import { DEFAULT_DELTA } from '../../../src/core/fit/engine';
import { finishLaw, fitLaw, solveLaw, type EngineOptions } from '../../../src/core/fit/fitLaw';
import { rootProgress } from '../../../src/core/fit/progress';

/** A broken power law in C with a little deterministic scatter, 14 runs. */
const data: FitDataset = {
  points: Array.from({ length: 14 }, (_, i) => {
    const C = 10 ** (18 + i / 3);
    const y = 1.7 + 30 * C ** -0.05 * (1 + (C / 1e20) ** 0.4) ** -0.3;
    return { x: { C }, y: y * (1 + 0.004 * Math.sin(3 * i)), runId: `r${i}` };
  }),
  xNames: ['C'],
  yName: 'loss',
  definitions: { C: 'compute' },
};
const options: EngineOptions = {
  delta: DEFAULT_DELTA,
  bootstrap: 0,
  holdout: 1,
  seed: 5,
  bootstrapMode: 'auto',
  softHoldout: true,
};
const timeless = (r: FitResult) => ({ ...r, elapsedMs: 0 });
/**
 * The bnsl parameters with 40 resamples as one fit computed them before solve and finish were split (its search
 * draws random starts; the resamples continue that stream).
 */
const BNSL_BEFORE_THE_SPLIT: unknown = JSON.parse(
  '{"a":{"value":2.6445308131049647,"ci95":[1.3008279273032406,2.772423137658331]},"b":{"value":42.666410434250665,"ci95":[4.42752507741258,182.76838221973819]},"c0":{"value":0.06474272710488317,"ci95":[-0.026531490741589253,0.09852260016400667]},"c1":{"value":10,"ci95":[0.04581406067569394,10]},"d1":{"value":1.7778842233881497e+26,"ci95":[40046818958511390000,1.0300100193715816e+30]},"f1":{"value":3.21716263522791,"ci95":[0.37748114705817676,11.621519828242404]}}',
);

test('a solved law finished without and then with resamples equals the fits from scratch', () => {
  for (const law of ['bnsl', 'saturating'] as const) {
    const solved = solveLaw(law, data, options, rootProgress({}));
    if (law === 'bnsl') assert.ok(solved.drawsTaken > 0, 'the search drew from the seeded stream');
    const plain = finishLaw(solved, 0, rootProgress({}));
    const boot = finishLaw(solved, 40, rootProgress({}));
    assert.deepEqual(timeless(plain), timeless(fitLaw(law, data, options, rootProgress({}))), `${law} without`);
    assert.deepEqual(
      timeless(boot),
      timeless(fitLaw(law, data, { ...options, bootstrap: 40 }, rootProgress({}))),
      `${law} with resamples`,
    );
    assert.ok(boot.params[Object.keys(boot.params)[0]].ci95, `${law}: intervals`);
    if (law === 'bnsl') assert.deepEqual(boot.params, BNSL_BEFORE_THE_SPLIT);
  }
});
