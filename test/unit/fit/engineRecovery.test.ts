import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitDataset } from '../../../src/core/fit/engine';
import { CASES, synthesize, worstRelativeError } from './engineCases';

// Issue #3, "Done when": noise-free data gives every parameter of every law to a relative error under 1e-4.
for (const c of CASES) {
  test(`noise-free recovery: ${c.name}`, () => {
    const fit = fitDataset(synthesize(c), { law: c.law, ...c.options });
    const worst = worstRelativeError(fit.params, c.truth);
    assert.ok(
      worst.error < 1e-4,
      `${c.name}: ${worst.name} off by ${worst.error.toExponential(2)} (${JSON.stringify(fit.params)})`,
    );
    assert.deepEqual(Object.keys(fit.params).sort(), Object.keys(c.truth).sort());
    assert.ok(fit.diagnostics.startsReachingBest >= 1 && fit.diagnostics.starts >= fit.diagnostics.startsReachingBest);
    assert.ok(fit.metrics.rmseLog < 1e-6, `rmseLog ${fit.metrics.rmseLog}`);
    assert.deepEqual(fit.diagnostics.atBounds, []);
  });
}

test('noise-free recovery holds in linear space and with least squares too', () => {
  const c = CASES.find((k) => k.name === 'saturating')!;
  for (const opts of [
    { space: 'linear' as const },
    { loss: 'lsq' as const },
    { loss: 'lsq' as const, space: 'linear' as const },
  ]) {
    const fit = fitDataset(synthesize(c), { law: c.law, ...opts });
    const worst = worstRelativeError(fit.params, c.truth);
    assert.ok(worst.error < 1e-4, `${JSON.stringify(opts)}: ${worst.name} off by ${worst.error}`);
    assert.equal(fit.options.space, opts.space ?? 'log');
    assert.equal(fit.options.loss, opts.loss ?? 'huber');
  }
});
