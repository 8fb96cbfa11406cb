import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitDataset } from '../../../src/core/fit/engine';
import { CASES, synthesize } from './engineCases';

/**
 * Issue #3, "Done when": with 1–3% multiplicative noise the true values fall inside the 95% bootstrap intervals in
 * at least 85% of 50 seeded trials, per parameter. 50 trials × (fit + 100 resamples) per law: the unit suite runs
 * chinchilla, saturating and power (about 10 s together); FIT_COVERAGE_ALL=1 runs every law (about a minute).
 */
const TRIALS = 50;
const RESAMPLES = 100;
const IN_SUITE = new Set(['chinchilla', 'saturating', 'power']);
const ALL = process.env.FIT_COVERAGE_ALL === '1';

for (const c of CASES) {
  const run = ALL || IN_SUITE.has(c.name);
  test(`bootstrap coverage ≥ 85% over ${TRIALS} noisy trials: ${c.name}`, { skip: run ? false : 'set FIT_COVERAGE_ALL=1 to run every law' }, (t) => {
    const hits: Record<string, number> = Object.fromEntries(Object.keys(c.truth).map((k) => [k, 0]));
    for (let s = 0; s < TRIALS; s++) {
      const sigma = [0.01, 0.02, 0.03][s % 3];
      const fit = fitDataset(synthesize(c, sigma, 1000 + s), { law: c.law, bootstrap: RESAMPLES, seed: s, ...c.options });
      for (const [k, v] of Object.entries(c.truth)) {
        const ci = fit.params[k].ci95;
        assert.ok(ci, `trial ${s}: no interval for ${k}`);
        if (ci[0] <= v && v <= ci[1]) hits[k]++;
      }
    }
    t.diagnostic(`coverage: ${Object.entries(hits).map(([k, h]) => `${k} ${h}/${TRIALS}`).join(', ')}`);
    for (const [k, h] of Object.entries(hits)) assert.ok(h / TRIALS >= 0.85, `${c.name}.${k}: true value inside the 95% interval in ${h}/${TRIALS} trials`);
  });
}
