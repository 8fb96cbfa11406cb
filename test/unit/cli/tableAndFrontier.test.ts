import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { FrontierJson } from '../../../src/cli/frontierCommand';
import type { FitJson } from '../../../src/cli/fitReport';
import { chinchillaOptimal } from '../../../src/core/laws/chinchilla';
import { cliJson, relErr, RESULTS, tempDir, TRUTH } from './helpers';

const FRONTIER_KEYS = ['method', 'alloc', 'opt', 'budgets', 'loss_frontier', 'warnings'];

describe('fit on a table file', () => {
  const tmp = tempDir();
  after(() => {
    tmp.done();
  });
  // The examples' final points as a table: one row per run, N and D in columns, a run column for the bootstrap.
  const csv = ['run,N,tokens,loss', ...TRUTH.runs.map((r) => `${r.name},${r.N},${r.D},${r.eval_loss_final}`)].join(
    '\n',
  );

  test('a CSV gives the same chinchilla fit as the results folder it summarises', async () => {
    const file = tmp.file('final.csv', csv);
    const fromTable = await cliJson<FitJson>('fit', file, '--law', 'chinchilla', '--y', 'loss');
    const fromRuns = await cliJson<FitJson>('fit', RESULTS, '--law', 'chinchilla');
    assert.equal(fromTable.n_points, TRUTH.runs.length);
    for (const k of ['E', 'alpha', 'beta'])
      assert.ok(
        relErr(fromTable.params[k].value, fromRuns.params[k].value) < 0.02,
        `${k}: ${fromTable.params[k].value} vs ${fromRuns.params[k].value}`,
      );
  });

  test('--x C on a table without a C column uses 6·N·D; TSV works the same', async () => {
    const tsv = tmp.file('final.tsv', csv.replace(/,/g, '\t'));
    const r = await cliJson<FitJson>('fit', tsv, '--law', 'power', '--x', 'C', '--y', 'loss');
    assert.equal(r.law, 'power');
    assert.ok(r.params.alpha.value > 0 && r.params.alpha.value < 0.5);
    assert.equal(r.compute_optimal, undefined);
  });
});

describe('scaling-lens frontier', () => {
  const tmp = tempDir();
  after(() => {
    tmp.done();
  });
  const law = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.3, beta: 0.3 };
  // IsoFLOP design: 7 budgets, 9 sizes each centred on the optimum, loss from the law (α = β: Approach 2 is exact).
  const rows = ['model,N,D,C,loss'];
  for (const C of [1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21]) {
    const centre = chinchillaOptimal(law, C).nOpt;
    for (let k = -4; k <= 4; k++) {
      const N = centre * 10 ** (k / 8);
      const D = C / (6 * N);
      rows.push(`m${C}_${k},${N},${D},${C},${law.E + law.A / N ** law.alpha + law.B / D ** law.beta}`);
    }
  }

  test('isoflop on a synthetic IsoFLOP table recovers the exponent, names its biases, and keeps the JSON contract', async () => {
    const file = tmp.file('isoflop.csv', rows.join('\n'));
    const r = await cliJson<FrontierJson>(
      'frontier',
      file,
      '--method',
      'isoflop',
      '--alloc',
      'N',
      '--c',
      'C',
      '--y',
      'loss',
    );
    assert.deepEqual(Object.keys(r), FRONTIER_KEYS);
    assert.deepEqual(Object.keys(r.opt), ['exponent', 'coef']);
    assert.equal(r.method, 'isoflop');
    assert.equal(r.alloc, 'N');
    assert.equal(r.budgets.length, 7);
    for (const b of r.budgets) assert.deepEqual(Object.keys(b), ['C', 'x_opt', 'loss_opt']);
    assert.ok(Math.abs(r.opt.exponent - 0.5) < 1e-6, `exponent ${r.opt.exponent}`);
    assert.ok(relErr(r.opt.coef * 1e20 ** r.opt.exponent, chinchillaOptimal(law, 1e20).nOpt) < 1e-4);
    assert.ok(
      r.warnings.some((w) => /biased even on noise-free data when .*α ≠ β/.test(w)),
      r.warnings.join('\n'),
    );
    const byD = await cliJson<FrontierJson>('frontier', file, '--method', 'isoflop', '--alloc', 'D', '--y', 'loss');
    assert.ok(Math.abs(byD.opt.exponent - 0.5) < 1e-6);
  });

  test('envelope on examples/results: budgets name the winning run; parametric matches the chinchilla fit', async () => {
    const env = await cliJson<FrontierJson>('frontier', RESULTS, '--method', 'envelope');
    assert.deepEqual(Object.keys(env), FRONTIER_KEYS);
    assert.ok(env.budgets.length > 20 && env.budgets.every((b) => typeof b.run === 'string'));
    assert.ok(env.opt.exponent > 0.3 && env.opt.exponent < 0.6, `envelope exponent ${env.opt.exponent}`);
    assert.ok(env.warnings.some((w) => /intermediate checkpoints/.test(w)));
    const par = await cliJson<FrontierJson>('frontier', RESULTS, '--method', 'parametric', '--alloc', 'N');
    const fit = await cliJson<FitJson>('fit', RESULTS, '--law', 'chinchilla');
    assert.ok(Math.abs(par.opt.exponent - (fit.compute_optimal?.a ?? NaN)) < 1e-9);
    const truthA = TRUTH.law.beta / (TRUTH.law.alpha + TRUTH.law.beta);
    assert.ok(Math.abs(par.opt.exponent - truthA) < 0.03, `parametric exponent ${par.opt.exponent} vs ${truthA}`);
  });
});
