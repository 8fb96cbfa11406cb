import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitDataset } from '../../../src/core/fit/engine';
import { FitCancelledError, FitError } from '../../../src/core/errors';
import type { FitDataset, FitPoint } from '../../../src/contract/fit';
import { annealingAreas } from '../../../src/core/laws/lrAnnealing';
import { caseByName, geo, synthesize } from './engineCases';

const chin = caseByName('chinchilla');
const sat = caseByName('saturating');

function dataset(points: FitPoint[], xNames: string[]): FitDataset {
  return { points, xNames, yName: 'loss', definitions: {} };
}

test('bad data and bad options fail with a FitError that says what is wrong', () => {
  const ok = synthesize(chin);
  const cases: [FitDataset, Parameters<typeof fitDataset>[1], RegExp][] = [
    [dataset([], ['N', 'D']), { law: 'chinchilla' }, /no points to fit/],
    [
      dataset(ok.points.slice(0, 5), ['N', 'D']),
      { law: 'chinchilla' },
      /too few points for law chinchilla: 5 point\(s\) for 5 parameters/,
    ],
    [
      dataset(
        ok.points.map((p, i) => (i === 3 ? { ...p, y: -1 } : p)),
        ['N', 'D'],
      ),
      { law: 'chinchilla' },
      /non-positive loss \(-1\) at point 4 .* log space/,
    ],
    [
      dataset(
        ok.points.map((p, i) => (i === 2 ? { ...p, y: NaN } : p)),
        ['N', 'D'],
      ),
      { law: 'chinchilla' },
      /point 3 \(run run2\) has a non-finite loss/,
    ],
    [
      dataset(
        ok.points.map((p, i) => (i === 0 ? { ...p, x: { N: NaN, D: 1 } } : p)),
        ['N', 'D'],
      ),
      { law: 'chinchilla' },
      /no finite value for N/,
    ],
    [
      dataset(
        ok.points.map((p, i) => (i === 0 ? { ...p, x: { N: 0, D: 1 } } : p)),
        ['N', 'D'],
      ),
      { law: 'chinchilla' },
      /N = 0, but law chinchilla needs N > 0/,
    ],
    [
      dataset(
        ok.points.map((p) => ({ ...p, x: { C: 6 * p.x.N * p.x.D } })),
        ['C'],
      ),
      { law: 'chinchilla' },
      /needs variable\(s\) N, D/,
    ],
    [ok, { law: 'nope' as 'power' }, /unknown law nope/],
    [ok, { law: 'chinchilla', bootstrap: -1 }, /bootstrap must be an integer/],
    [ok, { law: 'chinchilla', delta: 0 }, /delta must be a positive number/],
    [ok, { law: 'chinchilla', holdout: 36 }, /holdout 36 would hold out all 36 run\(s\)/],
    [ok, { law: 'chinchilla', holdout: 1, holdoutBy: 'lr' }, /holdout ordering variable lr is not in the data/],
    [
      ok,
      { law: 'custom', custom: { formula: 'E + A/N^', variables: ['N', 'D'], params: { E: {}, A: {} } } },
      /formula ends unexpectedly/,
    ],
    [ok, { law: 'power' }, /law power takes one variable; the dataset has N, D/],
    [
      dataset(
        ok.points.map((p) => ({ ...p, x: { N: p.x.N, D: 1e10 } })),
        ['N', 'D'],
      ),
      { law: 'chinchilla' },
      /too few distinct values of D for law chinchilla: 1/,
    ],
  ];
  for (const [data, opts, re] of cases) {
    assert.throws(
      () => fitDataset(data, opts),
      (e: unknown) => e instanceof FitError && re.test(e.message),
      `expected ${re}`,
    );
  }
});

test('a law that is undefined everywhere, or overflows, ends in a FitError or a fit, quickly, never a hang', () => {
  const data = synthesize(sat);
  const t0 = Date.now();
  assert.throws(
    () =>
      fitDataset(data, {
        law: 'custom',
        custom: { formula: 'log(-A) + N', variables: ['N'], params: { A: { min: 0, max: 10 } } },
      }),
    (e: unknown) => e instanceof FitError && /cannot be evaluated on this data from any starting point/.test(e.message),
  );
  // exp(B·N) overflows for most starts: the fit must either find the finite region or say it could not.
  try {
    const fit = fitDataset(data, {
      law: 'custom',
      custom: {
        formula: 'A * exp(B * N)',
        variables: ['N'],
        params: { A: { min: 0, max: 10 }, B: { min: -1, max: 10, start: [1, 10] } },
      },
    });
    assert.ok(Number.isFinite(fit.objective));
  } catch (e) {
    assert.ok(e instanceof FitError, String(e));
  }
  assert.ok(Date.now() - t0 < 15_000, 'bounded time');
});

