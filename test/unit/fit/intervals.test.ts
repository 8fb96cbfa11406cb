import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitDataset } from '../../../src/core/fit/engine';
import { predictionInterval, t975 } from '../../../src/core/fit/intervals';
import { predict } from '../../../src/core/fit/predict';
import { normal, rng } from '../../../src/core/fit/random';
import type { FitDataset } from '../../../src/contract/fit';

const TRUTH = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const loss = (N: number, D: number) => TRUTH.E + TRUTH.A / N ** TRUTH.alpha + TRUTH.B / D ** TRUTH.beta;

function dataset(nd: { N: number; D: number; run?: string }[], sigma: number, seed: number): FitDataset {
  const z = normal(rng(seed));
  return {
    points: nd.map(({ N, D, run }, i) => ({
      x: { N, D },
      y: loss(N, D) * Math.exp(sigma * z()),
      runId: run ?? `r${i}`,
    })),
    xNames: ['N', 'D'],
    yName: 'loss',
    definitions: {},
  };
}

test('a 6-point design (3 sizes × 2 budgets) is marked unreliable, resampled on its fixed design, never silently narrow', () => {
  const six = [1e8, 4e8, 1.6e9].flatMap((N) => [1e19, 1e20].map((C) => ({ N, D: C / (6 * N) })));
  const fit = fitDataset(dataset(six, 0.01, 2), { law: 'chinchilla', bootstrap: 100, seed: 1 });
  assert.equal(fit.intervalQuality, 'unreliable');
  assert.equal(fit.diagnostics.bootstrapMode, 'residual');
  assert.ok(
    fit.warnings.some((w) => /^intervals unreliable: 6 configurations for 5 parameters/.test(w)),
    fit.warnings.join('\n'),
  );
});

test('few resamples make intervals rough, with the reason', () => {
  const grid = [1e7, 1e8, 1e9].flatMap((N) => [5, 20, 80, 320].map((r) => ({ N, D: r * N })));
  const fit = fitDataset(dataset([...grid, ...grid.map((p) => ({ N: p.N * 3, D: p.D * 3 }))], 0.01, 4), {
    law: 'chinchilla',
    bootstrap: 30,
    seed: 1,
  });
  assert.notEqual(fit.intervalQuality, 'ok');
  assert.ok(fit.warnings.some((w) => /^intervals rough: 30 resamples \(use 100 or more\)/.test(w)));
});

test("the prediction interval covers a new run's observed loss at nominal 95% (≥ 90% of trials)", () => {
  const design = [1e7, 3e7, 1e8, 3e8, 1e9].flatMap((N) => [5, 20, 80, 320].map((r) => ({ N, D: r * N })));
  const TRIALS = 40;
  let inPi = 0,
    inCi = 0;
  for (let s = 0; s < TRIALS; s++) {
    const fit = fitDataset(dataset(design, 0.02, 100 + s), { law: 'chinchilla', bootstrap: 40, seed: s });
    assert.equal(fit.noise?.source, 'residuals');
    const at = { N: 2e8, D: 4e9 };
    const observed = loss(at.N, at.D) * Math.exp(0.02 * normal(rng(9000 + s))());
    const p = predict(fit, at);
    assert.ok(p.pi95 && p.ci95 && p.pi95[0] < p.ci95[0] && p.ci95[1] < p.pi95[1], 'pi95 contains ci95');
    if (p.pi95[0] <= observed && observed <= p.pi95[1]) inPi++;
    if (p.ci95[0] <= observed && observed <= p.ci95[1]) inCi++;
  }
  assert.ok(inPi / TRIALS >= 0.9, `pi95 covered ${inPi}/${TRIALS}`);
  // The mean's interval is the wrong tool for a new run: it misses most of them.
  assert.ok(inCi < inPi, `ci95 ${inCi} vs pi95 ${inPi}`);
});

test('replicate runs of one configuration measure the noise directly', () => {
  const design = [1e7, 1e8, 1e9].flatMap((N) => [5, 20, 80].map((r) => ({ N, D: r * N })));
  const seeds = design.flatMap((p, i) => [0, 1, 2].map((k) => ({ ...p, run: `cfg${i}-seed${k}` })));
  const fit = fitDataset(dataset(seeds, 0.02, 7), { law: 'chinchilla' });
  const noise = fit.noise;
  assert.ok(noise);
  assert.equal(noise.source, 'replicates');
  assert.equal(noise.dof, 2 * design.length);
  assert.ok(Math.abs(noise.sd - 0.02) < 0.006, `sd ${noise.sd}`);
});

test('t quantiles and the interval arithmetic', () => {
  assert.ok(Math.abs(t975(1e9) - 1.96) < 1e-3);
  assert.ok(Math.abs(t975(10) - 2.228) < 0.01, `${t975(10)}`);
  assert.ok(Math.abs(t975(4) - 2.776) < 0.05, `${t975(4)}`);
  // No bootstrap: the noise alone, symmetric in log space.
  const [lo, hi] = predictionInterval(2, undefined, { sd: 0.01, space: 'log', dof: 1e9, source: 'residuals' })!;
  assert.ok(Math.abs(Math.log(hi / 2) - 0.0196) < 1e-4 && Math.abs(Math.log(2 / lo) - 0.0196) < 1e-4);
  // In quadrature with the mean's interval, side by side.
  const [l2, h2] = predictionInterval(2, [1.9, 2.2], { sd: 0.1, space: 'linear', dof: 1e9, source: 'residuals' })!;
  assert.ok(Math.abs(2 - l2 - Math.hypot(0.1, 0.196)) < 1e-3 && Math.abs(h2 - 2 - Math.hypot(0.2, 0.196)) < 1e-3);
});
