import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseConfigYaml } from '../../../src/core/config/yaml';
import { flattenConfig } from '../../../src/core/config/flatten';

/** What PyYAML's yaml.dump writes for a numpy scalar (Lightning's hparams.yaml when a hyperparameter is np.float64). */
function numpyScalar(code: string, bytes: Buffer, indent = ''): string {
  return (
    `!!python/object/apply:numpy.core.multiarray.scalar\n${indent}- !!python/object/apply:numpy.dtype\n${indent}  args:\n${indent}  - ${code}\n${indent}  - false\n${indent}  - true\n` +
    `${indent}  state: !!python/tuple\n${indent}  - 3\n${indent}  - <\n${indent}  - null\n${indent}  - null\n${indent}  - null\n${indent}  - -1\n${indent}  - -1\n${indent}  - 0\n` +
    `${indent}- !!binary |\n${indent}  ${bytes.toString('base64')}\n`
  );
}

test('PyYAML python tags: tuples, names and numpy scalars read as plain values, without warnings or errors', async () => {
  const f8 = Buffer.alloc(8);
  f8.writeDoubleLE(0.001);
  const i8 = Buffer.alloc(8);
  i8.writeBigInt64LE(512n);
  const text =
    `betas: !!python/tuple\n- 0.9\n- 0.95\n` +
    `dtype: !!python/name:torch.bfloat16 ''\n` +
    `lr: ${numpyScalar('f8', f8)}` +
    `model: !!python/object:argparse.Namespace\n  d_model: ${numpyScalar('i8', i8, '  ')}` +
    `  n_layers: 8\n` +
    `blob: !!binary |\n  AAECAw==\n` +
    `custom: !mytag 5\n`;
  const warningsOf = async (fn: () => unknown): Promise<unknown[]> => {
    const seen: unknown[] = [];
    const onWarning = (w: unknown) => seen.push(w);
    process.on('warning', onWarning);
    const orig = console.warn;
    console.warn = (...a: unknown[]) => seen.push(a);
    try {
      fn();
      await new Promise((r) => setImmediate(r)); // process warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
      console.warn = orig;
    }
    return seen;
  };
  // the fixture does make the yaml library warn when parsed plainly (one warning per python tag)…
  assert.ok((await warningsOf(() => parse(text))).length >= 4);
  // …and the config reader reads it silently, with the values a Python user meant
  let cfg: unknown;
  assert.deepEqual(await warningsOf(() => (cfg = flattenConfig(parseConfigYaml(text)))), []);
  assert.deepEqual(cfg, {
    'betas.0': 0.9,
    'betas.1': 0.95,
    dtype: 'torch.bfloat16',
    lr: 0.001,
    'model.d_model': 512,
    'model.n_layers': 8,
    blob: null,
    custom: '5',
  });
});

test('YAML syntax errors still throw (the caller reports the file)', () => {
  assert.throws(() => parseConfigYaml('a: [1, 2\nb: 3\n'));
  assert.throws(() => parseConfigYaml('a: 1\n a: 2\n'));
});
