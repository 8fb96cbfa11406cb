import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fifo } from '../../../src/core/util/fifo';

test('a Fifo gives items back in order, across its compactions, and says when it is empty', () => {
  const q = new Fifo<number>();
  const out: number[] = [];
  q.pushAll(Array.from({ length: 5000 }, (_, i) => i));
  // take more than the compaction threshold while adding: order must hold across the copy
  for (let i = 0; i < 3000; i++) {
    out.push(q.shift() as number);
    if (i % 3 === 0) q.push(5000 + i / 3);
  }
  while (q.size) out.push(q.shift() as number);
  assert.equal(q.shift(), undefined);
  assert.deepEqual(out, [
    ...Array.from({ length: 5000 }, (_, i) => i),
    ...Array.from({ length: 1000 }, (_, i) => 5000 + i),
  ]);
  q.push(1);
  q.clear();
  assert.equal(q.size, 0);
});
