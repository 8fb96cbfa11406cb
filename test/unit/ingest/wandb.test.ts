import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wandbFormat, WandbReader } from '../../../src/core/ingest/readers/wandb';
import { scanContext, walk } from '../../../src/core/ingest/walk';
import type { Diagnostic } from '../../../src/core/model/run';
import { ProtoWriter } from '../../../scripts/writers/proto';
import {
  appendWandbRecords,
  BLOCK,
  pyJson,
  wandbFrames,
  wandbOfflineRunDir,
  wandbRecord,
  writeWandbRun,
} from '../../../scripts/writers/wandb';

const dirs: string[] = [];
after(() => {
  dirs.forEach((d) => {
    rmSync(d, { recursive: true, force: true });
  });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'sl-wb-'));
  dirs.push(d);
  return d;
}

async function readAll(root: string): Promise<WandbReader[]> {
  const diags: Diagnostic[] = [];
  const pool = await walk(root, diags);
  const sources = await wandbFormat.detect(pool, scanContext(root, pool, diags));
  const readers = sources.map((s) => {
    const r = wandbFormat.open(s, {});
    assert.ok(r instanceof WandbReader);
    return r;
  });
  for (const r of readers) await r.update();
  return readers;
}

async function readOne(root: string): Promise<WandbReader> {
  const rs = await readAll(root);
  assert.equal(rs.length, 1, 'one run expected');
  return rs[0];
}

/** A bare .wandb file of the given records in `<root>/run`, for tests that build logs record by record. */
function rawRun(root: string, records: Buffer[]): string {
  mkdirSync(join(root, 'run'), { recursive: true });
  const file = join(root, 'run', 'run-x1.wandb');
  writeFileSync(file, wandbFrames(records));
  return file;
}

const hist = (num: number, step: number, loss: number): Buffer =>
  wandbRecord.history(num, { loss, _step: step, _timestamp: 1.7e9 + step }, step);

test('reads a whole offline run: metrics, time, tokens, config and summary facts', async () => {
  const root = tmp();
  const dir = wandbOfflineRunDir(join(root, 'wandb'), 'abc123');
  const history = [0, 1, 2, 3].map((i) => ({ loss: 4 - i / 2, tokens: (i + 1) * 1000 }));
  writeWandbRun(dir, {
    runId: 'abc123',
    config: { d_model: 128, n_layers: 2, lr: 3e-4, model: { vocab_size: 100 } },
    history,
    summary: { n_params: 12345 },
  });
  const r = await readOne(root);
  const run = r.run;
  assert.equal(run.id, 'wandb/offline-run-20231114_221320-abc123');
  assert.equal(run.format, 'wandb-offline');
  assert.deepEqual(run.metrics.names(), ['loss']); // _step, _runtime, _timestamp and tokens are not metrics
  const loss = run.metrics.find('loss');
  assert.deepEqual(Array.from(loss?.step ?? []), [0, 1, 2, 3]);
  assert.deepEqual(Array.from(loss?.value ?? []), [4, 3.5, 3, 2.5]);
  assert.deepEqual(Array.from(loss?.time ?? []), [1.7e9 + 10, 1.7e9 + 20, 1.7e9 + 30, 1.7e9 + 40]);
  assert.deepEqual(Array.from(loss?.tokens ?? []), [1000, 2000, 3000, 4000]);
  assert.equal(run.config.d_model, 128);
  assert.equal(run.config['model.vocab_size'], 100);
  assert.equal(run.configFrom.d_model, join(dir, 'run-abc123.wandb'));
  assert.ok(!Object.keys(run.config).some((k) => k.startsWith('_wandb')), Object.keys(run.config).join());
  assert.equal(run.N?.value, 12345);
  assert.match(run.N.provenance, /n_params in the W&B summary/);
  assert.equal(run.D?.value, 4000);
  assert.ok(run.files.includes(join(dir, 'files', 'wandb-summary.json')));
  assert.deepEqual(r.diagnostics, []);
});

test('config.yaml ({desc, value} style) fills keys the records lack; records win on conflicts', async () => {
  const root = tmp();
  const dir = wandbOfflineRunDir(join(root, 'wandb'), 'c1');
  writeWandbRun(dir, { runId: 'c1', config: { d_model: 128 }, history: [{ loss: 1 }] });
  const yaml = join(dir, 'files', 'config.yaml');
  writeFileSync(
    yaml,
    '_wandb:\n  desc: null\n  value:\n    cli_version: 0.17.0\nd_model:\n  desc: null\n  value: 999\nbatch_size:\n  desc: null\n  value: 32\n',
  );
  const r = await readOne(root);
  assert.equal(r.run.config.d_model, 128);
  assert.equal(r.run.config.batch_size, 32);
  assert.equal(r.run.configFrom.batch_size, yaml);
  assert.ok(!('_wandb.cli_version' in r.run.config));
});

