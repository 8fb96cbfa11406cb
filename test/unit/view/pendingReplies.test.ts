import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PendingReplies } from '../../../src/extension/panel/pendingReplies';

test('a reply settles its own request once; unknown or repeated ids are refused', async () => {
  const p = new PendingReplies<string>(1000);
  const a = p.open('svg');
  const b = p.open('png');
  assert.notEqual(a.id, b.id);
  assert.equal(p.settle(b.id, { ok: true, value: 'B' }), true);
  assert.equal(p.settle(b.id, { ok: true, value: 'again' }), false);
  assert.equal(p.settle(999, { ok: true, value: 'forged' }), false);
  assert.equal(p.settle(a.id, { ok: false, error: 'no canvas' }), true);
  assert.equal(await b.reply, 'B');
  await assert.rejects(a.reply, /no canvas/);
  assert.equal(p.size, 0);
});

test('a request times out with a message naming it', async () => {
  const p = new PendingReplies<string>(20);
  await assert.rejects(
    p.open('rendering the scaling plot').reply,
    /rendering the scaling plot: the panel did not answer/,
  );
  assert.equal(p.size, 0);
});

test('closing the panel rejects everything pending', async () => {
  const p = new PendingReplies<string>(10_000);
  const replies = [p.open('a').reply, p.open('b').reply];
  p.rejectAll('the Scaling panel was closed');
  for (const r of replies) await assert.rejects(r, /closed/);
  assert.equal(p.size, 0);
});
