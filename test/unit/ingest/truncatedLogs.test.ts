/**
 * Issue #10 item 5, two damaged-log fixtures: a TensorBoard event file of 40 bytes (the file_version record alone,
 * or the first 40 bytes of a longer file) and a W&B run log whose last record is cut short. Each gives a
 * diagnostic naming the file (and, for the cut record, the byte where it starts), never a crash, and every other
 * run still loads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import {
  encodeFileVersionEvent,
  encodeTfRecord,
  tfEventsBytes,
  tfEventsFileName,
  writeTfEvents,
} from '../../../scripts/writers/tensorboard';
import { wandbFrames, wandbRecord } from '../../../scripts/writers/wandb';
import { tmpDir } from '../../support/tmp';

const tmp = (): string => tmpDir('sl-cut-');

const loss = (steps: number[]) => steps.map((step) => ({ tag: 'loss', step, value: 1 / (step + 1), wallTime: 1.7e9 }));

test('a 40-byte TensorBoard event file (header only, or cut) is a diagnostic naming it; other runs load', async () => {
  const root = tmp();
  writeTfEvents(join(root, 'good', tfEventsFileName(1.7e9, 'a')), loss([0, 1, 2]));
  const headerOnly = encodeTfRecord(encodeFileVersionEvent(1.7e9));
  assert.equal(headerOnly.length, 40, 'the file_version record alone is 40 bytes');
  const onlyHeader = join(root, 'crashed', tfEventsFileName(1.7e9, 'b'));
  mkdirSync(join(root, 'crashed'));
  writeFileSync(onlyHeader, headerOnly);
  const cut = join(root, 'cut', tfEventsFileName(1.7e9, 'c'));
  mkdirSync(join(root, 'cut'));
  writeFileSync(cut, tfEventsBytes(loss([0, 1, 2])).subarray(0, 40));

  const catalog = new Catalog([root]);
  await catalog.scan();
  const runs = catalog.runs();
  assert.deepEqual(
    runs.map((r) => r.id),
    ['crashed', 'cut', 'good'],
  );
  const good = runs.find((r) => r.id === 'good');
  assert.deepEqual(Array.from(good?.metrics.find('loss')?.step ?? []), [0, 1, 2]);
  const diags = catalog.diagnostics();
  for (const file of [onlyHeader, cut]) {
    const mine = diags.filter((d) => d.file === file);
    assert.equal(mine.length, 1, `one diagnostic for ${file}: ${JSON.stringify(diags)}`);
    assert.equal(mine[0].severity, 'warning');
    assert.match(mine[0].message, /no metric values/);
  }
  assert.ok(
    diags.every((d) => d.file !== good?.files[0]),
    'the healthy run has no diagnostic',
  );
});

test('a W&B run log whose last record is cut short: the records before it are read, a diagnostic names the byte', async () => {
  const root = tmp();
  const hist = (num: number, step: number, v: number) =>
    wandbRecord.history(num, { loss: v, _step: step, _timestamp: 1.7e9 + step }, step);
  const whole = wandbFrames([hist(1, 0, 3), hist(2, 1, 2), hist(3, 2, 1)]);
  const lastStart = wandbFrames([hist(1, 0, 3), hist(2, 1, 2)]).length;
  mkdirSync(join(root, 'cut'));
  const file = join(root, 'cut', 'run-cut1.wandb');
  writeFileSync(file, whole.subarray(0, whole.length - 6));
  // written an hour ago: the writer is gone (a live run's log ends mid-record only for a moment)
  const hourAgo = Date.now() / 1000 - 3600;
  utimesSync(file, hourAgo, hourAgo);
  mkdirSync(join(root, 'whole'));
  writeFileSync(join(root, 'whole', 'run-ok1.wandb'), whole);

  const catalog = new Catalog([root]);
  await catalog.scan();
  const runs = catalog.runs();
  assert.deepEqual(
    runs.map((r) => [r.id, Array.from(r.metrics.find('loss')?.value ?? [])]),
    [
      ['cut', [3, 2]],
      ['whole', [3, 2, 1]],
    ],
  );
  const diags = catalog.diagnostics();
  assert.equal(diags.length, 1, JSON.stringify(diags));
  assert.equal(diags[0].file, file);
  assert.equal(diags[0].position, `byte ${lastStart}`);
  assert.match(diags[0].message, /last record is cut short/);
  // the writer came back after all: the record is read and the note withdrawn
  writeFileSync(file, whole);
  await catalog.applyFileEvents([file]);
  assert.deepEqual(Array.from(catalog.runs()[0].metrics.find('loss')?.value ?? []), [3, 2, 1]);
  assert.deepEqual(catalog.diagnostics(), []);
});

test('a W&B log that ends mid-record while it is being written gives no diagnostic; the record is read once whole', async () => {
  const root = tmp();
  const hist = (num: number, step: number, v: number) => wandbRecord.history(num, { loss: v, _step: step }, step);
  const whole = wandbFrames([hist(1, 0, 3), hist(2, 1, 2)]);
  mkdirSync(join(root, 'live'));
  const file = join(root, 'live', 'run-live1.wandb');
  writeFileSync(file, whole.subarray(0, whole.length - 4));
  const catalog = new Catalog([root]);
  await catalog.scan();
  assert.deepEqual(catalog.diagnostics(), []);
  writeFileSync(file, whole);
  await catalog.applyFileEvents([file]);
  assert.deepEqual(Array.from(catalog.runs()[0].metrics.find('loss')?.value ?? []), [3, 2]);
  assert.deepEqual(catalog.diagnostics(), []);
});
