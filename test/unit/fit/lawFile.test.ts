import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { customFromFormula, readLawFile } from '../../../src/core/fit/lawFile';

function withFile(text: string, fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sl-laws-'));
  try {
    const p = join(dir, 'scaling-laws.json');
    writeFileSync(p, text);
    fn(p);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a scaling-laws.json as a list or keyed by name; undeclared parameters get defaults', () => {
  const law = {
    formula: 'E + A/N^alpha + G/X^gamma',
    variables: ['N', 'X'],
    params: { E: { min: 0, max: 10, start: [1, 3] } },
  };
  withFile(JSON.stringify({ laws: [{ name: 'moe', ...law }] }), (p) => {
    const laws = readLawFile(p);
    const moe = laws.get('moe');
    assert.ok(moe);
    assert.deepEqual(moe.params.E, { min: 0, max: 10, start: [1, 3] });
    assert.deepEqual(Object.keys(moe.params).sort(), ['A', 'E', 'G', 'alpha', 'gamma']);
  });
  withFile(JSON.stringify({ laws: { quant: law } }), (p) => {
    assert.equal(readLawFile(p).get('quant')?.name, 'quant');
  });
});

test('bad law files: the message names the file and the field', () => {
  withFile('{', (p) => {
    assert.throws(() => readLawFile(p), /scaling-laws\.json: not valid JSON/);
  });
  withFile('{"laws": []}', (p) => {
    assert.throws(() => readLawFile(p), /declares no laws/);
  });
  withFile('{"laws": [{"formula": "A/N", "variables": []}]}', (p) => {
    assert.throws(() => readLawFile(p), /laws\[0\]: "variables" must list/);
  });
  withFile('{"laws": [{"formula": "A/N", "variables": ["N"], "params": {"A": {"start": [1]}}}]}', (p) => {
    assert.throws(() => readLawFile(p), /params\.A\.start must be \[low, high\]/);
  });
  withFile('{"laws": [{"formula": "A/(N", "variables": ["N"]}]}', (p) => {
    assert.throws(() => readLawFile(p), /formula does not parse/);
  });
  assert.throws(() => readLawFile('/nonexistent/scaling-laws.json'), /\/nonexistent\/scaling-laws\.json: cannot read/);
});

test('--custom with --bounds: bounds double as start ranges; unknown names and bad ranges are refused', () => {
  const spec = customFromFormula('E + A/N^alpha', ['N'], 'E=0:10,alpha=0:2');
  assert.deepEqual(spec.params.E, { min: 0, max: 10, start: [0, 10] });
  assert.deepEqual(spec.params.A, {});
  assert.throws(() => customFromFormula('E + A/N^alpha', ['N'], 'Q=0:1'), /"Q" is not a parameter of the formula/);
  assert.throws(() => customFromFormula('E + A/N^alpha', ['N'], 'E=3:1'), /not name=low:high with low < high/);
  assert.throws(() => customFromFormula('N^2', ['N']), /no parameters besides the variables N/);
});

test('--custom formulas are checked when read, not mid-fit', () => {
  assert.throws(() => customFromFormula('E + A/(N^alpha', ['N']), /--custom: formula does not parse/);
  assert.throws(() => customFromFormula('E +* A/N^alpha', ['N']), /--custom: formula does not parse/);
});
