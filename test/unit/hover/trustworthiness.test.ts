/** Issue #11 on the hover: the prediction interval beside the mean's, and a refusal where the split is unknowable. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predict } from '../../../src/core/fit/predict';
import { fmtInterval, hoverAt } from '../../../src/core/hover/index';
import { analyseText, chinchillaFit } from './fitFixture';

const config = analyseText('n_params: 1B\ntrain_tokens: 20B\n', '/w/run.yaml');

test('the hover shows where the mean lies and where a new run should land, labelled', () => {
  const fit = { ...chinchillaFit(), noise: { sd: 0.02, space: 'log' as const, dof: 19, source: 'residuals' as const } };
  const p = predict(fit, { N: 1e9, D: 2e10 });
  assert.ok(p.ci95 && p.pi95);
  const md = hoverAt(config, 1, { fit })!.markdown;
  assert.ok(md.includes(`95% interval of the mean ${fmtInterval(p.ci95)}; a new run: ${fmtInterval(p.pi95)}`), md);
  const rough = hoverAt(config, 1, { fit: { ...fit, intervalQuality: 'unreliable' as const } })!.markdown;
  assert.match(rough, /; intervals unreliable\)/);
});

test('a fit that cannot separate N and D says so instead of giving a compute-optimal split', () => {
  const base = chinchillaFit();
  const fit = {
    ...base,
    design: {
      configurations: 6,
      parameters: 5,
      identifiable: false,
      reason: 'tokens per parameter barely varies',
      checks: [],
    },
  };
  const md = hoverAt(config, 1, { fit })!.markdown;
  assert.match(md, /\*\*Compute-optimal at this C\*\*: not identifiable from these runs: vary tokens per parameter/);
  assert.doesNotMatch(md, /N_opt/);
  assert.match(hoverAt(config, 1, { fit: base })!.markdown, /N_opt/);
});
