import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RunFolders } from '../../../src/core/ingest/runFolders';
import type { ScanContext } from '../../../src/core/ingest/types';

const root = join('/', 'results');
/** A scan whose only config is a config.yaml in sweep/a (and none in its parent). */
const ctx: ScanContext = {
  root,
  head: () => Promise.resolve(Buffer.alloc(0)),
  report: () => undefined,
  filesIn: (dir) => Promise.resolve(new Set(dir === join(root, 'sweep', 'a') ? ['config.yaml'] : [])),
};

test('files group into one source per run folder, in the order folders were first seen, with nearby configs', async () => {
  const a = join(root, 'sweep', 'a');
  const b = join(root, 'sweep', 'b');
  const folders = new RunFolders();
  folders.add(b, join(b, 'loss.tsv'));
  folders.add(a, join(a, 'z.tsv'));
  folders.add(b, join(b, 'acc.tsv'));
  folders.add(a, join(a, 'm.tsv'));
  assert.deepEqual(await folders.sources('dvclive', ctx), [
    { id: 'sweep/b', format: 'dvclive', dir: b, files: [join(b, 'loss.tsv'), join(b, 'acc.tsv')], configFiles: [] },
    {
      id: 'sweep/a',
      format: 'dvclive',
      dir: a,
      files: [join(a, 'z.tsv'), join(a, 'm.tsv')],
      configFiles: [join(a, 'config.yaml')],
    },
  ]);
  const sorted = await folders.sources('tensorboard', ctx, { sortFiles: true });
  assert.deepEqual(
    sorted.map((s) => s.files),
    [
      [join(b, 'acc.tsv'), join(b, 'loss.tsv')],
      [join(a, 'm.tsv'), join(a, 'z.tsv')],
    ],
  );
});
