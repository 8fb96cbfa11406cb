import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FitJson } from '../../../src/cli/fitReport';
import type { TopLevelSpec } from 'vega-lite';
import { cli, cliJson, relErr, RESULTS, tempDir, TRUTH } from './helpers';

/** The fields of a `fit --out` artifact this file reads, as written on disk (snake_case). */
interface ArtifactOnDisk {
  kind: string;
  engine_version?: string;
  created?: string;
  domain: Record<string, [number, number] | undefined>;
  options: { bootstrap?: number };
  params: Record<string, { value: number }>;
  data: { runs: unknown[]; points: unknown[] };
}

const CONTRACT_KEYS = [
  'law',
  'params',
  'objective',
  'n_points',
  'n_runs',
  'metrics',
  'compute_optimal',
  'holdout',
  'warnings',
  'elapsed_ms',
  // Issue #11 additions, after the original keys.
  'interval_quality',
  'design',
];
const truth = TRUTH.law;

describe('scaling-lens fit on examples/results', () => {
  let fit: FitJson;
  before(async () => {
    fit = await cliJson<FitJson>(
      'fit',
      RESULTS,
      '--law',
      'chinchilla',
      '--bootstrap',
      '100',
      '--holdout',
      '2',
      '--seed',
      '7',
    );
  });

  test('--json has exactly the contract keys, in order', () => {
    assert.deepEqual(Object.keys(fit), CONTRACT_KEYS);
    assert.equal(fit.law, 'chinchilla');
    assert.deepEqual(Object.keys(fit.params), ['E', 'A', 'B', 'alpha', 'beta']);
    for (const p of Object.values(fit.params)) {
      assert.deepEqual(Object.keys(p), ['value', 'ci95']);
      assert.ok(p.ci95 && p.ci95[0] <= p.value && p.value <= p.ci95[1], `interval ${String(p.ci95)} around ${p.value}`);
    }
    assert.deepEqual(Object.keys(fit.metrics), ['rmse_log', 'r2', 'aic', 'bic']);
    assert.deepEqual(Object.keys(fit.compute_optimal ?? {}), ['a', 'b', 'G', 'ci95']);
    const co = fit.compute_optimal!;
    for (const k of ['a', 'b', 'G'] as const)
      assert.ok(
        co.ci95 && co.ci95[k][0] <= co[k] && co[k] <= co.ci95[k][1],
        `${k} ${co[k]} in ${String(co.ci95?.[k])}`,
      );
    assert.deepEqual(Object.keys(fit.holdout ?? {}), ['are_mean', 'points']);
    assert.equal(fit.holdout?.points.length, 2);
    assert.equal(fit.n_points, TRUTH.runs.length);
    assert.equal(fit.n_runs, TRUTH.runs.length);
    assert.ok(fit.elapsed_ms > 0 && fit.objective > 0);
  });

  test('recovers the law the examples were generated from (15 final points, 1% noise)', () => {
    const v = (k: keyof typeof truth) => fit.params[k].value;
    assert.ok(Math.abs(v('alpha') - truth.alpha) < 0.03, `alpha ${v('alpha')} vs ${truth.alpha}`);
    assert.ok(Math.abs(v('beta') - truth.beta) < 0.03, `beta ${v('beta')} vs ${truth.beta}`);
    assert.ok(relErr(v('E'), truth.E) < 0.05, `E ${v('E')} vs ${truth.E}`);
    assert.ok(relErr(v('A'), truth.A) < 0.5 && relErr(v('B'), truth.B) < 0.5, `A ${v('A')}, B ${v('B')}`);
    for (const k of ['E', 'A', 'B', 'alpha', 'beta'] as const) {
      const ci = fit.params[k].ci95 as [number, number];
      assert.ok(
        ci[0] <= truth[k] && truth[k] <= ci[1],
        `${k}: truth ${truth[k]} outside the 95% interval [${ci.join(', ')}]`,
      );
    }
    const a = truth.beta / (truth.alpha + truth.beta);
    assert.ok(Math.abs((fit.compute_optimal?.a ?? NaN) - a) < 0.03, `a ${fit.compute_optimal?.a} vs ${a}`);
    assert.ok((fit.holdout?.are_mean ?? 1) < 0.03, 'the backtest on the two largest runs is within 3%');
  });

  test('optional blocks are absent when not asked for or not defined: no ci95 without --bootstrap, no compute_optimal for a power law', async () => {
    const plain = await cliJson<FitJson>('fit', RESULTS, '--law', 'saturating', '--x', 'C');
    assert.deepEqual(
      Object.keys(plain),
      CONTRACT_KEYS.filter((k) => k !== 'compute_optimal' && k !== 'holdout' && k !== 'interval_quality'),
    );
    for (const p of Object.values(plain.params)) assert.deepEqual(Object.keys(p), ['value']);
  });

  test('--checkpoints fits every eval after the first 10% of tokens, with whole runs resampled', async () => {
    const ck = await cliJson<FitJson>('fit', RESULTS, '--law', 'chinchilla', '--checkpoints', '--seed', '3');
    assert.ok(ck.n_points > 10 * TRUTH.runs.length, `${ck.n_points} points`);
    assert.equal(ck.n_runs, TRUTH.runs.length);
    assert.ok(Math.abs(ck.params.alpha.value - truth.alpha) < 0.03, `alpha ${ck.params.alpha.value}`);
    assert.ok(Math.abs(ck.params.beta.value - truth.beta) < 0.03, `beta ${ck.params.beta.value}`);
    assert.ok(relErr(ck.params.E.value, truth.E) < 0.05, `E ${ck.params.E.value}`);
  });

  test('--bootstrap-mode picks what a resample draws; the report names it; a wrong mode is a usage error', async () => {
    const args = ['fit', RESULTS, '--law', 'saturating', '--x', 'C', '--bootstrap', '20', '--seed', '1'];
    const auto = await cli(...args);
    assert.equal(auto.code, 0, auto.stderr);
    assert.match(auto.stdout, /20 bootstrap resamples of single points/);
    const residual = await cli(...args, '--bootstrap-mode', 'residual');
    assert.equal(residual.code, 0, residual.stderr);
    assert.match(residual.stdout, /20 bootstrap resamples of residuals on the fixed design/);
    const json = await cliJson<FitJson>(...args, '--bootstrap-mode', 'residual', '--json');
    assert.ok(json.params.alpha.ci95);
    const bad = await cli(...args, '--bootstrap-mode', 'cases');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--bootstrap-mode must be auto, cluster, block, point, residual/);
  });
});

