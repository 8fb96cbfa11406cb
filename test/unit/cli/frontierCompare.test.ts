import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { CompareJson } from '../../../src/cli/compareCommand';
import type { FrontierJson } from '../../../src/cli/frontierCommand';
import { chinchillaOptimal } from '../../../src/core/laws/chinchilla';
import { cli, cliJson, RESULTS, tempDir } from './helpers';

describe('scaling-lens frontier --method vpnls and compare', () => {
  const tmp = tempDir();
  after(() => {
    tmp.done();
  });
  const law = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
  const truth = law.beta / (law.alpha + law.beta);
  // IsoFLOP design: 7 budgets, 9 sizes over 2 decades centred on the optimum, noise-free losses from the law.
  const rows = ['run,N,D,loss'];
  for (const C of [1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21]) {
    const centre = chinchillaOptimal(law, C).nOpt;
    for (let k = -4; k <= 4; k++) {
      const N = centre * 10 ** (k / 4);
      const D = C / (6 * N);
      rows.push(`r${C}_${k},${N},${D},${law.E + law.A / N ** law.alpha + law.B / D ** law.beta}`);
    }
  }

  test('vpnls: the frontier JSON of the other methods, budgets as for isoflop, the exponent of the law', async () => {
    const file = tmp.file('isoflop.csv', rows.join('\n'));
    const r = await cliJson<FrontierJson>('frontier', file, '--method', 'vpnls', '--y', 'loss', '--bootstrap', '8');
    assert.deepEqual(Object.keys(r), ['method', 'alloc', 'opt', 'budgets', 'loss_frontier', 'warnings']);
    assert.deepEqual(Object.keys(r.opt), ['exponent', 'coef', 'ci95']);
    assert.equal(r.method, 'vpnls');
    assert.equal(r.budgets.length, 7);
    assert.ok(Math.abs(r.opt.exponent - truth) < 1e-3, `exponent ${r.opt.exponent}`);
    const byD = await cliJson<FrontierJson>('frontier', file, '--method', 'vpnls', '--alloc', 'D', '--bootstrap', '0');
    assert.ok(Math.abs(byD.opt.exponent - (1 - truth)) < 1e-3, `b ${byD.opt.exponent}`);
    assert.equal(byD.opt.ci95, undefined);
    const text = await cli('frontier', file, '--method', 'vpnls', '--bootstrap', '0');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /compute-optimal N by VPNLS over the IsoFLOP surface/);
    const bad = await cli('frontier', file, '--method', 'vpnls', '--alloc', 'lr');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--method vpnls allocates N or D/);
  });

  test('compare on a table: three methods (envelope skipped, with the reason), each with its bias', async () => {
    const file = tmp.file('isoflop2.csv', rows.join('\n'));
    const r = await cliJson<CompareJson>('frontier', file, '--method', 'compare', '--bootstrap', '0');
    assert.deepEqual(Object.keys(r), ['method', 'alloc', 'truth', 'methods', 'warnings']);
    assert.equal(r.method, 'compare');
    assert.deepEqual(
      r.methods.map((m) => m.method),
      ['isoflop', 'parametric', 'vpnls'],
    );
    for (const m of r.methods) {
      assert.deepEqual(Object.keys(m), ['method', 'opt', 'bias', 'warnings']);
      assert.ok(Math.abs(m.opt.exponent - truth) < 0.01, `${m.method}: ${m.opt.exponent}`);
      assert.ok(typeof m.bias === 'number' && Math.abs(m.bias) < 0.01, `${m.method} bias ${m.bias}`);
    }
    assert.ok(r.warnings.some((w) => /envelope\) skipped/.test(w)));
    const text = await cli('frontier', file, '--method', 'compare', '--bootstrap', '0');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /method\s+exponent\s+95% interval\s+bias on this grid/);
    assert.match(text.stdout, /isoflop \(Approach 2\)/);
    assert.match(text.stdout, /envelope\) skipped/);
  });

  test('compare on run folders includes Approach 1 from the training curves', async () => {
    const r = await cliJson<CompareJson>('frontier', RESULTS, '--method', 'compare', '--bootstrap', '0');
    const env = r.methods.find((m) => m.method === 'envelope');
    assert.ok(env, r.warnings.join('\n'));
    assert.equal(typeof env.bias, 'number');
    assert.ok(r.truth && r.truth.exponent > 0.3 && r.truth.exponent < 0.6);
  });
});