test('cancellation stops the fit (search and bootstrap) with a FitCancelledError', () => {
  const data = synthesize(chin, 0.02);
  let polls = 0;
  assert.throws(
    () => fitDataset(data, { law: 'chinchilla', isCancelled: () => ++polls > 3 }),
    (e: unknown) => e instanceof FitCancelledError && e instanceof FitError && /cancelled/.test(e.message),
  );
  // A bootstrap that would take minutes stops within a few resamples of the request.
  polls = 0;
  const t0 = Date.now();
  assert.throws(
    () => fitDataset(data, { law: 'chinchilla', bootstrap: 100_000, isCancelled: () => ++polls > 40 }),
    FitCancelledError,
  );
  assert.ok(Date.now() - t0 < 5_000);
  // auto passes cancellation through instead of skipping the law.
  polls = 0;
  assert.throws(() => fitDataset(data, { law: 'auto', isCancelled: () => ++polls > 5 }), FitCancelledError);
});

test('progress: fractions in [0, 1], never decreasing, ending at 1', () => {
  const seen: number[] = [];
  const fit = fitDataset(synthesize(sat, 0.01), {
    law: 'saturating',
    bootstrap: 50,
    holdout: 2,
    onProgress: (f) => seen.push(f),
  });
  assert.ok(seen.length >= 3);
  assert.equal(seen[seen.length - 1], 1);
  seen.forEach((f, i) => {
    assert.ok(f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]), `step ${i}: ${f}`);
  });
  assert.ok(fit.elapsedMs > 0);
});

test('result shape: metrics, domain, compute-optimal, diagnostics', () => {
  const data = synthesize(chin, 0.01);
  const fit = fitDataset(data, { law: 'chinchilla' });
  assert.equal(fit.law, 'chinchilla');
  assert.equal(fit.nPoints, 36);
  assert.equal(fit.nRuns, 36);
  assert.deepEqual(fit.variables, ['N', 'D']);
  assert.deepEqual(
    fit.domain.N,
    [7e7, 1.6e10].map((v, i) =>
      i ? Math.max(...data.points.map((p) => p.x.N)) : Math.min(...data.points.map((p) => p.x.N)),
    ),
  );
  assert.deepEqual(fit.options, { loss: 'huber', delta: 1e-3, space: 'log', bootstrap: 0, holdout: 0 });
  assert.ok(fit.metrics.rmseLog > 0.003 && fit.metrics.rmseLog < 0.03, `rmseLog ${fit.metrics.rmseLog}`);
  assert.ok(fit.metrics.r2 > 0.9 && fit.metrics.aic < fit.metrics.bic);
  const { alpha, beta, A, B } = Object.fromEntries(Object.entries(fit.params).map(([k, v]) => [k, v.value]));
  const co = fit.computeOptimal!;
  assert.ok(Math.abs(co.a - beta / (alpha + beta)) < 1e-12 && Math.abs(co.b - alpha / (alpha + beta)) < 1e-12);
  assert.ok(Math.abs(co.G - ((alpha * A) / (beta * B)) ** (1 / (alpha + beta))) <= 1e-12 * co.G);
  assert.ok(fit.diagnostics.conditionNumber! > 1 && Number.isFinite(fit.diagnostics.conditionNumber));
  assert.equal(fit.draws, undefined);
  assert.equal(fitDataset(synthesize(sat), { law: 'saturating' }).computeOptimal, undefined);
  // Same seed, same answer.
  const again = fitDataset(data, { law: 'chinchilla' });
  assert.deepEqual({ ...again, elapsedMs: 0 }, { ...fit, elapsedMs: 0 });
});

test('backtest holds out the largest runs by C = 6ND (or the variable asked) and reports their error', () => {
  const data = synthesize(chin);
  const fit = fitDataset(data, { law: 'chinchilla', holdout: 3 });
  const byC = data.points.map((p) => 6 * p.x.N * p.x.D).sort((a, b) => b - a);
  assert.deepEqual(
    fit.holdout!.points.map((p) => 6 * p.x.N * p.x.D).sort((a, b) => b - a),
    byC.slice(0, 3),
  );
  assert.ok(fit.holdout!.areMean < 1e-6, 'noise-free: the rest predicts the held-out runs exactly');
  const byN = fitDataset(data, { law: 'chinchilla', holdout: 6, holdoutBy: 'N' });
  assert.ok(byN.holdout!.points.every((p) => p.x.N === 1.6e10 || Math.abs(p.x.N - 1.6e10) < 1e-3));
  for (const p of byN.holdout!.points) assert.equal(p.are, Math.abs(p.predicted - p.y) / p.y);
  // With noise, the backtest error is of the order of the noise.
  const noisy = fitDataset(synthesize(chin, 0.02, 7), { law: 'chinchilla', holdout: 3 });
  assert.ok(noisy.holdout!.areMean > 1e-4 && noisy.holdout!.areMean < 0.1);
});

