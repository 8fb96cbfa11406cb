import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonLineScanner, ValueKind } from '../../../src/core/ingest/lines/jsonObject';
import { isNonFiniteWord, parseNumber } from '../../../src/core/ingest/lines/number';

/** xorshift32, seeded: the same "random" cases on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Numbers as trainers write them: Python reprs (17 digits), rounded values, integers, exponents, tiny and huge. */
function numberTexts(n: number): string[] {
  const r = rng(7);
  const out: string[] = ['0', '-0', '1', '-1', '0.5', '1e-05', '6e-4', '3.0e+10', '1E22', '1e23', '9007199254740993', '123456789012345678901234', '2.5e-324', '1.7976931348623157e308', '0.30000000000000004'];
  for (let i = 0; i < n; i++) {
    const x = (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    out.push(String(x), x.toFixed(Math.floor(r() * 8)), x.toExponential(Math.floor(r() * 16)), String(Math.round(x * 1e6)), x.toPrecision(1 + Math.floor(r() * 20)));
  }
  return out;
}

test('parseNumber gives the same double as Number() for every way numbers are written', () => {
  for (const t of numberTexts(4000)) {
    const padded = `[${t},`;
    assert.equal(Object.is(parseNumber(padded, 1, 1 + t.length), Number(t)), true, `${t}: ${parseNumber(padded, 1, 1 + t.length)} vs ${Number(t)}`);
  }
});

test('parseNumber follows JSON grammar strictly, and Python/CSV spellings when lenient', () => {
  const p = (t: string, lenient = false) => parseNumber(t, 0, t.length, lenient);
  for (const bad of ['', '-', '+1', '.5', '5.', '01', '1e', '1e+', '1.2.3', 'abc', '1,5', '0x10', 'nan', 'Infinity', '1 ']) assert.ok(Number.isNaN(p(bad)), `strict "${bad}"`);
  assert.equal(p('+1', true), 1);
  assert.equal(p('.5', true), 0.5);
  assert.equal(p('5.', true), 5);
  assert.equal(p('007', true), 7);
  assert.ok(Number.isNaN(p('1,5', true)));
  for (const w of ['nan', 'NaN', 'inf', '-inf', 'Infinity', '-Infinity', '+inf']) assert.ok(isNonFiniteWord(w, 0, w.length), w);
  for (const w of ['na', 'infinite', '1', 'none']) assert.ok(!isNonFiniteWord(w, 0, w.length), w);
});

/** A random JSON-lines record as trainers log them: flat or nested, numbers, strings, bools, nulls. */
function record(r: () => number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const key = ['loss', 'train/loss', 'lr', 'step', '_step', 'eval loss', 'grad_norm', 'ü-key', 'tokens'][Math.floor(r() * 9)] + (r() < 0.3 ? String(i) : '');
    const pick = r();
    if (pick < 0.55) out[key] = (r() - 0.3) * 10 ** Math.floor(r() * 12 - 6);
    else if (pick < 0.65) out[key] = Math.floor(r() * 1e6);
    else if (pick < 0.72) out[key] = `text "${i}" \\ ${key}`;
    else if (pick < 0.78) out[key] = r() < 0.5;
    else if (pick < 0.84) out[key] = null;
    else if (depth < 2) out[key] = record(r, depth + 1);
    else out[key] = 1;
  }
  return out;
}

/** Flattens like the readers do, for comparison: dotted names to numbers/null/other. */
function flat(obj: Record<string, unknown>, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') flat(v as Record<string, unknown>, name, out);
    else out.set(name, typeof v === 'number' ? `n:${v}` : v === null ? 'null' : 'other');
  }
  return out;
}

test('the line scanner reads what JSON.parse reads, in place, and declines what it does not handle', () => {
  const r = rng(11);
  const sc = new JsonLineScanner();
  let scanned = 0;
  for (let i = 0; i < 3000; i++) {
    const rec = record(r);
    // Python's json.dumps separators (", " and ": ") or compact ones, inside a longer chunk of text
    const body = r() < 0.5 ? JSON.stringify(rec) : JSON.stringify(rec).replace(/,"/g, ', "').replace(/":/g, '": ');
    const text = `junk\n${body}\nmore`;
    const layout = sc.discover(text, 5, 5 + body.length);
    const hasEscapedKey = Object.keys(flat(rec)).some((k) => JSON.stringify(k).includes('\\'));
    if (!layout) {
      assert.ok(hasEscapedKey || Object.keys(rec).length === 0 || /\[/.test(body), `declined: ${body}`);
      continue;
    }
    scanned++;
    const got = new Map<string, string>();
    layout.names.forEach((name, s) => {
      const k = sc.kinds[s];
      got.set(name, k === ValueKind.Number ? `n:${sc.values[s]}` : k === ValueKind.Null ? 'null' : 'other');
    });
    assert.deepEqual(got, flat(JSON.parse(body) as Record<string, unknown>), body);
    // the same layout matches the same line again, and a line with other keys does not
    assert.ok(sc.match(text, 5, 5 + body.length, layout));
    const other = JSON.stringify({ ...rec, zz_new: 1 });
    assert.equal(sc.match(other, 0, other.length, layout), false);
  }
  assert.ok(scanned > 2500, `only ${scanned} lines scanned in place`);
});

test('the line scanner reads NaN/Infinity as non-finite and declines broken JSON', () => {
  const sc = new JsonLineScanner();
  const line = '{"loss": NaN, "a": Infinity, "b": -Infinity, "c": 1.5}';
  const layout = sc.discover(line, 0, line.length);
  assert.ok(layout);
  assert.deepEqual(Array.from(sc.kinds.subarray(0, 4)), [ValueKind.NonFinite, ValueKind.NonFinite, ValueKind.NonFinite, ValueKind.Number]);
  for (const bad of ['{"loss": 1.5', '{"loss": 1.5}}', '{"loss": 1.5,}', '{"loss" 1.5}', '{"loss": 01}', '{"loss": [1, 2]}', '{"a\\"b": 1}', '{"loss": 1.5} x', '[1, 2]', '{"loss": tru}']) {
    assert.equal(sc.discover(bad, 0, bad.length), undefined, bad);
  }
});
