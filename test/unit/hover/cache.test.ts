/** One analysis per document version; base-config changes drop their dependents; bounded size. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigAnalysisCache } from '../../../src/core/hover/index';
import { diskReader, fixturePath, readFixture } from './fitFixture';

test('same version: the same analysis; new version or new settings: a fresh one', () => {
  const cache = new ConfigAnalysisCache();
  const doc = { text: 'd_model: 512\nn_layers: 4\n', fileName: '/w/a.yaml', version: 1 };
  const first = cache.get(doc)!;
  assert.equal(cache.get(doc), first);
  // The version is the key: a caller that bumps it gets a re-read even for equal text.
  const second = cache.get({ ...doc, version: 2 })!;
  assert.notEqual(second, first);
  const edited = cache.get({ ...doc, text: 'd_model: 1024\nn_layers: 4\n', version: 3 })!;
  assert.equal(edited.scale(false).N?.value, 12 * 4 * 1024 * 1024);
  assert.notEqual(
    cache.get({ ...doc, text: 'd_model: 1024\nn_layers: 4\n', version: 3 }, { settings: { countEmbeddings: true } }),
    edited,
  );
});

test('without versions the text decides', () => {
  const cache = new ConfigAnalysisCache();
  const a = cache.get({ text: 'n_layers: 2\n', fileName: '/w/b.yaml' });
  assert.equal(cache.get({ text: 'n_layers: 2\n', fileName: '/w/b.yaml' }), a);
  assert.notEqual(cache.get({ text: 'n_layers: 3\n', fileName: '/w/b.yaml' }), a);
});

test('a change to a base config drops the documents built on it', () => {
  const cache = new ConfigAnalysisCache();
  const exp = {
    text: readFixture('includes/mm/experiment.yaml'),
    fileName: fixturePath('includes/mm/experiment.yaml'),
    version: 1,
  };
  const other = { text: 'n_layers: 2\n', fileName: '/w/other.yaml', version: 1 };
  const a = cache.get(exp, { readFile: diskReader })!;
  cache.get(other, { readFile: diskReader });
  assert.equal(cache.size, 2);
  assert.equal(cache.invalidateDependents(fixturePath('includes/mm/model_base.yaml')), 1);
  assert.equal(cache.size, 1);
  assert.notEqual(cache.get(exp, { readFile: diskReader }), a);
});

test('bounded: the least recently used document goes first; unknown formats are cached as undefined', () => {
  const cache = new ConfigAnalysisCache(2);
  const doc = (n: number) => ({ text: `n_layers: ${n}\n`, fileName: `/w/${n}.yaml`, version: 1 });
  const one = cache.get(doc(1));
  cache.get(doc(2));
  cache.get(doc(1)); // touch 1: 2 is now the oldest
  cache.get(doc(3));
  assert.equal(cache.size, 2);
  assert.equal(cache.get(doc(1)), one);
  assert.equal(cache.get({ text: '# notes', fileName: '/w/readme.md', version: 1 }), undefined);
  cache.invalidate();
  assert.equal(cache.size, 0);
});
