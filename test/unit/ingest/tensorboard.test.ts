import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensorboardFormat, TensorBoardReader } from '../../../src/core/ingest/readers/tensorboard';
import { scanContext, walk } from '../../../src/core/ingest/walk';
import { dataDiagnostics, type Diagnostic, type Run } from '../../../src/core/model/run';
import { countBytesRead } from '../../support/ioSpy';
import { ProtoWriter } from '../../../scripts/writers/proto';
import {
  appendTfEvents,
  encodeScalarEvent,
  encodeTfRecord,
  type TbScalar,
  tfEventRecords,
  tfEventsBytes,
  tfEventsFileName,
  writeTfEvents,
} from '../../../scripts/writers/tensorboard';

const dirs: string[] = [];
after(() => {
  dirs.forEach((d) => {
    rmSync(d, { recursive: true, force: true });
  });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'sl-tb-'));
  dirs.push(d);
  return d;
}

async function scan(root: string): Promise<TensorBoardReader[]> {
  const diags: Diagnostic[] = [];
  const pool = await walk(root, diags);
  const sources = await tensorboardFormat.detect(pool, scanContext(root, pool, diags));
  return sources.map((s) => {
    const r = tensorboardFormat.open(s, {});
    assert.ok(r instanceof TensorBoardReader);
    return r;
  });
}

async function readOne(root: string): Promise<TensorBoardReader> {
  const readers = await scan(root);
  assert.equal(readers.length, 1, 'one run expected');
  await readers[0].update();
  return readers[0];
}

function points(run: Run, tag: string): [number, number][] {
  const s = run.metrics.find(tag);
  assert.ok(s, `metric ${tag} missing; have ${run.metrics.names().join(', ')}`);
  return Array.from(s.step, (st, i): [number, number] => [st, s.value[i]]);
}

const loss = (steps: number[]): TbScalar[] =>
  steps.map((step) => ({ tag: 'loss', step, value: 10 / (step + 1), wallTime: 1.7e9 + step }));

test('writer reproduces the guide example record byte for byte', () => {
  const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
  const expected = Buffer.concat([
    hex('1a 00 00 00 00 00 00 00  12 9b d8 2d'),
    hex('09 00 00 00 40 fc 54 d9 41  10 64  2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 20 40'),
    hex('e4 ce 56 c8'),
  ]);
  const got = encodeTfRecord(encodeScalarEvent({ tag: 'loss', step: 100, value: 2.5, wallTime: 1.7e9 }));
  assert.equal(got.toString('hex'), expected.toString('hex'));
});

test('reads simple_value scalars with steps and wall times; the file_version record adds nothing', async () => {
  const root = tmp();
  writeTfEvents(join(root, 'run1', tfEventsFileName()), [
    ...loss([0, 10, 20]),
    { tag: 'lr', step: 10, value: 3e-4, wallTime: 1.7e9 + 10 },
  ]);
  const r = await readOne(root);
  assert.equal(r.run.id, 'run1');
  assert.equal(r.run.format, 'tensorboard');
  assert.deepEqual(r.run.metrics.names(), ['loss', 'lr']);
  assert.deepEqual(points(r.run, 'loss'), [
    [0, 10],
    [10, Math.fround(10 / 11)],
    [20, Math.fround(10 / 21)],
  ]);
  assert.equal(r.run.metrics.find('lr')?.value[0], Math.fround(3e-4));
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.time ?? []), [1.7e9, 1.7e9 + 10, 1.7e9 + 20]);
  assert.deepEqual(r.diagnostics, []);
});

test('reads TF2 tensor scalars: float_val, double_val and tensor_content', async () => {
  const root = tmp();
  const dir = join(root, 'tf2');
  writeTfEvents(
    join(dir, tfEventsFileName(1.7e9, 'a')),
    [
      { tag: 'f', step: 1, value: 0.25 },
      { tag: 'f', step: 2, value: 0.5 },
    ],
    { style: 'tensor' },
  );
  writeTfEvents(join(dir, tfEventsFileName(1.7e9, 'b')), [{ tag: 'd', step: 1, value: 0.1 }], {
    style: 'tensor',
    dtype: 'double',
  });
  writeTfEvents(join(dir, tfEventsFileName(1.7e9, 'c')), [{ tag: 'c32', step: 3, value: 1.5 }], {
    style: 'tensor',
    encoding: 'content',
  });
  writeTfEvents(join(dir, tfEventsFileName(1.7e9, 'd')), [{ tag: 'c64', step: 4, value: 0.1 }], {
    style: 'tensor',
    encoding: 'content',
    dtype: 'double',
  });
  const r = await readOne(root);
  assert.deepEqual(points(r.run, 'f'), [
    [1, 0.25],
    [2, 0.5],
  ]);
  assert.deepEqual(points(r.run, 'd'), [[1, 0.1]]); // double stays exact, no float32 rounding
  assert.deepEqual(points(r.run, 'c32'), [[3, 1.5]]);
  assert.deepEqual(points(r.run, 'c64'), [[4, 0.1]]);
});

