import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitDataset } from '../../../src/core/fit/engine';
import { FitError } from '../../../src/core/errors';
import { computeOptimal, predict, predictSchedule, regimeOf } from '../../../src/core/fit/predict';
import type { FitResult } from '../../../src/contract/fit';
import { chinchillaOptimal } from '../../../src/core/laws/chinchilla';
import { annealingAreas } from '../../../src/core/laws/lrAnnealing';
import { caseByName, synthesize } from './engineCases';

const chinFit = fitDataset(synthesize(caseByName('chinchilla'), 0.01, 5), {
  law: 'chinchilla',
  bootstrap: 200,
  seed: 1,
});
const values = (f: FitResult): Record<string, number> =>
  Object.fromEntries(Object.entries(f.params).map(([k, p]) => [k, p.value]));

test('value at a point, with the 95% interval of the draws evaluated there', () => {
  const at = { N: 7e9, D: 1.4e12 };
  const p = predict(chinFit, at);
  const v = values(chinFit);
  assert.equal(p.value, v.E + v.A / at.N ** v.alpha + v.B / at.D ** v.beta);
  const ys = chinFit.draws!.map((d) => d.E + d.A / at.N ** d.alpha + d.B / at.D ** d.beta).sort((a, b) => a - b);
  const [lo, hi] = p.ci95!;
  assert.ok(lo >= ys[0] && hi <= ys[ys.length - 1] && lo < p.value && p.value < hi);
  const pos = (ys.length - 1) * 0.025,
    k = Math.floor(pos);
  assert.ok(Math.abs(lo - (ys[k] + (pos - k) * (ys[k + 1] - ys[k]))) < 1e-12, 'linear-interpolated 2.5th percentile');
  assert.deepEqual(p.at, at);
  // Without draws, no interval.
  assert.equal(predict({ ...chinFit, draws: undefined }, at).ci95, undefined);
});

test('interpolation inside the domain; extrapolation says how many decades beyond it', () => {
  const [nLo, nHi] = chinFit.domain.N;
  const [, dHi] = chinFit.domain.D;
  const [rLo, rHi] = chinFit.design!.joint!.tokensPerParam;
  const mid = Math.sqrt(nLo * nHi);
  const inside = predict(chinFit, { N: mid, D: mid * Math.sqrt(rLo * rHi) });
  assert.equal(inside.regime, 'interpolation');
  assert.equal(inside.decadesBeyond, 0);
  assert.equal(inside.regimeReason, undefined);
  const out = predict(chinFit, { N: nHi * 100, D: dHi * 10 });
  assert.equal(out.regime, 'extrapolation');
  // 2 decades beyond in N, and further beyond in compute: the farthest distance counts, and names its axis.
  const cBeyond = Math.log10((6 * nHi * 100 * dHi * 10) / chinFit.design!.joint!.C[1]);
  assert.ok(cBeyond > 2 && Math.abs(out.decadesBeyond - cBeyond) < 1e-9, `${out.decadesBeyond} vs ${cBeyond}`);
  assert.match(out.regimeReason ?? '', /^C = .* FLOPs; the data span/);
  const below = predict(chinFit, { N: nLo / 1000, D: dHi });
  assert.ok(Math.abs(below.decadesBeyond - 3) < 1e-9);
  // Inside the N and D ranges one by one, but at a tokens-per-parameter ratio the data never had: extrapolation.
  // (The case: data at 0.46–341 tokens/param, a prediction at 5,000.)
  const design = chinFit.design!;
  const wide = {
    ...chinFit,
    domain: { N: [1e6, 1e12] as [number, number], D: [1e6, 1e14] as [number, number] },
    design: {
      ...design,
      joint: { ...design.joint!, tokensPerParam: [0.46, 341] as [number, number], C: [1, 1e40] as [number, number] },
    },
  };
  const skewed = predict(wide, { N: 1e8, D: 5e11 });
  assert.equal(skewed.regime, 'extrapolation');
  assert.ok(Math.abs(skewed.decadesBeyond - Math.log10(5000 / 341)) < 1e-9, `${skewed.decadesBeyond}`);
  assert.equal(skewed.regimeReason, '5,000 tokens/param; the data span 0.46–341');
  // A signed variable outside its range is extrapolation without a decade count.
  assert.deepEqual(regimeOf({ ...chinFit, domain: { S2: [0, 1] } }, { S2: 2 }), {
    regime: 'extrapolation',
    decadesBeyond: 0,
    regimeReason: 'S2 = 2; the data span 0–1',
  });
});