test('bootstrap: percentile intervals around the estimate, draws kept, resampling unit by data shape', () => {
  const fit = fitDataset(synthesize(sat, 0.02, 3), { law: 'saturating', bootstrap: 200, seed: 4 });
  assert.equal(fit.diagnostics.bootstrapMode, 'point');
  assert.equal(fit.draws!.length, 200 - fit.diagnostics.bootstrapFailures!);
  for (const [k, p] of Object.entries(fit.params)) {
    const [lo, hi] = p.ci95!;
    assert.ok(lo < hi && lo <= p.value && p.value <= hi, `${k}: ${lo} ≤ ${p.value} ≤ ${hi}`);
    const s = fit.draws!.map((d) => d[k]).sort((a, b) => a - b);
    assert.ok(s[4] <= lo + 1e-12 * Math.abs(lo) && hi <= s[195] + 1e-12 * Math.abs(hi), 'percentiles of the draws');
  }
  // Checkpoints of runs: ≥ 10 runs → whole runs are resampled; fewer → blocks within runs, with a warning.
  const curves = (runs: number): FitDataset => {
    const points: FitPoint[] = [];
    for (let r = 0; r < runs; r++)
      for (const N of geo(1e6, 1e10, 8))
        points.push({
          x: { N: N * (1 + r / 100) },
          y: 1.7 + 60 * (N * (1 + r / 100)) ** -0.3 * (1 + 0.01 * Math.sin(r * 7 + N)),
          runId: `r${r}`,
          step: N,
        });
    return dataset(points, ['N']);
  };
  const cluster = fitDataset(curves(12), { law: 'saturating', bootstrap: 30 });
  assert.equal(cluster.diagnostics.bootstrapMode, 'cluster');
  assert.ok(cluster.warnings.some((w) => /whole runs resampled from only 12 runs/.test(w)));
  const block = fitDataset(curves(3), { law: 'saturating', bootstrap: 30 });
  assert.equal(block.diagnostics.bootstrapMode, 'block');
  assert.ok(block.warnings.some((w) => /blocks of consecutive points/.test(w)));
  assert.equal(
    fitDataset(curves(3), { law: 'saturating', bootstrap: 30, bootstrapMode: 'cluster' }).diagnostics.bootstrapMode,
    'cluster',
  );
});

test('warnings: a parameter at its bound, a design with few distinct N or D, flat directions', () => {
  // No floor in the data: E sits at its lower bound 0.
  const noFloor = dataset(
    geo(1e6, 1e10, 12).map((N, i) => ({ x: { N }, y: 60 * N ** -0.3, runId: `r${i}` })),
    ['N'],
  );
  const atBound = fitDataset(noFloor, { law: 'saturating' });
  assert.deepEqual(atBound.diagnostics.atBounds, ['E']);
  assert.ok(
    atBound.warnings.some((w) => /parameter at a bound \(E = 0\)/.test(w)),
    atBound.warnings.join('\n'),
  );
  // Three token budgets only.
  const few = synthesize({ ...chin, design: chin.design.filter((p) => p.D > 1e10 && p.D < 1e11) });
  const fewFit = fitDataset(few, { law: 'chinchilla' });
  assert.ok(
    fewFit.warnings.some((w) => /only 3 distinct values of D/.test(w)),
    fewFit.warnings.join('\n'),
  );
  // A and B only enter as their product: a flat direction the warnings name.
  const flat = fitDataset(synthesize(sat), {
    law: 'custom',
    custom: {
      formula: 'E + A*B*N^(-alpha)',
      variables: ['N'],
      params: {
        E: { min: 0, max: 10 },
        A: { min: 0.1, max: 1e3, start: [1, 100] },
        B: { min: 0.1, max: 1e3, start: [1, 100] },
        alpha: { min: 0, max: 2 },
      },
    },
  });
  assert.ok(
    flat.warnings.some((w) => /(ill-conditioned optimum .*A, B trade off)|degenerate/.test(w)),
    flat.warnings.join('\n'),
  );
  assert.ok(Math.abs(flat.params.A.value * flat.params.B.value - 60) < 1e-3);
});

