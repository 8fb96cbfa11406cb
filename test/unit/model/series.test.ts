import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricTable, Series } from '../../../src/core/model/series';
import { summarizeRun } from '../../../src/core/model/summary';
import { dataDiagnostics, type Run } from '../../../src/core/model/run';

test('columns grow as points arrive; tokens and time are NaN where not logged', () => {
  const s = new Series('loss');
  for (let i = 0; i < 100; i++) s.push(i, 10 - i / 10, i === 50 ? 1e6 : NaN);
  assert.equal(s.count, 100);
  assert.equal(s.logged, 100);
  assert.equal(s.step[99], 99);
  assert.equal(s.value[0], 10);
  assert.ok(Number.isNaN(s.tokens[49]) && s.tokens[50] === 1e6 && Number.isNaN(s.tokens[51]));
  assert.equal(s.time.length, 100);
  assert.ok(s.time.every((t) => Number.isNaN(t)));
  assert.equal(s.step, s.step, 'the same view while nothing changes');
  s.clear();
  assert.deepEqual([s.count, s.logged, s.first(), s.last()], [0, 0, undefined, undefined]);
});

test('past the cap the series thins evenly, keeping the first and the latest point exact', () => {
  const s = new Series('loss', 10);
  for (let i = 0; i <= 1000; i++) {
    s.push(i, i * 2, NaN, 1e9 + i);
    assert.ok(s.count <= 10, `${s.count} points at ${i}`);
    assert.deepEqual(s.last(), { step: i, value: i * 2 }, `latest at ${i}`);
  }
  assert.equal(s.logged, 1001);
  assert.ok(s.thinned);
  assert.deepEqual(s.first(), { step: 0, value: 0 });
  const kept = Array.from(s.step).slice(0, -1);
  const stride = kept[1] - kept[0];
  assert.ok(
    kept.every((v, i) => v === i * stride),
    `evenly spaced: ${kept.join(', ')}`,
  );
  assert.deepEqual(
    Array.from(s.time),
    Array.from(s.step, (v) => 1e9 + v),
    'columns thin together',
  );
});

test('summary JSON: count is what the log holds; stored appears only for a thinned series', () => {
  const metrics = new MetricTable(8);
  for (let i = 0; i < 20; i++) metrics.get('loss').push(i, 1 / (i + 1));
  metrics.get('acc').push(5, 0.5);
  const run: Run = {
    id: 'r',
    format: 'jsonl',
    dir: '/x',
    files: ['/x/log.jsonl'],
    config: {},
    configFrom: {},
    metrics,
    facts: {},
  };
  const j = summarizeRun(run);
  assert.deepEqual(j.metrics.acc, { count: 1, first: { step: 5, value: 0.5 }, last: { step: 5, value: 0.5 } });
  assert.equal(j.metrics.loss.count, 20);
  assert.ok((j.metrics.loss.stored ?? 99) <= 8);
  assert.deepEqual(j.metrics.loss.last, { step: 19, value: 1 / 20 });
});

test('NaN/±Inf are kept and counted; restarts (steps going back) are counted; clear() forgets both', () => {
  const s = new Series('loss', 8);
  for (const [step, v] of [
    [0, 3],
    [10, 2.5],
    [20, NaN],
    [30, Infinity],
    [10, 2.6],
    [20, -Infinity],
  ] as const)
    s.push(step, v);
  assert.equal(s.logged, 6);
  assert.equal(s.nonfiniteCount, 3);
  assert.equal(s.firstNonfiniteStep, 20);
  assert.equal(s.restarts, 1);
  assert.equal(s.firstRestartStep, 10);
  s.clear();
  assert.equal(s.nonfiniteCount, 0);
  assert.ok(Number.isNaN(s.firstNonfiniteStep));
  assert.equal(s.restarts, 0);
});

test('runs --json: a non-finite value prints as null and the metric says how many there are and from which step', () => {
  const metrics = new MetricTable();
  const loss = metrics.get('loss');
  loss.push(0, 3);
  loss.push(100, NaN);
  loss.push(200, Infinity);
  metrics.get('acc').push(0, 0.5);
  const run: Run = {
    id: 'r',
    format: 'jsonl',
    dir: '/x',
    files: ['/x/log.jsonl'],
    config: {},
    configFrom: {},
    metrics,
    facts: {},
  };
  const j = summarizeRun(run);
  assert.deepEqual(j.metrics.loss, {
    count: 3,
    first: { step: 0, value: 3 },
    last: { step: 200, value: null },
    nonfinite: { count: 2, first_step: 100 },
  });
  assert.deepEqual(
    j.metrics.acc,
    { count: 1, first: { step: 0, value: 0.5 }, last: { step: 0, value: 0.5 } },
    'no nonfinite key when there is none',
  );
  const printed = JSON.parse(JSON.stringify(j)) as typeof j;
  assert.deepEqual(printed.metrics.loss.last, { step: 200, value: null });
  const d = dataDiagnostics(run);
  assert.deepEqual(
    d.map((x) => x.severity),
    ['warning'],
  );
  assert.match(d[0].message, /^diverged at step 100: "loss" is NaN\/Inf from there \(2 non-finite points\)/);
});

test('a run with several diverged losses and restarting series is reported by the first name, whatever the order the series were made in', () => {
  const metrics = new MetricTable();
  // made out of name order: z_loss first
  for (const [name, nanAt] of [
    ['z_loss', 3],
    ['val/loss', 5],
    ['train/loss', 7],
  ] as const) {
    const s = metrics.get(name);
    for (let i = 0; i < 10; i++) s.push(i * 10, i >= nanAt ? NaN : 1 / (i + 1));
  }
  for (const name of ['b_acc', 'a_acc']) {
    const s = metrics.get(name);
    // two restarts each: a_acc first back to step 10, b_acc first back to step 15
    const steps = name === 'a_acc' ? [0, 10, 20, 10, 20, 30, 5] : [0, 10, 20, 15, 20, 30, 25];
    for (const step of steps) s.push(step, 0.5);
  }
  const run: Run = {
    id: 'r',
    format: 'jsonl',
    dir: '/r',
    files: ['/r/log.jsonl'],
    config: {},
    configFrom: {},
    metrics,
    facts: {},
  };
  const messages = dataDiagnostics(run).map((d) => d.message);
  assert.match(messages[0], /^diverged at step 70: "train\/loss"/);
  assert.match(messages[1], /^steps go back 2 times .* first to step 10;/);
});
