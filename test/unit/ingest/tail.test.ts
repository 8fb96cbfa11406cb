import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prefetchHeads } from '../../../src/core/ingest/readAhead';
import { TextTail } from '../../../src/core/ingest/tail';
import { countBytesRead } from '../../support/ioSpy';
import { tmpDir } from '../../support/tmp';

async function lines(
  tail: TextTail,
  opts: { flush?: boolean; onReset?: () => void } = {},
): Promise<{ got: string[]; reset: boolean; bytesRead: number }> {
  const got: string[] = [];
  const res = await tail.read((l, no) => got.push(`${no}:${l}`), opts);
  return { got, ...res };
}

test('reads complete lines, keeps a partial last line until its newline, strips \\r', async () => {
  const file = join(tmpDir('sl-tail-'), 'log.txt');
  writeFileSync(file, 'a\r\nbb\ncc');
  const tail = new TextTail(file);
  assert.deepEqual((await lines(tail)).got, ['1:a', '2:bb']);
  assert.equal(tail.bytesConsumed, 6);
  appendFileSync(file, 'c\n\nd');
  assert.deepEqual((await lines(tail)).got, ['3:ccc', '4:']);
  // flush delivers the unterminated last line (a file known to be complete)
  assert.deepEqual((await lines(tail, { flush: true })).got, ['5:d']);
});

test('an update reads only the appended bytes', async () => {
  const file = join(tmpDir('sl-tail-'), 'log.txt');
  const body = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n') + '\n';
  writeFileSync(file, body);
  const tail = new TextTail(file);
  await lines(tail);
  const more = 'tail 1\ntail 2\n';
  appendFileSync(file, more);
  const { result, bytes } = await countBytesRead(() => lines(tail));
  assert.deepEqual(result.got, ['2001:tail 1', '2002:tail 2']);
  assert.equal(result.bytesRead, more.length);
  // besides the appended bytes, only the 64-byte identity check at the file's start is read
  assert.ok(bytes <= more.length + 64, `read ${bytes} bytes for ${more.length} appended`);
});

test('truncation and rewrites call onReset before the new lines, in the same read', async () => {
  const file = join(tmpDir('sl-tail-'), 'log.txt');
  writeFileSync(file, 'one\ntwo\nthree\n');
  const tail = new TextTail(file);
  await lines(tail);
  const events: string[] = [];
  // replaced by a smaller file (rotation, a restarted run)
  writeFileSync(file, 'new1\n');
  let res = await tail.read((l, no) => events.push(`${no}:${l}`), { onReset: () => events.push('reset') });
  assert.deepEqual(events, ['reset', '1:new1']);
  assert.equal(res.reset, true);
  // rewritten with a different start but a larger size: the identity bytes differ
  events.length = 0;
  writeFileSync(file, 'NEW1\nNEW2\nNEW3\n');
  res = await tail.read((l, no) => events.push(`${no}:${l}`), { onReset: () => events.push('reset') });
  assert.deepEqual(events, ['reset', '1:NEW1', '2:NEW2', '3:NEW3']);
  // an append is not a reset
  events.length = 0;
  appendFileSync(file, 'NEW4\n');
  res = await tail.read((l, no) => events.push(`${no}:${l}`), { onReset: () => events.push('reset') });
  assert.deepEqual(events, ['4:NEW4']);
  assert.equal(res.reset, false);
});

test('UTF-8 lines decode whole; ranges hand out the decoded chunk without a string per line', async () => {
  const file = join(tmpDir('sl-tail-'), 'log.txt');
  writeFileSync(file, '{"loss": 1, "tag": "größe"}\n{"loss": 2}\n');
  const tail = new TextTail(file);
  const seen: string[] = [];
  await tail.readRanges((text, start, end) => seen.push(text.slice(start, end)));
  assert.deepEqual(seen, ['{"loss": 1, "tag": "größe"}', '{"loss": 2}']);
});

test('a line longer than the limit is skipped and reported, and reading goes on after it', async () => {
  const file = join(tmpDir('sl-tail-'), 'log.txt');
  const limit = 1000;
  writeFileSync(file, 'first\n' + 'a'.repeat(limit + 10) + '\nafter\n');
  const over: number[] = [];
  const got: string[] = [];
  const short = (l: string) => (l.length > 20 ? `${l.slice(0, 5)}…(${l.length})` : l);
  await new TextTail(file, limit).read((l, no) => got.push(`${no}:${short(l)}`), { onOverlong: (no) => over.push(no) });
  assert.deepEqual(got, ['1:first', '3:after']);
  assert.deepEqual(over, [2]);
  // the same line arriving in pieces (a writer flushing mid-line): dropped once it passes the limit, not buffered
  writeFileSync(file, 'first\n' + 'b'.repeat(600));
  const tail = new TextTail(file, limit);
  got.length = 0;
  over.length = 0;
  const read = () => tail.read((l, no) => got.push(`${no}:${short(l)}`), { onOverlong: (no) => over.push(no) });
  await read();
  appendFileSync(file, 'b'.repeat(600));
  await read();
  appendFileSync(file, 'bbb\nlast\n');
  await read();
  assert.deepEqual(got, ['1:first', '3:last']);
  assert.deepEqual(over, [2]);
});

test('pieces: many complete lines per call, numbered like single lines, the partial last line held back', async () => {
  const file = join(tmpDir('sl-tail-'), 'log.jsonl');
  const lines = Array.from({ length: 5000 }, (_, i) => `{"step": ${i}, "loss": ${1 / (i + 1)}}`);
  writeFileSync(file, lines.join('\n') + '\n{"step": 5000, "lo');
  const tail = new TextTail(file);
  const got: string[] = [];
  let calls = 0;
  await tail.readPieces((text, first, count) => {
    calls++;
    const parts = text.split('\n');
    assert.equal(parts.length, count);
    parts.forEach((p, k) => got.push(`${first + k}:${p}`));
  });
  assert.equal(got.length, 5000);
  assert.ok(calls > 1 && calls < 5000, `${calls} calls`);
  assert.equal(got[0], `1:${lines[0]}`);
  assert.equal(got[4999], `5000:${lines[4999]}`);
  appendFileSync(file, 'ss": 0.1}\n');
  got.length = 0;
  await tail.readPieces((text, first) => got.push(`${first}:${text}`));
  assert.deepEqual(got, ['5001:{"step": 5000, "loss": 0.1}']);
});

test('a table the I/O worker parsed is handed over once, then its memory is given back (not held by the head)', async () => {
  const file = join(tmpDir('sl-tail-'), 'log.jsonl');
  writeFileSync(file, '{"step": 1, "loss": 2}\n{"step": 2, "loss": 1.5}\n');
  prefetchHeads([file]); // a log's head read ahead comes with its table
  const tail = new TextTail(file);
  const tables: { lines: number; values: Float64Array; sum: number }[] = [];
  await tail.readPieces(
    () => {
      throw new Error('a tabulated log gives no text pieces');
    },
    {
      onTable: (t) => {
        tables.push({ lines: t.lines, values: t.values, sum: t.values.reduce((a, b) => a + b, 0) });
      },
    },
  );
  assert.equal(tables.length, 1);
  assert.deepEqual([tables[0].lines, tables[0].sum], [2, 6.5]);
  assert.equal(tables[0].values.buffer.byteLength, 0, 'the values were moved out: their memory is free to reuse');
});
