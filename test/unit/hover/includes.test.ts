/** Base configs named in the file: MMEngine `_base_`, Hydra `defaults:` with `_self_`, Python `_base_ = [...]`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseConfig, findIncludes, locateEntries } from '../../../src/core/hover/index';
import { analyseFixture, analyseText } from './fitFixture';

test('YAML _base_: the base supplies width and sequence length, the document overrides depth', () => {
  const a = analyseFixture('includes/mm/experiment.yaml');
  const s = a.scale(false);
  assert.equal(s.N?.value, 12 * 24 * 768 * 768);
  assert.equal(s.D?.value, 10_000 * 512 * 1024);
  assert.match(a.merged.from['model.d_model'], /model_base\.yaml$/);
  assert.match(a.merged.from['model.n_layers'], /experiment\.yaml$/);
  assert.equal(a.merged.files.length, 2);
  // Hover targets are the document's own keys only.
  assert.deepEqual(
    a.targets.map((t) => t.entry.key),
    ['model.n_layers', 'train.max_steps', 'train.global_batch_size'],
  );
});

test('Hydra defaults: a config group lands under its package; _self_ last means the document wins', () => {
  const a = analyseFixture('includes/hydra/config.yaml');
  assert.equal(a.merged.values['model.n_layers'], 6);
  assert.equal(a.merged.values['model.d_model'], 768);
  assert.equal(a.scale(false).N?.value, 12 * 6 * 768 * 768);
});

test('Hydra defaults: entries after _self_ override the document', () => {
  const files = { '/cfg/model/big.yaml': 'd_model: 2048\nn_layers: 24\n', '/cfg/base.yaml': 'max_steps: 7\n' };
  const a = analyseText(
    'defaults:\n  - base\n  - _self_\n  - override model: big\nmodel:\n  n_layers: 2\n  d_model: 64\nmax_steps: 9\n',
    '/cfg/config.yaml',
    files,
  );
  assert.equal(a.merged.values['model.n_layers'], 24);
  assert.equal(a.merged.values['model.d_model'], 2048);
  assert.equal(a.merged.values.max_steps, 9, 'base before _self_ is overridden by the document');
});

test('Python _base_ list (MMEngine): keys merge from base.py', () => {
  const s = analyseFixture('includes/pyinc/exp.py').scale(false);
  assert.equal(s.N?.value, 12 * 16 * 512 * 512);
  assert.equal(s.D?.value, 2 ** 14 * 128 * 1024);
});

test('missing, cyclic and non-path includes', () => {
  const missing = analyseText('_base_: ./nope.yaml\nd_model: 8\n', '/w/x.yaml');
  assert.equal(missing.merged.problems.length, 1);
  assert.match(missing.merged.problems[0], /^\/w\/x\.yaml: base config "\.\/nope\.yaml" not found/);

  const files = { '/w/a.yaml': '_base_: b.yaml\nd_model: 1\n', '/w/b.yaml': '_base_: a.yaml\nn_layers: 2\n' };
  const cyc = analyseText(files['/w/a.yaml'], '/w/a.yaml', files);
  assert.ok(cyc.merged.problems.some((p) => /includes itself/.test(p)));
  assert.equal(cyc.merged.values.n_layers, 2);

  // `base: 10000` is a RoPE base, not a file; `inherit: true` is a flag.
  assert.deepEqual(
    findIncludes(locateEntries('base: 10000\ninherit: true\nextends: "configs/base.json"\n', 'yaml')).map(
      (r) => r.written,
    ),
    ['configs/base.json'],
  );
});

test('without a reader, includes are not followed and nothing is reported', () => {
  const a = analyseConfig({ text: '_base_: ./model_base.yaml\nmodel: {n_layers: 3}\n', fileName: '/w/e.yaml' })!;
  assert.deepEqual(a.merged.problems, []);
  assert.equal(a.merged.files.length, 1);
});

test('OmegaConf ${…} references resolve to the referenced value', () => {
  const a = analyseText(
    'seq: 2048\nmodel:\n  max_sequence_length: ${seq}\n  d_model: 256\n  n_layers: 2\nglobal_train_batch_size: 4\nmax_duration: 10\n',
    '/w/i.yaml',
  );
  assert.equal(a.merged.values['model.max_sequence_length'], 2048);
  assert.equal(a.scale(false).D?.value, 10 * 4 * 2048);
});
