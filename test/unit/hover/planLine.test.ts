import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmtFlop, fmtInterval, hoverAt } from '../../../src/core/hover/index';
import { narrowingByRun } from '../../../src/core/plan/quick';
import { fitArtifact, ladder } from '../plan/truth';
import { analyseText, chinchillaArtifact } from './fitFixture';

const fit = fitArtifact(ladder([2e7, 5e7, 1e8, 2e8], [5, 20, 80], 0.01, 5), 40, 5);

test('a config that is not yet a run: the hover says how training it would narrow the interval at the target', () => {
  const a = analyseText('n_params: 1B\ntrain_tokens: 20B\n', '/w/next.yaml');
  const h = hoverAt(a, 2, { fit, planTargetC: 1e23 });
  const q = narrowingByRun(fit, 1e9, 2e10, 1e23);
  assert.ok(h && q);
  assert.ok(
    h.markdown.includes(
      `Training this would narrow the 95% interval of the loss at C = ${fmtFlop(1e23)} FLOPs (compute-optimal) from ${fmtInterval(q.now)} to ${fmtInterval(q.after)}`,
    ),
    h.markdown,
  );
});

test('no plan line for a config the fit already has as a run, or for a fit without its data', () => {
  const existing = analyseText('n_params: 100M\ntrain_tokens: 2B\n', '/w/done.yaml');
  assert.ok(!hoverAt(existing, 2, { fit })?.markdown.includes('Training this would'));
  const next = analyseText('n_params: 1B\ntrain_tokens: 20B\n', '/w/next.yaml');
  assert.ok(!hoverAt(next, 2, { fit: chinchillaArtifact() })?.markdown.includes('Training this would'));
});
