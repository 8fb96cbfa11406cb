// One number formatter, one style per place: each style keeps the look its place had (the CLI's is documented).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCompact,
  formatFitValue,
  formatPlain,
  formatReportNumber,
  formatShort,
  formatTick,
} from '../../../src/contract/format';

describe('number formats', () => {
  it('compact (panel captions and tables): short exponents, no trailing zeros', () => {
    assert.deepEqual(
      [7e9, 0.0481, 2.5, 0, 1.2e-4, 123456].map((v) => formatCompact(v)),
      ['7e9', '0.0481', '2.5', '0', '1.2e-4', '1.23e5'],
    );
    assert.equal(formatCompact(0.123456, 3), '0.123');
  });

  it('report (CLI text): JavaScript exponents with digits-1 decimals, a dash for missing values', () => {
    assert.deepEqual(
      [7e9, 1.2346e21, 0.0481, 1.5, null, undefined].map((v) => formatReportNumber(v)),
      ['7e+9', '1.235e+21', '0.0481', '1.5', '–', '–'],
    );
  });

  it('tick (plot titles): two decimals in exponent form', () => {
    assert.deepEqual([7e9, 1.234e21, 0.0481].map(formatTick), ['7e+9', '1.23e+21', '0.0481']);
  });

  it('fit value (messages and LaTeX): four significant digits as written', () => {
    assert.deepEqual([0.5, 12345, 1.8, 3e-4].map(formatFitValue), ['0.5000', '1.235e+4', '1.800', '3.000e-4']);
  });

  it('short (engine notes) and plain (known sizes)', () => {
    assert.deepEqual([1.2345e21, 0.0481, 2.5].map(formatShort), ['1.23e+21', '0.0481', '2.5']);
    assert.deepEqual([1234.5678, 1e12, 0.04812345].map(formatPlain), ['1235', '1000000000000', '0.04812']);
  });

  it('writes non-finite values as JavaScript does', () => {
    for (const f of [formatCompact, formatTick, formatFitValue, formatShort, formatPlain, formatReportNumber])
      assert.deepEqual(
        [NaN, Infinity, -Infinity].map((v) => f(v)),
        ['NaN', 'Infinity', '-Infinity'],
      );
  });
});
