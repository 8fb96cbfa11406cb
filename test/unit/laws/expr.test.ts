import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile, ExprError, identifiers } from '../../../src/core/laws/expr';

const ev = (src: string, vars: Record<string, number> = {}, params: Record<string, number> = {}): number =>
  compile(src, Object.keys(vars), Object.keys(params))(Object.values(vars), Object.values(params));

test('arithmetic, precedence and associativity', () => {
  assert.equal(ev('1 + 2 * 3'), 7);
  assert.equal(ev('(1 + 2) * 3'), 9);
  assert.equal(ev('2 ^ 3 ^ 2'), 512); // right-associative
  assert.equal(ev('2 ** 3'), 8);
  assert.equal(ev('-2 ^ 2'), -4); // unary minus binds looser than ^
  assert.equal(ev('2 ^ -1'), 0.5);
  assert.equal(ev('8 / 4 / 2'), 1); // left-associative
  assert.equal(ev('10 - 4 - 3'), 3);
  assert.equal(ev('1.5e3 + .5 + 2E-1'), 1500.7);
  assert.equal(ev('+3 - -2'), 5);
});

test('variables, parameters and functions', () => {
  const f = compile('E + A / N^alpha + B / D^beta', ['N', 'D'], ['E', 'A', 'B', 'alpha', 'beta']);
  assert.equal(f([1e9, 2e10], [1.69, 406.4, 410.7, 0.34, 0.28]), 1.69 + 406.4 / 1e9 ** 0.34 + 410.7 / 2e10 ** 0.28);
  assert.equal(ev('log(exp(x)) + ln(1) + log10(100) + log2(8) + sqrt(16) + abs(-1)', { x: 2 }), 2 + 0 + 2 + 3 + 4 + 1);
  assert.equal(ev('pow(x, 2) + min(x, 1, 5) + max(x, 7)', { x: 3 }), 9 + 1 + 7);
  assert.deepEqual(identifiers('E + A*exp(-k*x)'), ['E', 'A', 'k', 'x']);
});

test('errors name the problem and the position', () => {
  assert.throws(() => ev('1 +'), /ends unexpectedly/);
  assert.throws(() => ev('(1 + 2'), /expected '\)'/);
  assert.throws(() => ev('1 2'), /unexpected '2' at position 3/);
  assert.throws(() => ev('y + 1', { x: 1 }), /unknown name 'y' at position 1; declared variables: x/);
  assert.throws(() => ev('foo(1)'), /unknown function 'foo'/);
  assert.throws(() => ev('pow(1)'), /pow\(\) takes 2 argument/);
  assert.throws(() => ev('x; 1', { x: 1 }), /unexpected character ';'/);
  assert.throws(() => ev(''), /empty formula/);
  assert.throws(() => compile('x', ['x'], ['x']), /both as a variable and as a parameter/);
  assert.throws(() => compile('1', ['2x'], []), /not a valid name/);
  assert.throws(() => ev('('.repeat(300) + '1' + ')'.repeat(300)), /nested too deeply/);
  assert.throws(() => ev('1+'.repeat(3000) + '1'), /too long/);
});

test('nothing reaches JavaScript: object-model names and code are rejected, not run', () => {
  for (const bad of ['constructor', '__proto__', 'prototype', 'globalThis', 'process', 'this']) {
    assert.throws(() => compile(bad, [bad], []), ExprError, bad);
    assert.throws(() => ev(bad), /unknown name/, bad);
  }
  assert.throws(() => ev('toString'), /unknown name 'toString'/);
  assert.throws(() => ev('x.constructor', { x: 1 }), /unexpected character '\.'/);
  assert.throws(() => ev('x["a"]', { x: 1 }), /unexpected character '\['/);
  assert.throws(() => ev("require('fs')"), /unexpected character/);
  assert.throws(() => ev('eval(1)'), /unknown function 'eval'/);
  assert.throws(() => ev('a => a'), /unexpected character '='/);
});
