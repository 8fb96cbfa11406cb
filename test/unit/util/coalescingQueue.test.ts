import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoalescingQueue } from '../../../src/core/util/coalescingQueue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a burst of 200 events runs the job once with every key', async () => {
  const calls: string[][] = [];
  const q = new CoalescingQueue<string>((keys) => {
    calls.push(keys);
    return Promise.resolve();
  }, 30);
  for (let i = 0; i < 200; i++) q.push(i % 2 ? 'a.jsonl' : 'b.jsonl');
  await sleep(80);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].sort(), ['a.jsonl', 'b.jsonl']);
  q.dispose();
});

test('events during a running job become one follow-up run', async () => {
  const calls: number[][] = [];
  let release: () => void = () => undefined;
  const q = new CoalescingQueue<number>(async (keys) => {
    calls.push(keys);
    if (calls.length === 1) await new Promise<void>((r) => (release = r));
  }, 5);
  q.push(1);
  await sleep(20); // job 1 is running and blocked
  for (let i = 2; i < 50; i++) q.push(i);
  await sleep(20);
  release();
  await q.idle();
  assert.equal(calls.length, 2);
  assert.equal(calls[1].length, 48);
  q.dispose();
});

test('a never-ending burst still runs within maxWait', async () => {
  let runs = 0;
  const q = new CoalescingQueue<number>(
    () => {
      runs++;
      return Promise.resolve();
    },
    20,
    60,
  );
  const start = Date.now();
  while (Date.now() - start < 200) {
    q.push(1);
    await sleep(5);
  }
  assert.ok(runs >= 2, `expected periodic runs during a continuous burst, got ${runs}`);
  q.dispose();
});

test('a failing job does not stop later jobs, and its error is handed on', async () => {
  let n = 0;
  const errors: unknown[] = [];
  const q = new CoalescingQueue<number>(
    () => {
      n++;
      return n === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
    },
    1,
    undefined,
    (e) => errors.push(e),
  );
  q.push(1);
  await q.idle();
  q.push(2);
  await q.idle();
  assert.equal(n, 2);
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['boom'],
  );
  q.dispose();
});