test('chinchilla at a compute budget: the closed-form optimum, its interval over the draws', () => {
  const C = 1e23;
  const v = values(chinFit);
  const opt = computeOptimal(chinFit, C);
  const ref = chinchillaOptimal({ E: v.E, A: v.A, B: v.B, alpha: v.alpha, beta: v.beta }, C);
  assert.equal(opt.nOpt, ref.nOpt);
  assert.equal(opt.dOpt, ref.dOpt);
  assert.equal(opt.tokensPerParam, ref.dOpt / ref.nOpt);
  assert.ok(Math.abs(6 * opt.nOpt * opt.dOpt - C) < 1e-9 * C);
  // It is the minimum of the fitted loss along C = 6ND.
  const L = (N: number) => predict(chinFit, { N, D: C / (6 * N) }).value;
  assert.ok(L(opt.nOpt) < L(opt.nOpt * 1.05) && L(opt.nOpt) < L(opt.nOpt / 1.05));
  assert.ok(Math.abs(L(opt.nOpt) - opt.loss) < 1e-12);
  assert.ok(opt.ci95 && opt.ci95[0] < opt.loss && opt.loss < opt.ci95[1]);
  // predict({C}) does the same and fills `optimal`; its regime is that of (N_opt, D_opt).
  const p = predict(chinFit, { C });
  assert.equal(p.value, opt.loss);
  const { loss, ci95, ...allocation } = opt;
  assert.deepEqual(p.optimal, allocation);
  assert.ok(loss === p.value && ci95 === opt.ci95);
  // The split's own intervals come from the draws, each at its own optimum, and bracket the fitted split.
  assert.equal(opt.identifiable, true);
  for (const [ci, v] of [
    [opt.nOptCi95, opt.nOpt],
    [opt.dOptCi95, opt.dOpt],
    [opt.tokensPerParamCi95, opt.tokensPerParam],
  ] as const)
    assert.ok(ci && ci[0] < v && v < ci[1], `${String(ci)} around ${v}`);
  assert.deepEqual(p.ci95, opt.ci95);
  assert.equal(p.regime, regimeOf(chinFit, { N: opt.nOpt, D: opt.dOpt }).regime);
  // Explicit N, D win over C.
  assert.equal(predict(chinFit, { C, N: 1e9, D: 1e10 }).optimal, undefined);
});

test('computeOptimal refuses laws without one, and bad budgets', () => {
  const sat = fitDataset(synthesize(caseByName('saturating')), { law: 'saturating' });
  assert.throws(
    () => computeOptimal(sat, 1e20),
    (e: unknown) => e instanceof FitError && /needs a chinchilla fit; this one is saturating/.test(e.message),
  );
  assert.throws(() => computeOptimal(chinFit, -1), /positive number/);
  const vanished = { ...chinFit, params: { ...chinFit.params, B: { value: 0 } }, draws: undefined };
  assert.throws(() => computeOptimal(vanished, 1e20), /all positive/);
});

test('one-variable laws take their variable by name, as x, or as the only key; missing values are errors', () => {
  const fit = fitDataset(synthesize(caseByName('power')), { law: 'power' });
  const v = values(fit);
  const want = v.A * 1e12 ** -v.alpha;
  for (const at of [{ C: 1e12 }, { x: 1e12 }, { compute: 1e12 }] as Record<string, number>[])
    assert.equal(predict(fit, at).value, want);
  assert.equal(predict(fit, { C: 1e12 }).regime, 'extrapolation');
  assert.throws(
    () => predict(chinFit, { N: 1e9 }),
    (e: unknown) => e instanceof FitError && /needs a value for D/.test(e.message),
  );
});

test('predictions for bnsl (2 breaks), loglinear, custom laws and artifacts read back from JSON', () => {
  for (const name of ['bnsl (2 breaks)', 'loglinear', 'custom']) {
    const c = caseByName(name);
    const data = synthesize(c);
    const fit = JSON.parse(JSON.stringify(fitDataset(data, { law: c.law, ...c.options }))) as FitResult;
    for (const pt of data.points.slice(0, 5)) {
      const p = predict(fit, pt.x);
      assert.ok(Math.abs(p.value - pt.y) <= 1e-6 * pt.y, `${name}: ${p.value} vs ${pt.y}`);
      assert.equal(p.regime, 'interpolation');
    }
  }
});

test('predictions follow parameter changes on the same fit object (the plot swaps params)', () => {
  const copy: FitResult = { ...chinFit, draws: undefined };
  const a = predict(copy, { N: 1e9, D: 1e10 }).value;
  copy.params = { ...copy.params, E: { value: copy.params.E.value + 1 } };
  assert.ok(Math.abs(predict(copy, { N: 1e9, D: 1e10 }).value - (a + 1)) < 1e-12);
});

test('lr_annealing predicts the loss curve of an unseen schedule', () => {
  const truth = { L0: 2.2, A: 1.1, alpha: 0.45, C: 0.25 };
  const steps = Array.from({ length: 80 }, (_, i) => (i + 1) * 25);
  const schedule = (kind: string) =>
    steps.map((s) =>
      kind === 'cosine'
        ? 1e-3 * (0.1 + 0.45 * (1 + Math.cos((Math.PI * s) / 2000)))
        : kind === 'wsd'
          ? s <= 1600
            ? 1e-3
            : 1e-3 * (1 - (0.9 * (s - 1600)) / 400)
          : 1e-3 * (1 - (0.8 * s) / 2000),
    );
  const lossOf = (lr: number[]) => {
    const { S1, S2 } = annealingAreas(steps, lr);
    return steps.map((s) => truth.L0 + truth.A * S1[s] ** -truth.alpha - truth.C * S2[s]);
  };
  const curves = Object.fromEntries(
    ['cosine', 'wsd'].map((k) => [k, { step: steps, lr: schedule(k), loss: lossOf(schedule(k)) }]),
  );
  const fit = fitDataset(
    { points: [], xNames: [], yName: 'loss', definitions: {}, curves },
    { law: 'lr_annealing', bootstrap: 20 },
  );
  const linear = schedule('linear');
  const want = lossOf(linear);
  const got = predictSchedule(fit, steps, linear);
  got.forEach((g, i) => {
    assert.equal(g.step, steps[i]);
    assert.ok(Math.abs(g.value - want[i]) < 1e-6 * want[i], `step ${g.step}`);
    assert.ok(g.ci95 && g.ci95[0] <= g.value + 1e-9 && g.value - 1e-9 <= g.ci95[1]);
  });
  assert.throws(() => predictSchedule(chinFit, steps, linear), /needs an lr_annealing fit/);
});