test('non-scalar values (histograms, strings, hparams) are skipped silently', async () => {
  const root = tmp();
  const value = (v: ProtoWriter): Buffer =>
    encodeTfRecord(
      new ProtoWriter().double(1, 1.7e9).varint(2, 5).message(5, new ProtoWriter().message(1, v)).finish(),
    );
  const shape = (n: number): ProtoWriter => new ProtoWriter().message(2, new ProtoWriter().varint(1, n));
  const hist = new ProtoWriter()
    .string(1, 'weights')
    .message(8, new ProtoWriter().varint(1, 2).message(2, shape(3)).packedDoubles(6, [1, 2, 3]));
  const text = new ProtoWriter()
    .string(1, 'note')
    .message(8, new ProtoWriter().varint(1, 7).message(2, new ProtoWriter()).bytes(8, Buffer.from('hi')));
  const hp = new ProtoWriter()
    .string(1, 'hp_metric_setup')
    .message(8, new ProtoWriter().varint(1, 1).packedFloats(5, [0]))
    .message(9, new ProtoWriter().message(1, new ProtoWriter().string(1, 'hparams')));
  const bytes = Buffer.concat([tfEventsBytes(loss([5])), value(hist), value(text), value(hp)]);
  mkdirSync(join(root, 'x'));
  writeFileSync(join(root, 'x', tfEventsFileName()), bytes);
  const r = await readOne(root);
  assert.deepEqual(r.run.metrics.names(), ['loss']);
  assert.deepEqual(r.diagnostics, []);
});

test('several event files in one folder are one run, read in name order', async () => {
  const root = tmp();
  writeTfEvents(join(root, 'r', tfEventsFileName(1.7e9 + 100)), loss([30, 40]));
  writeTfEvents(join(root, 'r', tfEventsFileName(1.7e9)), loss([0, 10, 20]));
  const r = await readOne(root);
  assert.equal(r.run.files.length, 2);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0, 10, 20, 30, 40]);
});

test('nested train/ and validation/ folders are separate runs; a parent config is shared', async () => {
  const root = tmp();
  writeTfEvents(join(root, 'exp', 'train', tfEventsFileName()), loss([1, 2]));
  writeTfEvents(join(root, 'exp', 'validation', tfEventsFileName()), [{ tag: 'val_loss', step: 2, value: 3 }]);
  writeFileSync(join(root, 'exp', 'config.yaml'), 'd_model: 256\nn_layers: 4\n');
  const readers = await scan(root);
  for (const r of readers) await r.update();
  const byId = new Map(readers.map((r) => [r.run.id, r.run]));
  assert.deepEqual([...byId.keys()].sort(), ['exp/train', 'exp/validation']);
  assert.deepEqual(byId.get('exp/train')?.metrics.names(), ['loss']);
  assert.deepEqual(byId.get('exp/validation')?.metrics.names(), ['val_loss']);
  assert.equal(byId.get('exp/train')?.config.d_model, 256);
  assert.equal(byId.get('exp/train')?.N?.value, 12 * 4 * 256 * 256); // deriveScale ran after the read
});

test('incremental: an update reads only appended records (bytes read counted)', async () => {
  const root = tmp();
  const file = join(root, 'live', tfEventsFileName());
  const first = Array.from({ length: 3000 }, (_, i) => i);
  writeTfEvents(file, loss(first));
  const r = await readOne(root);
  assert.equal(await r.update(), false, 'nothing new');
  const appended = tfEventRecords(loss([3000, 3001]));
  appendTfEvents(file, loss([3000, 3001]));
  const { result, bytes } = await countBytesRead(() => r.update());
  assert.equal(result, true);
  assert.equal(bytes, appended.length, `read ${bytes} bytes for ${appended.length} appended`);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []).slice(-3), [2999, 3000, 3001]);
  assert.equal(r.run.metrics.find('loss')?.logged, 3002);
  assert.equal(await r.update(), false);
});

test('a partial record at the end waits, without a diagnostic, and is read once complete', async () => {
  const root = tmp();
  const file = join(root, 'live', tfEventsFileName());
  writeTfEvents(file, loss([0]));
  const next = tfEventRecords(loss([1]));
  for (const cut of [5, 12, next.length - 1]) {
    const base = readFileSync(file).subarray(0, tfEventsBytes(loss([0])).length);
    writeFileSync(file, Buffer.concat([base, next.subarray(0, cut)]));
    const r = await readOne(root);
    assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0], `cut ${cut}`);
    appendFileSync(file, next.subarray(cut));
    assert.equal(await r.update(), true);
    assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0, 1], `cut ${cut}`);
    assert.deepEqual(r.diagnostics, []);
  }
});

