import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScaleNumber, formatScale } from '../../../src/core/config/values';

test('reads the ways configs write scale numbers', () => {
  assert.equal(parseScaleNumber('7e9'), 7e9);
  assert.equal(parseScaleNumber('7B'), 7e9);
  assert.equal(parseScaleNumber('1.4T'), 1.4e12);
  assert.equal(parseScaleNumber('125M'), 125e6);
  assert.equal(parseScaleNumber('4_096'), 4096);
  assert.equal(parseScaleNumber('2**20'), 2 ** 20);
  assert.equal(parseScaleNumber('2^20'), 2 ** 20);
  assert.equal(parseScaleNumber('8*1024'), 8192);
  assert.equal(parseScaleNumber(4096), 4096);
  assert.equal(parseScaleNumber('"32k"'), 32000);
});

test('refuses words and non-finite numbers', () => {
  for (const s of ['gelu', 'true', '', 'B', '1.2.3', 'NaN', 'inf']) assert.equal(parseScaleNumber(s), undefined, s);
  assert.equal(parseScaleNumber(Infinity), undefined);
});

test('formats scale numbers compactly', () => {
  assert.equal(formatScale(1.23e9), '1.23B');
  assert.equal(formatScale(7e12), '7T');
  assert.equal(formatScale(512), '512');
  assert.equal(formatScale(undefined), '–');
});
