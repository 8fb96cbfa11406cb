import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH, headOf, listFolderEntries, useIoWorker } from '../../../src/core/ingest/ioWorker';
import { AHEAD, dropPrefetched, prefetchHeads, readHead } from '../../../src/core/ingest/readAhead';
import { tmpDir } from '../../support/tmp';

/** What both paths must agree on: heads (whole, cut at max, empty), listings (sizes, links, folders) and errors. */
async function observe(root: string): Promise<unknown> {
  const settle = <T>(p: Promise<T>) =>
    p.then(
      (v) => ({ ok: v }),
      (e: unknown) => ({ error: (e as NodeJS.ErrnoException).code }),
    );
  const head = (path: string, max: number) =>
    settle(headOf(join(root, path), max).then((h) => ({ text: h.bytes.toString('utf8'), size: h.size })));
  const list = (dir: string) =>
    settle(
      // in the order given: a listing comes sorted by name (the walk relies on it)
      listFolderEntries(join(root, dir)).then((l) => l.names.map((n, i) => [n, l.kinds[i], l.sizes[i]])),
    );
  // asked in one turn of the event loop: one batch
  return Promise.all([
    head('a/log.jsonl', 1 << 20),
    head('a/log.jsonl', 5),
    head('a/log.jsonl', 23), // exactly as long as asked: a read that fills what it asked for says nothing of the size
    head('a/log.jsonl', 24),
    head('a/empty.txt', 100),
    head('a/missing.jsonl', 100),
    head('a', 100),
    list('a'),
    list('nope'),
  ]);
}

test('the I/O worker and the main-thread fallback give the same heads, listings and errors', async () => {
  const root = tmpDir('sl-io-');
  mkdirSync(join(root, 'a', 'sub'), { recursive: true });
  writeFileSync(join(root, 'a', 'log.jsonl'), '{"step": 1, "loss": 2}\n');
  writeFileSync(join(root, 'a', 'empty.txt'), '');
  symlinkSync(join(root, 'a', 'log.jsonl'), join(root, 'a', 'link.jsonl'));
  symlinkSync(join(root, 'a', 'gone'), join(root, 'a', 'dangling.jsonl'));
  symlinkSync(join(root, 'a', 'sub'), join(root, 'a', 'dirlink'));
  const viaWorker = await observe(root);
  useIoWorker(false);
  try {
    assert.deepEqual(await observe(root), viaWorker);
  } finally {
    useIoWorker(true);
  }
  assert.deepEqual(viaWorker, [
    { ok: { text: '{"step": 1, "loss": 2}\n', size: 23 } },
    { ok: { text: '{"ste', size: 23 } },
    { ok: { text: '{"step": 1, "loss": 2}\n', size: 23 } },
    { ok: { text: '{"step": 1, "loss": 2}\n', size: 23 } },
    { ok: { text: '', size: 0 } },
    { error: 'ENOENT' },
    { error: 'EISDIR' },
    {
      ok: [
        ['dangling.jsonl', 0, -1],
        ['dirlink', 0, -1],
        // a regular file is not stat-ed (its reader learns its size); a link is followed to its target
        ['empty.txt', 0, NaN],
        ['link.jsonl', 0, 23],
        ['log.jsonl', 0, NaN],
        ['sub', 1, 0],
      ],
    },
    { error: 'ENOENT' },
  ]);
});

test('read-ahead: a prefetched head is taken once; a smaller max is cut from it; what is not taken is dropped', async () => {
  const root = tmpDir('sl-io-');
  // more files than the read-ahead window holds, so that the last is read only when asked
  const files = Array.from({ length: AHEAD + BATCH }, (_, i) => join(root, `f${i}.txt`));
  const last = files.length - 1;
  files.forEach((f, i) => {
    writeFileSync(f, `file ${i}\n`);
  });
  prefetchHeads(files);
  assert.equal((await readHead(files[0], 1 << 20)).bytes.toString(), 'file 0\n');
  assert.equal((await readHead(files[1], 4)).bytes.toString(), 'file');
  writeFileSync(files[3], 'rewritten\n'); // read ahead in the first batch already: the reader gets those bytes
  assert.equal((await readHead(files[3], 100)).bytes.toString(), 'file 3\n');
  writeFileSync(files[last], 'changed\n'); // not yet read ahead (the window is smaller): read when asked
  assert.equal((await readHead(files[last], 100)).bytes.toString(), 'changed\n');
  dropPrefetched();
  writeFileSync(files[2], 'new\n');
  assert.equal((await readHead(files[2], 100)).bytes.toString(), 'new\n', 'dropped: read again');
});

test('a process that only lists folders ends by itself: the I/O thread never keeps it alive', () => {
  // the first listings are done while the thread starts, so the thread may get no request at all; it must not hold
  // the process open then (a CLI that hangs after printing)
  const root = tmpDir('sl-io-');
  writeFileSync(join(root, 'log.jsonl'), '{"step": 1}\n');
  const script = `
    const { listFolderEntries } = require(${JSON.stringify(join(__dirname, '../../../src/core/ingest/ioWorker'))});
    listFolderEntries(${JSON.stringify(root)}).then((l) => console.log(l.names.join(',')));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.error, undefined, 'the process did not end within 20 s');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'log.jsonl');
});
