import assert from 'node:assert/strict';
import { test } from 'node:test';
import { architectureFor, architecturePattern, runArchitecture } from '../../../src/core/view/planArchitecture';

/** A GPT-like ladder: N = 12·L·d², d = 64·L. */
const gpt = (L: number) => ({ N: 12 * L * (64 * L) ** 2, dModel: 64 * L, nLayers: L });

test('width and depth are read from flattened configs under their common names', () => {
  assert.deepEqual(runArchitecture(1e8, { 'model.hidden_size': 768, 'model.num_hidden_layers': 12 }), {
    N: 1e8,
    dModel: 768,
    nLayers: 12,
  });
  assert.deepEqual(runArchitecture(1e8, { n_embd: '512', n_layer: 8 }), { N: 1e8, dModel: 512, nLayers: 8 });
  assert.equal(runArchitecture(1e8, { hidden_size: 768 }), undefined, 'no depth');
  assert.equal(runArchitecture(undefined, { d_model: 768, n_layers: 12 }), undefined, 'no N');
  assert.equal(runArchitecture(1e8, { d_model: 7.5, n_layers: 12 }), undefined, 'not an integer width');
});

test('a consistent ladder gives a pattern that reproduces its own shapes and extends to larger N', () => {
  const p = architecturePattern([gpt(4), gpt(6), gpt(8), gpt(12)]);
  assert.ok(p);
  assert.ok(Math.abs(p.aspectSlope) < 1e-9 && Math.abs(p.perLayerWidth2 - 12) < 1e-9);
  assert.deepEqual(architectureFor(gpt(8).N, p), { dModel: 512, nLayers: 8 });
  assert.deepEqual(architectureFor(gpt(24).N, p), { dModel: 1536, nLayers: 24 });
});

test('a ladder that widens faster than it deepens (the example runs) keeps that trend', () => {
  const runs = [
    { N: 9.44e6, dModel: 256, nLayers: 12 },
    { N: 3.77e7, dModel: 512, nLayers: 12 },
    { N: 1.13e8, dModel: 768, nLayers: 16 },
    { N: 3.02e8, dModel: 1024, nLayers: 24 },
    { N: 1.01e9, dModel: 2048, nLayers: 20 },
  ];
  const p = architecturePattern(runs);
  assert.ok(p && p.aspectSlope > 0);
  const big = architectureFor(4e9, p);
  assert.ok(big.dModel > 2048 && big.dModel % 64 === 0, `d_model ${big.dModel}`);
  assert.ok(Math.abs(12 * big.nLayers * big.dModel ** 2 - 4e9) / 4e9 < 0.35, `${JSON.stringify(big)} for 4e9`);
});

test('no pattern from one run, one size, or shapes that vary freely', () => {
  assert.equal(architecturePattern([gpt(4)]), undefined);
  assert.equal(architecturePattern([gpt(4), gpt(4)]), undefined);
  const wide = { N: 12 * 2 * 4096 ** 2, dModel: 4096, nLayers: 2 };
  assert.equal(architecturePattern([gpt(4), gpt(8), wide, gpt(16)]), undefined, 'one shape far off the trend');
  const moe = { N: 8 * 12 * 8 * 512 ** 2, dModel: 512, nLayers: 8 };
  assert.equal(architecturePattern([gpt(4), gpt(6), moe]), undefined, 'parameters not ~k·L·d²');
});