test('config records: later updates win, removes delete, nested keys are dotted', async () => {
  const root = tmp();
  const nested = new ProtoWriter().message(
    1,
    new ProtoWriter().string(2, 'optim').string(2, 'beta1').string(16, '0.9'),
  );
  rawRun(root, [
    wandbRecord.run(1, 'x1', { lr: 0.1, drop: 0.5, _wandb: { cli_version: '0.17' } }),
    wandbRecord.config(2, { lr: 0.2, model: { d_model: 64, n_layers: 3 } }),
    wandbRecord.config(3, {}, ['drop']),
    new ProtoWriter().varint(1, 4).message(5, nested).finish(),
  ]);
  const r = await readOne(root);
  assert.deepEqual(r.run.config, { lr: 0.2, 'model.d_model': 64, 'model.n_layers': 3, 'optim.beta1': 0.9 });
  assert.equal(r.run.N?.value, 12 * 3 * 64 * 64);
});

test('a history record larger than 32 KiB spans blocks (FIRST/MIDDLE/LAST) and reads whole', async () => {
  const root = tmp();
  const row: Record<string, number> = {};
  for (let i = 0; i < 4000; i++) row[`layer_${String(i).padStart(4, '0')}/grad_norm`] = i / 7;
  const big = wandbRecord.history(2, { ...row, _step: 5 }, 5);
  assert.ok(big.length > 3 * BLOCK, `record is ${big.length} bytes`);
  const file = rawRun(root, [wandbRecord.run(1, 'x1'), big, hist(3, 6, 1.25)]);
  const bytes = readFileSync(file);
  const types = new Set<number>();
  for (let b = 0; b * BLOCK < bytes.length; b++) types.add(bytes[b * BLOCK + (b === 0 ? 7 : 0) + 6]);
  assert.ok(types.has(3), 'a MIDDLE chunk starts some block');
  const r = await readOne(root);
  assert.equal(r.run.metrics.names().length, 4001);
  assert.deepEqual(Array.from(r.run.metrics.find('layer_3999/grad_norm')?.value ?? []), [3999 / 7]);
  assert.deepEqual(Array.from(r.run.metrics.find('layer_0000/grad_norm')?.step ?? []), [5]);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [6]);
  assert.deepEqual(r.diagnostics, []);
});

test('a block tail under 7 bytes is padding', async () => {
  const root = tmp();
  // an output record sized so the next chunk header would start 3 bytes before the block end
  const target = BLOCK - 7 - 7 - 3;
  let filler: Buffer = Buffer.alloc(0);
  for (let n = target - 10; filler.length !== target; n++) {
    filler = new ProtoWriter()
      .varint(1, 1)
      .message(4, new ProtoWriter().string(3, 'x'.repeat(n)))
      .finish();
    assert.ok(filler.length <= target);
  }
  const file = rawRun(root, [filler, hist(2, 1, 0.5), hist(3, 2, 0.25)]);
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(BLOCK - 3, BLOCK)], [0, 0, 0]);
  const r = await readOne(root);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.value ?? []), [0.5, 0.25]);
  assert.deepEqual(r.diagnostics, []);
});

test('a bad chunk CRC skips that record with a diagnostic naming file and byte; the rest is read', async () => {
  const root = tmp();
  const recs = [hist(1, 0, 3), hist(2, 1, 2), hist(3, 2, 1)];
  const file = rawRun(root, recs);
  const at = wandbFrames(recs.slice(0, 1)).length; // file offset of the second record's chunk
  const buf = readFileSync(file);
  buf[at + 7 + 4] ^= 0x55;
  writeFileSync(file, buf);
  const r = await readOne(root);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0, 2]);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].file, file);
  assert.equal(r.diagnostics[0].position, `byte ${at}`);
  assert.match(r.diagnostics[0].message, /checksum mismatch/);
});

test('a bad CRC in the MIDDLE of a multi-block record drops that record only', async () => {
  const root = tmp();
  const row: Record<string, number> = {};
  for (let i = 0; i < 3000; i++) row[`m${i}`] = i;
  const file = rawRun(root, [hist(1, 0, 3), wandbRecord.history(2, row, 1), hist(3, 2, 1)]);
  const buf = readFileSync(file);
  buf[BLOCK + 100] ^= 0xff; // inside the MIDDLE chunk that fills block 1
  writeFileSync(file, buf);
  const r = await readOne(root);
  assert.deepEqual(r.run.metrics.names(), ['loss']);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0, 2]);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].position, `byte ${BLOCK}`);
});

