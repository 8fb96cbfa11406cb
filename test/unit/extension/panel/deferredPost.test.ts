// The deferred half of a split first state: posted after its delay at the latest, at once when flushed (the page drew), never when dropped, and
// a newer one pushes the pending one out first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeferredPost } from '../../../../src/extension/panel/deferredPost';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('posts after the delay, at once on flush, never after drop, in order when replaced', async () => {
  const sent: string[] = [];
  const d = new DeferredPost<string>((m) => sent.push(m), 20);
  d.schedule('a');
  assert.deepEqual(sent, [], 'not in the same turn');
  await wait(60);
  assert.deepEqual(sent, ['a']);
  d.schedule('b');
  d.flush();
  assert.deepEqual(sent, ['a', 'b'], 'flushed at once');
  await wait(60);
  assert.deepEqual(sent, ['a', 'b'], 'and only once');
  d.schedule('c');
  d.drop();
  await wait(60);
  assert.deepEqual(sent, ['a', 'b'], 'a dropped message never goes out');
  d.schedule('d');
  d.schedule('e');
  assert.deepEqual(sent, ['a', 'b', 'd'], 'a newer one sends the pending one first');
  await wait(60);
  assert.deepEqual(sent, ['a', 'b', 'd', 'e']);
});
