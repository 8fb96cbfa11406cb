import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EarlyRuns } from '../../../src/core/ingest/earlyRuns';
import { jsonlFormat } from '../../../src/core/ingest/readers/jsonl';
import type { RunSource } from '../../../src/core/ingest/types';
import { scanContext, walk } from '../../../src/core/ingest/walk';
import { Catalog } from '../../../src/core/ingest/catalog';
import { tmpDir } from '../../support/tmp';

const LINE = '{"step": 1, "loss": 2.5}\n';

function put(root: string, rel: string, text = LINE): void {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
}

/** A sweep with a shared config, runs with and without configs of their own, and folders a guess must leave alone. */
function tree(): string {
  const root = tmpDir('early-runs');
  put(root, 'sweep/config.yaml', 'lr: 0.001\n');
  put(root, 'sweep/run-a/log.jsonl');
  put(root, 'sweep/run-a/hparams.yaml', 'n_layer: 2\n');
  put(root, 'sweep/run-b/log.jsonl');
  put(root, 'mixed/log.jsonl'); // a CSV beside it: detection may see two formats
  put(root, 'mixed/metrics.csv', 'step,loss\n1,2.5\n');
  put(root, 'nested/log.jsonl'); // a subfolder: a layout the guess does not know
  put(root, 'nested/checkpoint-10/config.json', '{}');
  put(root, 'layout/metrics/log.jsonl'); // below a layout folder: another format's run
  put(root, 'top.jsonl'); // in the root itself
  return root;
}

test('runs guessed during the walk are the sources JSON-lines detection finds for those folders', async () => {
  const root = tree();
  const guesses = new EarlyRuns(root);
  const guessed: RunSource[] = [];
  const files = await walk(root, [], {}, (dir, listed, subfolders) => {
    const s = guesses.folder(dir, listed, subfolders);
    if (s) guessed.push(s);
  });
  const detected = await jsonlFormat.detect(files, scanContext(root, files, []));
  assert.deepEqual(guessed.map((s) => s.id).sort(), ['sweep/run-a', 'sweep/run-b']);
  for (const g of guessed)
    assert.deepEqual(
      g,
      detected.find((d) => d.dir === g.dir),
    );
  // the shared config above and the run's own, in nearbyConfigs' order
  assert.deepEqual(guessed.find((s) => s.id === 'sweep/run-a')?.configFiles, [
    join(root, 'sweep/run-a/hparams.yaml'),
    join(root, 'sweep/config.yaml'),
  ]);
});

test('a scan that reads runs early lists every run once, with its configs, and progress never goes back', async () => {
  const root = tree();
  const seen: number[] = [];
  const cat = new Catalog([root]);
  await cat.scan({ onProgress: (p) => seen.push(p.runs) });
  const ids = cat.runs().map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.includes('sweep/run-a') && ids.includes('sweep/run-b'));
  const a = cat.runs().find((r) => r.id === 'sweep/run-a');
  assert.ok(a);
  assert.equal(a.config.n_layer, 2);
  assert.equal(a.config.lr, 0.001);
  assert.equal(a.metrics.find('loss')?.count, 1);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `progress ${seen.join(',')}`);
  // a second scan keeps the readers: nothing changed
  assert.deepEqual(await cat.scan(), { added: [], updated: [], removed: [] });
});
