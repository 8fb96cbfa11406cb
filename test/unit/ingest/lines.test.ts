import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenConfig } from '../../../src/core/config/flatten';
import { JsonLayout, LEAF_NULL, LEAF_NUMBER, LeafBuffer } from '../../../src/core/ingest/lines/jsonObject';
import { isNonFiniteWord, parseNumber } from '../../../src/core/ingest/lines/number';
import { rng } from '../../../src/core/fit/random';

/** Numbers as trainers write them: Python reprs (17 digits), rounded values, integers, exponents, tiny and huge. */
function numberTexts(n: number): string[] {
  const r = rng(7);
  const out: string[] = [
    '0',
    '-0',
    '1',
    '-1',
    '0.5',
    '1e-05',
    '6e-4',
    '3.0e+10',
    '1E22',
    '1e23',
    '9007199254740993',
    '123456789012345678901234',
    '2.5e-324',
    '1.7976931348623157e308',
    '0.30000000000000004',
  ];
  for (let i = 0; i < n; i++) {
    const x = (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    out.push(
      String(x),
      x.toFixed(Math.floor(r() * 8)),
      x.toExponential(Math.floor(r() * 16)),
      String(Math.round(x * 1e6)),
      x.toPrecision(1 + Math.floor(r() * 20)),
    );
    // 16–19 digit decimals that are no double's shortest form, and points next to halfway between two doubles
    let digits = String(1 + Math.floor(r() * 9));
    for (let k = 14 + Math.floor(r() * 5); k > 0; k--) digits += String(Math.floor(r() * 10));
    const pt = 1 + Math.floor(r() * (digits.length - 1));
    out.push(`${digits.slice(0, pt)}.${digits.slice(pt)}`, `0.000${digits}`);
    const y = Math.abs(x) || 1;
    const next = y + y * Number.EPSILON;
    out.push(((y + next) / 2).toPrecision(19), `${y.toPrecision(17)}5`);
  }
  return out;
}

test('parseNumber gives the same double as Number() for every way numbers are written', () => {
  for (const t of numberTexts(4000)) {
    const padded = `[${t},`;
    assert.equal(
      Object.is(parseNumber(padded, 1, 1 + t.length), Number(t)),
      true,
      `${t}: ${parseNumber(padded, 1, 1 + t.length)} vs ${Number(t)}`,
    );
  }
});

test('parseNumber reads what Number() reads, cell spellings included; nan/inf words are recognised', () => {
  const p = (t: string) => parseNumber(t, 0, t.length);
  for (const t of [
    '+1',
    '.5',
    '5.',
    '007',
    '-0',
    '1e5',
    '1E-5',
    '12abc',
    '1e',
    '.',
    '-',
    '0x10',
    'Infinity',
    '1_000',
    '3.5 ',
  ])
    assert.ok(Object.is(p(t), Number(t)), t);
  assert.ok(Number.isNaN(p('')), 'an empty cell is no number');
  for (const w of ['nan', 'NaN', 'inf', '-inf', 'Infinity', '-Infinity', '+inf'])
    assert.ok(isNonFiniteWord(w, 0, w.length), w);
  for (const w of ['na', 'infinite', '1', 'none']) assert.ok(!isNonFiniteWord(w, 0, w.length), w);
});

/** A random JSON-lines record as trainers log them: flat or nested, numbers, strings, bools, nulls. */
function record(r: () => number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const key =
      ['loss', 'train/loss', 'lr', 'step', '_step', 'eval loss', 'grad_norm', 'ü-key', 'tokens'][Math.floor(r() * 9)] +
      (r() < 0.3 ? String(i) : '');
    const pick = r();
    if (pick < 0.55) out[key] = (r() - 0.3) * 10 ** Math.floor(r() * 12 - 6);
    else if (pick < 0.65) out[key] = Math.floor(r() * 1e6);
    else if (pick < 0.72) out[key] = `text ${i}`;
    else if (pick < 0.78) out[key] = r() < 0.5;
    else if (pick < 0.84) out[key] = null;
    else if (depth < 2) out[key] = record(r, depth + 1);
    else out[key] = 1;
  }
  return out;
}

test('a layout reads the leaf values of records with the same keys, in flattenConfig order, and rejects others', () => {
  const r = rng(11);
  for (let i = 0; i < 2000; i++) {
    const rec = record(r);
    const layout = JsonLayout.of(rec);
    assert.ok(layout);
    const flat = flattenConfig(rec);
    assert.deepEqual(
      layout.names,
      Object.keys(flat).filter((k) => !k.startsWith('_wandb')),
      JSON.stringify(rec),
    );
    const leaves = new LeafBuffer();
    // the same keys with other values (the next line of the log) read through the same layout
    const again = JSON.parse(JSON.stringify(rec)) as Record<string, unknown>;
    assert.ok(layout.read(again, leaves));
    const got = layout.names.map((_, k) =>
      leaves.kinds[k] === LEAF_NUMBER ? leaves.values[k] : leaves.kinds[k] === LEAF_NULL ? null : 'other',
    );
    assert.deepEqual(
      got,
      Object.values(flat).map((v) => (typeof v === 'number' || v === null ? v : 'other')),
    );
    assert.equal(layout.read({ ...again, zz_new: 1 }, leaves), false);
    assert.equal(layout.signature(), JsonLayout.of(again)?.signature());
  }
  assert.equal(JsonLayout.of({ loss: 1, tags: ['a'] }), undefined, 'arrays go to the general path');
  const nested = JsonLayout.of({ step: 1, train: { loss: 2, lr: 3 } });
  assert.deepEqual(
    [nested?.names, nested?.depths],
    [
      ['step', 'train.loss', 'train.lr'],
      [1, 2, 2],
    ],
  );
  assert.equal(nested?.read({ step: 2, train: 5 }, new LeafBuffer()), false, 'a leaf where an object was');
});
