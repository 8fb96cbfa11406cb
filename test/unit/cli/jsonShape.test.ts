/**
 * Pins the documented JSON of `runs`, `fit`, `predict` and `frontier` (and the `fit --out` artifact) on the bundled
 * examples: every key, its order and its nesting, recursively. Internal types are camelCase; the documented
 * snake_case keys are produced at the CLI boundary, so a rename inside the engine must leave this test green.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { cliJson, RESULTS, tempDir } from './helpers';

type Shape = string | Shape[] | { [key: string]: Shape };

/** Paths (dot-joined, arrays as `[]`) whose keys are data (config names, parameter names), not contract keys. */
const DATA_KEYED = new Set([
  'runs[].provenance',
  'runs[].config',
  'runs[].metrics',
  'params',
  'at',
  'holdout.points[].x',
  'domain',
  'draws[]',
  'data.definitions',
  'data.points[].x',
]);

function mergeShapes(a: Shape, b: Shape): Shape {
  if (typeof a === 'string' && typeof b === 'string') {
    // Different scalar kinds at one place (a number or null, say): keep both, sorted, so the pin is order-free.
    return [...new Set([...a.split(' | '), ...b.split(' | ')])].sort().join(' | ');
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length && b.length ? [mergeShapes(a[0], b[0])] : a.length ? a : b;
  if (typeof a === 'string' || typeof b === 'string' || Array.isArray(a) || Array.isArray(b)) {
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    return sa === sb ? a : [sa, sb].sort().join(' | ');
  }
  const out: Record<string, Shape> = {};
  const bare = (k: string) => k.replace(/\?$/, '');
  const keysA = Object.keys(a).map(bare);
  const keysB = Object.keys(b).map(bare);
  for (const k of [...keysA, ...keysB.filter((k) => !keysA.includes(k))]) {
    const inA = Object.keys(a).find((x) => bare(x) === k);
    const inB = Object.keys(b).find((x) => bare(x) === k);
    const optional = !inA || !inB || inA.endsWith('?') || inB.endsWith('?');
    const v = inA && inB ? mergeShapes(a[inA], b[inB]) : inA ? a[inA] : b[inB as string];
    out[optional ? `${k}?` : k] = v;
  }
  return out;
}

/** The shape of a JSON value: objects keep their key order, arrays merge their elements, scalars become type names. */
function shape(v: unknown, path = ''): Shape {
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const items = v.map((x) => shape(x, `${path}[]`));
    return items.length ? [items.reduce(mergeShapes)] : [];
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (DATA_KEYED.has(path)) {
      const values = entries.map(([k, x]) => shape(x, `${path}.${k}`));
      return { '<name>': values.length ? values.reduce(mergeShapes) : 'empty' };
    }
    const out: Record<string, Shape> = {};
    for (const [k, x] of entries) out[k] = shape(x, path ? `${path}.${k}` : k);
    return out;
  }
  return typeof v;
}

/** Key order is part of the contract; deepEqual alone ignores it, so the serialised shapes must match too. */
function assertShape(actual: Shape, expected: Shape): void {
  assert.deepEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), 'same keys, different order');
}

const PAIR = ['number'];
const DESIGN_CHECKS = [{ name: 'string', value: 'string', ok: 'boolean', advice: 'string' }];
const FIT_SHAPE = {
  law: 'string',
  params: { '<name>': { value: 'number', ci95: PAIR } },
  objective: 'number',
  n_points: 'number',
  n_runs: 'number',
  metrics: { rmse_log: 'number', r2: 'number', aic: 'number', bic: 'number' },
  compute_optimal: { a: 'number', b: 'number', G: 'number', ci95: { a: PAIR, b: PAIR, G: PAIR } },
  holdout: {
    are_mean: 'number',
    points: [{ runId: 'string', x: { '<name>': 'number' }, y: 'number', predicted: 'number', are: 'number' }],
  },
  warnings: ['string'],
  elapsed_ms: 'number',
  // Issue #11 additions, after the original keys.
  interval_quality: 'string',
  design: {
    configurations: 'number',
    parameters: 'number',
    identifiable: 'boolean',
    joint_domain: { N: PAIR, D: PAIR, tokens_per_param: PAIR, C: PAIR },
    exponent_conditioning: 'number',
    checks: DESIGN_CHECKS,
  },
};