test('a file cut mid-record reads what is complete, then resumes at the record boundary', async () => {
  for (const big of [false, true]) {
    const root = tmp();
    const row: Record<string, number> = { loss: 0.5, _step: 1 };
    if (big) for (let i = 0; i < 4000; i++) row[`m${i}`] = i;
    const recs = [hist(1, 0, 1), wandbRecord.history(2, row, 1)];
    const whole = wandbFrames(recs);
    assert.ok(!big || whole.length > BLOCK + 100, 'the big record must span blocks');
    const cut = big ? BLOCK + 10 : whole.length - 5;
    const file = rawRun(root, []);
    writeFileSync(file, whole.subarray(0, cut));
    const r = await readOne(root);
    assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0]);
    assert.deepEqual(r.diagnostics, []);
    appendFileSync(file, whole.subarray(cut));
    assert.equal(await r.update(), true);
    assert.deepEqual(Array.from(r.run.metrics.find('loss')?.value ?? []), [1, 0.5], `big=${big}`);
    assert.deepEqual(r.diagnostics, []);
  }
});

test('incremental: appended records only; a file that shrank is read again', async () => {
  const root = tmp();
  const dir = wandbOfflineRunDir(join(root, 'wandb'), 'live1');
  const file = writeWandbRun(dir, { runId: 'live1', history: [{ loss: 3 }, { loss: 2 }], live: true });
  const r = await readOne(root);
  assert.equal(await r.update(), false);
  appendWandbRecords(file, [hist(10, 2, 1), hist(11, 3, 0.5)]);
  assert.equal(await r.update(), true);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0, 1, 2, 3]);
  assert.equal(await r.update(), false);
  writeFileSync(file, wandbFrames([hist(1, 9, 7)]));
  assert.equal(await r.update(), true);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [9]);
  assert.deepEqual(r.diagnostics, []);
});

test('binary garbage named run-<id>.wandb gives a diagnostic, not a crash', async () => {
  const root = tmp();
  mkdirSync(join(root, 'g'));
  const file = join(root, 'g', 'run-zzz.wandb');
  const junk = Buffer.alloc(70000);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) & 0xff;
  writeFileSync(file, junk);
  const r = await readOne(root);
  assert.deepEqual(r.run.metrics.names(), []);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].severity, 'error');
  assert.equal(r.diagnostics[0].position, 'byte 0');
  assert.match(r.diagnostics[0].message, /not a W&B run log/);
  // a valid header over garbage chunks: reported and stepped over block by block, never thrown
  writeFileSync(file, Buffer.concat([wandbFrames([]), junk]));
  const r2 = await readOne(root);
  assert.ok(r2.diagnostics.length >= 1 && r2.diagnostics.length <= 21, `${r2.diagnostics.length} diagnostics`);
  assert.ok(r2.diagnostics.every((d) => d.file === file && /^byte \d+$/.test(d.position ?? '')));
});

test('steps come from HistoryStep, else _step, else one past the last step; NaN is kept, media skipped', async () => {
  const root = tmp();
  const item = (k: string, v: string): ProtoWriter => new ProtoWriter().string(1, k).string(16, v);
  const noStep = (num: number, items: ProtoWriter[]): Buffer => {
    const h = new ProtoWriter();
    for (const it of items) h.message(1, it);
    return new ProtoWriter().varint(1, num).message(2, h).finish();
  };
  rawRun(root, [
    wandbRecord.history(1, { a: 1, _step: 99 }, 7), // HistoryStep wins
    noStep(2, [item('a', '2'), item('_step', '8')]),
    noStep(3, [item('a', '3')]), // no step at all: one past the last, 9
    noStep(4, [
      item('a', pyJson(NaN)),
      item('img', '{"_type": "image-file", "width": 64}'),
      item('train', '{"loss": 0.5, "acc": NaN}'),
    ]),
    noStep(5, [new ProtoWriter().string(2, 'val').string(2, 'loss').string(16, '0.75')]),
  ]);
  const r = await readOne(root);
  // NaN (bare, or inside a nested value) is data: kept and counted
  assert.deepEqual(Array.from(r.run.metrics.find('a')?.step ?? []), [7, 8, 9, 10]);
  assert.equal(r.run.metrics.find('a')?.nonfiniteCount, 1);
  assert.deepEqual(r.run.metrics.names(), ['a', 'train.acc', 'train.loss', 'val.loss']);
  assert.deepEqual(Array.from(r.run.metrics.find('train.loss')?.step ?? []), [10]);
  assert.deepEqual(Array.from(r.run.metrics.find('train.acc')?.value ?? []), [NaN]);
  assert.equal(r.diagnostics.length, 0, r.diagnostics.map((d) => d.message).join('; '));
});