test('Huber on log residuals shrugs off gross outliers that pull least squares away', () => {
  const data = synthesize(chin, 0.005, 11);
  data.points[5].y *= 1.6;
  data.points[20].y *= 0.6;
  data.points[31].y *= 1.5;
  const err = (fit: ReturnType<typeof fitDataset>): number =>
    Math.abs(fit.params.alpha.value - 0.34) + Math.abs(fit.params.beta.value - 0.28);
  const huber = fitDataset(data, { law: 'chinchilla' });
  const lsq = fitDataset(data, { law: 'chinchilla', loss: 'lsq' });
  assert.ok(err(huber) < 0.05, `huber exponents off by ${err(huber)}`);
  assert.ok(err(huber) < err(lsq) / 3, `huber ${err(huber)} vs lsq ${err(lsq)}`);
  // A zero-weight point does not count at all.
  const weighted = synthesize(chin);
  weighted.points[0] = { ...weighted.points[0], y: weighted.points[0].y * 3, weight: 0 };
  const w = fitDataset(weighted, { law: 'chinchilla' });
  assert.ok(Math.abs(w.params.alpha.value - 0.34) < 1e-6);
  assert.ok(w.metrics.rmseLog < 1e-6, 'nor in the metrics');
});

test('auto: fits the laws the data supports, picks by backtest then AIC, and records the comparison', () => {
  const single = fitDataset(synthesize(sat, 0.01, 2), { law: 'auto' });
  assert.deepEqual(
    single.comparison!.map((c) => c.law),
    ['power', 'saturating', 'bnsl'],
  );
  assert.equal(single.law, 'saturating');
  assert.ok(
    single.comparison!.every((c) => typeof c.areMean === 'number'),
    'backtest by default with ≥ 5 runs',
  );
  assert.ok(single.warnings[0].startsWith('auto: picked saturating of power, saturating, bnsl by backtest error'));
  assert.equal(single.options.holdout, 1);
  const two = fitDataset(synthesize(chin, 0.01, 2), { law: 'auto', holdout: 0, bootstrap: 20 });
  assert.deepEqual(
    two.comparison!.map((c) => c.law),
    ['chinchilla', 'kaplan', 'loglinear'],
  );
  assert.equal(two.law, 'chinchilla');
  assert.ok(two.comparison!.every((c) => c.areMean === undefined));
  assert.ok(two.params.alpha.ci95, 'the chosen law is bootstrapped');
  // Accuracy in [0, 1] against compute adds the sigmoid.
  const acc = fitDataset(synthesize(caseByName('sigmoid'), 0.005, 1), { law: 'auto' });
  assert.ok(acc.comparison!.some((c) => c.law === 'sigmoid'));
  assert.equal(acc.law, 'sigmoid');
});

test('lr_annealing from whole loss curves: fit two schedules, recover the law', () => {
  const truth = { L0: 2.2, A: 1.1, alpha: 0.45, C: 0.25 };
  const steps = Array.from({ length: 100 }, (_, i) => (i + 1) * 20);
  const cosine = steps.map((s) => 1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * s) / 2000))));
  const wsd = steps.map((s) => (s <= 1600 ? 1e-3 : 1e-3 * (1 - (0.9 * (s - 1600)) / 400)));
  // Losses generated from the law on the engine's own areas (λ = 0.999).
  const curves: FitDataset['curves'] = {};
  for (const [name, lr] of [
    ['cosine', cosine],
    ['wsd', wsd],
  ] as const) {
    const { S1, S2 } = annealingAreas(steps, lr);
    curves[name] = {
      step: steps,
      lr,
      loss: steps.map((s) => truth.L0 + truth.A * S1[s] ** -truth.alpha - truth.C * S2[s]),
    };
  }
  const fit = fitDataset({ points: [], xNames: [], yName: 'loss', definitions: {}, curves }, { law: 'lr_annealing' });
  for (const [k, v] of Object.entries(truth))
    assert.ok(Math.abs(fit.params[k].value - v) / v < 1e-4, `${k}: ${fit.params[k].value}`);
  assert.equal(fit.lambda, 0.999);
  assert.deepEqual(fit.variables, ['S1', 'S2']);
  assert.equal(fit.nRuns, 2);
  // Constant learning rate: no annealing area anywhere, so C cannot be fitted.
  assert.throws(
    () =>
      fitDataset(
        {
          points: [],
          xNames: [],
          yName: 'loss',
          definitions: {},
          curves: { flat: { step: steps, lr: steps.map(() => 1e-3), loss: steps.map((s) => 3 - s / 1e4) } },
        },
        { law: 'lr_annealing' },
      ),
    /no schedule decays/,
  );
});
