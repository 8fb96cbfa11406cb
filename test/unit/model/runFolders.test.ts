import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupBySubfolder } from '../../../src/core/model/runFolders';

test('runs are counted by their next sub-folder below a prefix; runs at that level are direct; groups sort numerically', () => {
  const rels = ['sweep-10/run-1', 'sweep-2/run-1', 'sweep-2/run-2', 'sweep-2/deep/run-3', 'lonely'];
  const top = groupBySubfolder(rels, '');
  assert.deepEqual(
    [...top.groups],
    [
      ['sweep-2/', 3],
      ['sweep-10/', 1],
    ],
  );
  assert.deepEqual([...top.direct], ['lonely']);
  const inner = groupBySubfolder(['sweep-2/run-1', 'sweep-2/run-2', 'sweep-2/deep/run-3'], 'sweep-2/');
  assert.deepEqual([...inner.groups], [['sweep-2/deep/', 1]]);
  assert.deepEqual([...inner.direct].sort(), ['sweep-2/run-1', 'sweep-2/run-2']);
});