describe('documented JSON shapes on examples/results', () => {
  const tmp = tempDir();
  let artifactPath = '';
  let fit: unknown;
  before(async () => {
    artifactPath = tmp.file('fit.json');
    fit = await cliJson(
      'fit',
      RESULTS,
      '--law',
      'chinchilla',
      '--bootstrap',
      '30',
      '--holdout',
      '2',
      '--seed',
      '3',
      '--out',
      artifactPath,
    );
  });
  after(() => {
    tmp.done();
  });

  test('runs --json', async () => {
    assertShape(shape(await cliJson('runs', RESULTS)), {
      runs: [
        {
          id: 'string',
          format: 'string',
          files: ['string'],
          N: 'number',
          D: 'number',
          C: 'number',
          provenance: { '<name>': 'string' },
          // Config values are whatever the user's config files hold.
          config: { '<name>': 'boolean | null | number | string' },
          metrics: {
            '<name>': {
              count: 'number',
              first: { step: 'number', value: 'number' },
              last: { step: 'number', value: 'number' },
            },
          },
        },
      ],
      diagnostics: [],
    });
  });

  test('fit --json', () => {
    assertShape(shape(fit), FIT_SHAPE);
  });

  test('fit --out writes the artifact predict and the hover read back', () => {
    const { law, params, objective, n_points, n_runs, metrics, compute_optimal, holdout, warnings, elapsed_ms } =
      FIT_SHAPE;
    assertShape(shape(JSON.parse(readFileSync(artifactPath, 'utf8'))), {
      kind: 'string',
      engine_version: 'string',
      created: 'string',
      law,
      formula: 'string',
      latex: 'string',
      params,
      objective,
      n_points,
      n_runs,
      metrics,
      warnings,
      elapsed_ms,
      diagnostics: {
        starts: 'number',
        startsReachingBest: 'number',
        atBounds: [],
        conditionNumber: 'number',
        bootstrapMode: 'string',
        bootstrapFailures: 'number',
      },
      domain: { '<name>': PAIR },
      options: { loss: 'string', delta: 'number', space: 'string', bootstrap: 'number', holdout: 'number' },
      variables: ['string'],
      compute_optimal,
      holdout,
      draws: [{ '<name>': 'number' }],
      // Issue #11 additions, in the engine's names.
      design: {
        configurations: 'number',
        parameters: 'number',
        checks: DESIGN_CHECKS,
        joint: { N: PAIR, D: PAIR, tokensPerParam: PAIR, C: PAIR },
        exponentConditioning: 'number',
        identifiable: 'boolean',
      },
      intervalQuality: 'string',
      noise: { sd: 'number', space: 'string', dof: 'number', source: 'string' },
      data: {
        xNames: ['string'],
        yName: 'string',
        definitions: { '<name>': 'string' },
        runs: ['string'],
        points: [{ runId: 'string', step: 'number', x: { '<name>': 'number' }, y: 'number' }],
      },
    });
  });

  test('predict --json at N, D and at C', async () => {
    assertShape(shape(await cliJson('predict', artifactPath, '--at', 'N=7e9,D=1.4e11')), {
      law: 'string',
      y: 'string',
      at: { '<name>': 'number' },
      value: 'number',
      ci95: PAIR,
      regime: 'string',
      decades_beyond: 'number',
      pi95: PAIR,
      regime_reason: 'string',
    });
    assertShape(shape(await cliJson('predict', artifactPath, '--at', 'C=1e23')), {
      law: 'string',
      y: 'string',
      C: 'number',
      N_opt: 'number',
      D_opt: 'number',
      tokens_per_param: 'number',
      loss: 'number',
      ci95: PAIR,
      regime: 'string',
      decades_beyond: 'number',
      pi95: PAIR,
      regime_reason: 'string',
      N_opt_ci95: PAIR,
      D_opt_ci95: PAIR,
      tokens_per_param_ci95: PAIR,
      identifiable: 'boolean',
    });
  });

  test('frontier --json (envelope and parametric)', async () => {
    const loss = { exponent: 'number', coef: 'number' };
    assertShape(shape(await cliJson('frontier', RESULTS, '--method', 'envelope')), {
      method: 'string',
      alloc: 'string',
      opt: loss,
      budgets: [{ C: 'number', x_opt: 'number', loss_opt: 'number', run: 'string' }],
      loss_frontier: loss,
      warnings: ['string'],
    });
    assertShape(shape(await cliJson('frontier', RESULTS, '--method', 'parametric')), {
      method: 'string',
      alloc: 'string',
      opt: loss,
      budgets: [{ C: 'number', x_opt: 'number', loss_opt: 'number' }],
      loss_frontier: loss,
      warnings: ['string'],
    });
  });
});