describe('scaling-lens fit: artifact, predict, plots', () => {
  const tmp = tempDir();
  after(() => {
    tmp.done();
  });

  test('--out writes an artifact that predict reproduces; --at C=… gives the compute-optimal allocation', async () => {
    const out = tmp.file('fit.json');
    const r = await cli(
      'fit',
      RESULTS,
      '--law',
      'chinchilla',
      '--bootstrap',
      '50',
      '--out',
      out,
      '--plot',
      tmp.file('fit.svg'),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /95% interval/);
    assert.match(r.stdout, /data domain: N 9\.437e\+6…1\.007e\+9/);
    assert.match(r.stdout, /wrote fit artifact: .*fit\.json/);
    const art = JSON.parse(readFileSync(out, 'utf8')) as ArtifactOnDisk;
    assert.equal(art.kind, 'scaling-lens-fit');
    assert.equal(art.data.runs.length, TRUTH.runs.length);
    assert.equal(art.data.points.length, TRUTH.runs.length);
    assert.ok(art.engine_version && art.created && art.domain.N && art.options.bootstrap === 50);
    const p = Object.fromEntries(Object.entries(art.params).map(([k, v]) => [k, v.value]));
    const L = (N: number, D: number) => p.E + p.A / N ** p.alpha + p.B / D ** p.beta;

    const pred = await cliJson<{
      value: number;
      ci95: [number, number];
      regime: string;
      decades_beyond: number;
      at: Record<string, number>;
    }>('predict', out, '--at', 'N=7B,D=1.4T');
    assert.deepEqual(pred.at, { N: 7e9, D: 1.4e12 });
    assert.ok(relErr(pred.value, L(7e9, 1.4e12)) < 1e-12);
    assert.ok(pred.ci95[0] <= pred.value && pred.value <= pred.ci95[1]);
    assert.equal(pred.regime, 'extrapolation');
    // The farthest distance beyond the joint domain: here compute, 6·N·D against the largest run's.
    const cMax = Math.max(...TRUTH.runs.map((r) => 6 * r.N * r.D));
    assert.ok(Math.abs(pred.decades_beyond - Math.log10((6 * 7e9 * 1.4e12) / cMax)) < 0.01, `${pred.decades_beyond}`);
    const inside = await cliJson<{ regime: string; value: number }>('predict', out, '--at', 'N=1e8,D=2**31');
    assert.equal(inside.regime, 'interpolation');
    assert.ok(relErr(inside.value, L(1e8, 2 ** 31)) < 1e-12);

    const opt = await cliJson<{ N_opt: number; D_opt: number; tokens_per_param: number; loss: number }>(
      'predict',
      out,
      '--at',
      'C=1e23',
    );
    const s = p.alpha + p.beta;
    const G = ((p.alpha * p.A) / (p.beta * p.B)) ** (1 / s);
    assert.ok(relErr(opt.N_opt, G * (1e23 / 6) ** (p.beta / s)) < 1e-9);
    assert.ok(relErr(opt.N_opt * opt.D_opt * 6, 1e23) < 1e-9);
    assert.ok(relErr(opt.loss, L(opt.N_opt, opt.D_opt)) < 1e-12);
    assert.ok(relErr(opt.tokens_per_param, opt.D_opt / opt.N_opt) < 1e-12);
    const human = await cli('predict', out, '--at', 'C=1e23');
    assert.match(human.stdout, /N_opt .* parameters, D_opt .* tokens, .* tokens per parameter/);
  });

  test("--plot writes .svg, .html and .vl.json; a rerun replaces our own file but not a user's", async () => {
    // A table of the examples' final points: the same fit without scanning the logs again.
    const table = tmp.file(
      'final.csv',
      ['run,N,D,loss', ...TRUTH.runs.map((r) => `${r.name},${r.N},${r.D},${r.eval_loss_final}`)].join('\n'),
    );
    const fit = (plot: string) => cli('fit', table, '--law', 'chinchilla', '--plot', plot);
    for (const name of ['p.svg', 'p.html', 'p.vl.json']) {
      const r = await fit(tmp.file(name));
      assert.equal(r.code, 0, r.stderr);
    }
    assert.match(readFileSync(tmp.file('p.svg'), 'utf8'), /^<svg[\s\S]*<\/svg>$/);
    assert.match(readFileSync(tmp.file('p.html'), 'utf8'), /^<!DOCTYPE html>[\s\S]*<svg/);
    const vl = await import('vega-lite');
    const spec = JSON.parse(readFileSync(tmp.file('p.vl.json'), 'utf8')) as TopLevelSpec;
    assert.ok(vl.compile(spec).spec.marks?.length);
    assert.equal((await fit(tmp.file('p.svg'))).code, 0, 'replaces its own plot');
    const mine = tmp.file('mine.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const refused = await fit(mine);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /mine\.svg exists and was not written by scaling-lens; refusing to overwrite it/);
    assert.equal(readFileSync(mine, 'utf8'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  });
});
