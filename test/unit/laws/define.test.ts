import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  coefficient,
  defineLaw,
  exponent,
  free,
  irreducible,
  logScale,
  signedExponent,
} from '../../../src/core/laws/define';
import { LAWS } from '../../../src/core/laws/registry';
import { sigmoidBounded } from '../../../src/core/laws/sigmoid';

test('defineLaw derives paramCount from params and a keyed evaluate from f', () => {
  const line = defineLaw({
    name: 'custom',
    formula: 'y = a + b * x',
    latex: 'y = a + b\\,x',
    params: [free('a', [-1, 1]), coefficient('b', [0, 2])],
    variables: ['x'],
    f: (t, x) => t[0] + t[1] * x[0],
  });
  assert.equal(line.paramCount, 2);
  assert.equal(line.evaluate({ a: 1, b: 3 }, { x: 2 }), 7);
  assert.throws(() => line.evaluate({ a: 1 }, { x: 2 }), /missing parameter b for law custom/);
});

test('parameter builders state each role’s bounds', () => {
  assert.deepEqual(irreducible([0.5, 3]), { name: 'E', min: 0, max: Infinity, start: [0.5, 3] });
  assert.deepEqual(irreducible([0, 1], 'L0'), { name: 'L0', min: 0, max: Infinity, start: [0, 1] });
  assert.deepEqual(coefficient('A', [10, 1e4]), { name: 'A', min: 0, max: Infinity, start: [10, 1e4] });
  assert.deepEqual(exponent('alpha', 3, [0.1, 1]), { name: 'alpha', min: 0, max: 3, start: [0.1, 1] });
  assert.deepEqual(signedExponent('b', 5, [0, 1]), { name: 'b', min: -5, max: 5, start: [0, 1] });
  assert.deepEqual(free('c', [-10, 10]), { name: 'c', min: -Infinity, max: Infinity, start: [-10, 10] });
  assert.deepEqual(logScale('Nc', [1e10, 1e15]), { name: 'Nc', min: 0, max: Infinity, start: [1e10, 1e15], log: true });
});

test('every built-in law counts its own parameters; the published bounds hold', () => {
  for (const law of [...Object.values(LAWS), sigmoidBounded]) assert.equal(law.paramCount, law.params.length, law.name);
  const bounds = (ps: { name: string; min: number; max: number }[]) => ps.map((p) => `${p.name}:${p.min}..${p.max}`);
  assert.deepEqual(bounds(LAWS.chinchilla.params), [
    'E:0..Infinity',
    'A:0..Infinity',
    'B:0..Infinity',
    'alpha:0..3',
    'beta:0..3',
  ]);
  assert.deepEqual(bounds(LAWS.lr_annealing.params), [
    'L0:0..Infinity',
    'A:0..Infinity',
    'alpha:0..5',
    'C:0..Infinity',
  ]);
  assert.deepEqual(bounds(LAWS.power.params), ['A:0..Infinity', 'alpha:-5..5']);
  assert.deepEqual(bounds(LAWS.passk.params), ['a:0..Infinity', 'b:-5..5']);
  // Only the levels differ between the sigmoid and its accuracy-bounded variant.
  assert.deepEqual(bounds(LAWS.sigmoid.params), [
    'floor:0..Infinity',
    'ceil:0..Infinity',
    'midpoint:-Infinity..Infinity',
    'slope:0..100',
  ]);
  assert.deepEqual(bounds(sigmoidBounded.params), [
    'floor:0..1',
    'ceil:0..1',
    'midpoint:-Infinity..Infinity',
    'slope:0..100',
  ]);
});