test('a file that shrank is read again from the start', async () => {
  const root = tmp();
  const file = join(root, 'r', tfEventsFileName());
  writeTfEvents(file, loss([0, 1, 2, 3]));
  const r = await readOne(root);
  writeTfEvents(file, [{ tag: 'loss', step: 7, value: 1 }]);
  assert.equal(await r.update(), true);
  assert.deepEqual(points(r.run, 'loss'), [[7, 1]]);
});

test('a bad data CRC skips that record, names file and byte offset, and keeps the rest', async () => {
  const root = tmp();
  const file = join(root, 'r', tfEventsFileName());
  writeTfEvents(file, loss([0, 1, 2]));
  const buf = readFileSync(file);
  const first = tfEventsBytes([]).length + tfEventRecords(loss([0])).length; // offset of the step-1 record
  buf[first + 12 + 3] ^= 0xff; // a byte inside its data
  writeFileSync(file, buf);
  const r = await readOne(root);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0, 2]);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].file, file);
  assert.equal(r.diagnostics[0].position, `byte ${first}`);
  assert.match(r.diagnostics[0].message, /data checksum mismatch/);
});

test('a bad length CRC stops reading that file with an error; other files still read', async () => {
  const root = tmp();
  const bad = join(root, 'r', tfEventsFileName(1.7e9, 'a'));
  writeTfEvents(bad, loss([0, 1, 2]));
  writeTfEvents(join(root, 'r', tfEventsFileName(1.7e9, 'b')), [{ tag: 'acc', step: 9, value: 0.5 }]);
  const buf = readFileSync(bad);
  const second = tfEventsBytes(loss([0])).length;
  buf[second] ^= 0x01; // corrupt the step-1 record's length
  writeFileSync(bad, buf);
  const r = await readOne(root);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0]);
  assert.deepEqual(points(r.run, 'acc'), [[9, 0.5]]);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].severity, 'error');
  assert.equal(r.diagnostics[0].position, `byte ${second}`);
  assert.match(r.diagnostics[0].message, /length checksum mismatch/);
  assert.equal(await r.update(), false, 'a stopped file is not re-reported');
  assert.equal(r.diagnostics.length, 1);
});

test('binary garbage named like an event file gives a diagnostic, not a crash', async () => {
  const root = tmp();
  mkdirSync(join(root, 'g'));
  const file = join(root, 'g', 'events.out.tfevents.garbage');
  const junk = Buffer.alloc(5000);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) & 0xff;
  writeFileSync(file, junk);
  const r = await readOne(root);
  assert.deepEqual(r.run.metrics.names(), []);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].file, file);
  assert.equal(r.diagnostics[0].position, 'byte 0');
});

test('an event file that appears later in the folder is picked up on update', async () => {
  const root = tmp();
  writeTfEvents(join(root, 'r', tfEventsFileName(1.7e9)), loss([0]));
  const r = await readOne(root);
  writeTfEvents(join(root, 'r', tfEventsFileName(1.7e9 + 50)), loss([1]));
  assert.equal(await r.update(), true);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0, 1]);
  assert.equal(r.run.files.length, 2);
});

test('records larger than the read window (a graph) are stepped over; later scalars still read', async () => {
  const root = tmp();
  const graph = encodeTfRecord(
    new ProtoWriter()
      .double(1, 1.7e9)
      .bytes(4, Buffer.alloc(5 << 20, 0x42))
      .finish(),
  );
  const file = join(root, 'big', tfEventsFileName());
  mkdirSync(join(root, 'big'));
  writeFileSync(file, Buffer.concat([tfEventsBytes(loss([0])), graph, tfEventRecords(loss([1, 2]))]));
  const r = await readOne(root);
  assert.deepEqual(Array.from(r.run.metrics.find('loss')?.step ?? []), [0, 1, 2]);
  assert.deepEqual(r.diagnostics, []);
});

test('a negative or huge step and a NaN value', async () => {
  const root = tmp();
  writeTfEvents(join(root, 'r', tfEventsFileName()), [
    { tag: 'loss', step: -1, value: 1 },
    { tag: 'loss', step: 2 ** 40, value: 2 },
    { tag: 'loss', step: 3, value: NaN },
  ]);
  const r = await readOne(root);
  // a NaN is data (the run diverged): kept and counted; the steps going back are a restart, kept too
  assert.deepEqual(points(r.run, 'loss'), [
    [-1, 1],
    [2 ** 40, 2],
    [3, NaN],
  ]);
  assert.equal(r.run.metrics.find('loss')?.nonfiniteCount, 1);
  assert.equal(r.diagnostics.length, 0);
  assert.deepEqual(
    dataDiagnostics(r.run).map((d) => d.severity),
    ['warning', 'info'],
  );
  assert.match(dataDiagnostics(r.run)[0].message, /diverged at step 3/);
});
