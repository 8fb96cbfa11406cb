import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigYaml } from '../../../src/core/config/yaml';
import { parseSimpleYaml } from '../../../src/core/ingest/simpleYaml';
import { rng } from '../../../src/core/fit/random';

const SCALARS = [
  '0',
  '-0',
  '12',
  '-7',
  '3.5',
  '0.0003',
  '1e-3',
  '2.5E+4',
  '1.0',
  '9007199254740991',
  'true',
  'false',
  'null',
  '~',
  'adamw',
  'cosine_with_restarts',
  'gpt2-medium',
  'data/train.bin',
  'a.b',
  '_x',
  'Infinity',
  'NaN',
  'nan',
  'inf',
  'True',
  'FALSE',
  'Null',
  'yes',
  'no',
  'on',
  'off',
  'y',
  '.inf',
  '.nan',
  '-.inf',
  '007',
  '1.',
  '.5',
  '+3',
  '0x1f',
  '0o17',
  '1_000',
  '12345678901234567890',
  'a b',
  "'quoted'",
  '"q"',
  '[1, 2]',
  '{a: 1}',
  'x # note',
  '&anchor v',
  '*alias',
  '!!str 3',
  '|',
  '>',
  '2024-01-01',
  'a:b',
  'http://x.y/z',
  '-',
  '- 1',
];

/** A random config: nested block mappings, comments and blank lines, some scalars outside the fast path's forms. */
function randomConfig(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  // (constructor, toString: names an ordinary object inherits, which must still read as keys of their own)
  const keys = [
    'model',
    'n_layer',
    'lr',
    'train',
    'seed',
    'name',
    'a.b',
    'x-y',
    'null',
    'on',
    'key with space',
    'K',
    'constructor',
    'toString',
  ];
  let out = '';
  const block = (indent: number, depth: number): void => {
    const used = new Set<string>();
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      let k = pick(keys);
      if (used.has(k) && r() < 0.9) k = `${k}${i}`;
      used.add(k);
      if (r() < 0.1) out += `${' '.repeat(indent)}# a comment\n`;
      if (r() < 0.1) out += '\n';
      if (depth < 3 && r() < 0.3) {
        out += `${' '.repeat(indent)}${k}:\n`;
        if (r() < 0.9) block(indent + (r() < 0.8 ? 2 : 4), depth + 1);
      } else out += `${' '.repeat(indent)}${k}: ${pick(SCALARS)}${r() < 0.05 ? '  ' : ''}\n`;
    }
  };
  block(0, 0);
  return r() < 0.1 ? out.replaceAll('\n', '\r\n') : out;
}

test('the fast path reads a Hydra-style config.yaml exactly as the full YAML parser does', () => {
  const text =
    'model:\n  n_layer: 6\n  n_embd: 384\n  dropout: 0.0\n  bias: false\ntrain:\n  lr: 3e-4\n  schedule: cosine\n  warmup:\n  seed: 7\n';
  const fast = parseSimpleYaml(text);
  assert.ok(fast, 'the common case takes the fast path');
  assert.deepEqual(fast, parseConfigYaml(text));
  assert.deepEqual(fast, {
    model: { n_layer: 6, n_embd: 384, dropout: 0, bias: false },
    train: { lr: 3e-4, schedule: 'cosine', warmup: null, seed: 7 },
  });
});

test('keys an ordinary object inherits (constructor, toString) are read as keys like any other', () => {
  const text = 'constructor: 3\ntoString: adamw\nmodel:\n  hasOwnProperty: 1\n';
  const fast = parseSimpleYaml(text);
  assert.deepEqual(fast, { constructor: 3, toString: 'adamw', model: { hasOwnProperty: 1 } });
  assert.deepEqual(fast, parseConfigYaml(text));
});

test('every scalar form: the fast path agrees with the full parser or leaves the text to it', () => {
  let fast = 0;
  for (const v of SCALARS) {
    const text = `k: ${v}\n`;
    const got = parseSimpleYaml(text);
    if (got === undefined) continue;
    fast++;
    assert.deepEqual(got, parseConfigYaml(text), `k: ${v}`);
  }
  assert.ok(fast >= 15, `${fast} scalar forms read by the fast path`);
});

test('random nested configs: whenever the fast path answers, it is what the full parser gives', () => {
  const r = rng(42);
  let fast = 0;
  for (let i = 0; i < 3000; i++) {
    const text = randomConfig(r);
    const got = parseSimpleYaml(text);
    if (got === undefined) continue;
    fast++;
    let full: unknown;
    try {
      full = parseConfigYaml(text);
    } catch (e) {
      assert.fail(`the fast path read text the full parser rejects (${String(e)}):\n${text}`);
    }
    assert.deepEqual(got, full, text);
  }
  assert.ok(fast > 150, `${fast} of 3000 configs took the fast path`);
});

test('what the fast path leaves to the full parser', () => {
  for (const text of [
    '',
    '# only a comment\n',
    '---\na: 1\n',
    'a: 1\na: 2\n',
    'a:\n  - 1\n  - 2\n',
    'a: [1, 2]\n',
    'a:\n\tb: 1\n',
    'a: some\n  continued\n',
    'a:\n  b: 1\n c: 2\n',
    '__proto__: 1\n',
    'a: "x"\n',
  ])
    assert.equal(parseSimpleYaml(text), undefined, JSON.stringify(text));
});
