import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { closeFile, fileSizeOrMissing, openFile, readAt, sizeOfFd } from './fileIo';
import { IDENTITY_BYTES, type LogTable, tabulateJsonLines } from './lines/logTable';

/**
 * Small file-system work off the main thread, in batches. A folder of 10,000 runs is 10,000 folders to list and
 * 20,000 small files to stat and read: through libuv's pool each call costs the main thread more (a request object,
 * a promise, a thread wake-up) than doing the call synchronously. Here one worker thread does a batch of them with
 * plain synchronous calls and answers in one message (file bytes in one transferred buffer), so the main thread only
 * parses, and the event loop is never blocked by the disk. Callers are bounded loops (mapLimit, a read-ahead
 * window), so a batch is at most BATCH items. Without a worker (it failed to start or died) the same work goes
 * through libuv's pool.
 */

export interface FileHead {
  /** The file's first bytes: all of it when `bytes.length === size`. A view: copy what must outlive the call. */
  bytes: Buffer;
  /** The file's size when it was read. */
  size: number;
  /**
   * Asked for (see headOf) and the whole file is a JSON-lines log of flat numeric records: its lines as columns.
   * `bytes` then holds only the file's first IDENTITY_BYTES (what a tail needs to notice a rewrite), and the bytes
   * after its last newline are in `table.rest`.
   */
  table?: LogTable;
}

/** A folder's entries: subfolders (kind 1) and files or links (kind 0, size -1 when not a regular file). */
export interface Listing {
  names: string[];
  kinds: number[];
  sizes: number[];
}

/**
 * `heads`: for each [path, max, tabulate], fstat and read min(size, max) bytes; all bytes in one buffer; with
 * `tabulate`, a file read whole is also parsed into a LogTable when it is one (the main thread then has nothing to
 * parse: the worker runs beside it on the other core), and of that file only its first bytes and those after its
 * last newline are sent (the batch's bytes are then copied once into a smaller buffer). `list`: for each folder, its
 * entries, with the size of each file (links followed).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { isAscii } = require('node:buffer');
const { join } = require('node:path');
const __name = (f) => f; // what a bundler that keeps function names wraps them in
const tabulateJsonLines = (${tabulateJsonLines.toString()});
const fail = (e) => [e && e.code, e && e.message ? e.message : String(e)];
const IDENTITY_BYTES = ${IDENTITY_BYTES};
/** The table of bytes all[start, end) (a whole file), or undefined. Decoded as the main thread would (see tail.ts). */
function tabulate(all, start, end) {
  if (end <= start || all[start] !== 123) return undefined;
  const nl = all.lastIndexOf(10, end - 1);
  if (nl < start) return undefined;
  const lines = all.subarray(start, nl);
  const t = tabulateJsonLines(lines.toString(isAscii && isAscii(lines) ? 'latin1' : 'utf8'));
  return t && { names: t.names, lines: t.lines, bytes: nl + 1 - start, values: t.values };
}
// Files are read into this buffer, kept from batch to batch: memory touched for the first time costs a page fault
// per 4 KiB (here 2-3 ms a MB, as much as parsing it), and a batch's buffer is too large for malloc to reuse freed
// memory, so a new one each batch was the price of reading every byte twice.
let scratch = Buffer.allocUnsafeSlow(0);
function heads(id, files) {
  // every file read straight into one buffer: no buffer per file; opened, then sized through its descriptor (a stat
  // by path would resolve the path a second time)
  const ends = new Float64Array(files.length);
  const sizes = new Float64Array(files.length);
  const errors = [];
  let at = 0;
  for (let i = 0; i < files.length; i++) {
    try {
      const fd = fs.openSync(files[i][0], 'r');
      try {
        sizes[i] = fs.fstatSync(fd).size;
        // a file that shrinks meanwhile gives fewer bytes; one that grows, the bytes its size said
        const stop = at + Math.min(sizes[i], files[i][1]);
        if (stop > scratch.length) {
          const wider = Buffer.allocUnsafeSlow(Math.max(stop, 2 * scratch.length, 1 << 20));
          scratch.copy(wider, 0, 0, at);
          scratch = wider;
        }
        while (at < stop) {
          const got = fs.readSync(fd, scratch, at, stop - at, null);
          if (got <= 0) break;
          at += got;
        }
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      errors[i] = fail(e);
    }
    ends[i] = at;
  }
  const all = scratch;
  const tables = [];
  const transfer = [];
  let start = 0;
  let kept = 0;
  for (let i = 0; i < files.length; i++) {
    if (!errors[i] && files[i][2] && ends[i] - start === sizes[i]) {
      try {
        tables[i] = tabulate(all, start, ends[i]);
      } catch {} // a table is only ever a shortcut: the reader parses what has none
    }
    const t = tables[i];
    if (t) {
      transfer.push(t.values.buffer);
      // of a tabulated file the reader needs only its first bytes (to notice a rewrite) and what follows the last
      // newline: the rest stays here instead of crossing over to be freed by the main thread's collector
      t.head = Math.min(IDENTITY_BYTES, sizes[i]);
      kept += t.head + (ends[i] - start - t.bytes);
    } else kept += ends[i] - start;
    start = ends[i];
  }
  // what is sent is copied out of the scratch buffer (which stays here)
  const buf = Buffer.allocUnsafeSlow(kept);
  let from = 0;
  let put = 0;
  for (let i = 0; i < files.length; i++) {
    const t = tables[i];
    if (t) {
      all.copy(buf, put, from, from + t.head);
      put += t.head;
      put += all.copy(buf, put, from + t.bytes, ends[i]);
    } else put += all.copy(buf, put, from, ends[i]);
    from = ends[i];
    ends[i] = put;
  }
  transfer.push(buf.buffer);
  parentPort.postMessage({ id, buf: buf.buffer, ends, sizes, errors, tables }, transfer);
}
function list(id, dirs) {
  const out = dirs.map((dir) => {
    try {
      const names = [], kinds = [], sizes = [];
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) {
          names.push(e.name); kinds.push(1); sizes.push(0);
        } else if (e.isFile() || e.isSymbolicLink()) {
          let size = -1;
          try {
            const st = fs.statSync(join(dir, e.name));
            if (st.isFile()) size = st.size;
          } catch {}
          names.push(e.name); kinds.push(0); sizes.push(size);
        }
      }
      return { names, kinds, sizes };
    } catch (e) {
      return { error: fail(e) };
    }
  });
  parentPort.postMessage({ id, listings: out });
}
parentPort.on('message', ({ id, op, args }) => (op === 'heads' ? heads(id, args) : list(id, args)));
`;

type ErrorInfo = [string | undefined, string];
interface HeadsReply {
  id: number;
  buf: ArrayBuffer;
  ends: Float64Array;
  sizes: Float64Array;
  errors: (ErrorInfo | undefined)[];
  /** Without `rest`; `head`: the file's first bytes sent (its segment of `buf` is those, then the rest). */
  tables: ((Omit<LogTable, 'rest'> & { head: number }) | undefined)[];
}
interface ListReply {
  id: number;
  listings: (Listing | { error: ErrorInfo })[];
}
interface Pending<A, R> {
  arg: A;
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}
/** [path, max, tabulate (1) or not (0)] */
type HeadArg = [string, number, number];

/** Items a batch holds at most (more wait for the next batch). */
export const BATCH = 128;

let worker: Worker | undefined;
let broken = false;
/** The thread has started and takes messages at once. */
let online = false;
let nextId = 0;
const queues = { heads: [] as Pending<HeadArg, FileHead>[], list: [] as Pending<string, Listing>[] };
let flushScheduled = false;
type Sent = { op: 'heads'; batch: Pending<HeadArg, FileHead>[] } | { op: 'list'; batch: Pending<string, Listing>[] };
const inFlight = new Map<number, Sent>();

/**
 * Whether the work goes to a worker thread (the default) or through libuv's pool on the main thread: for hosts that
 * must not start threads, and for tests of both paths. Work already sent is not affected.
 */
export function useIoWorker(on: boolean): void {
  disabled = !on;
}
let disabled = false;

function startWorker(): Worker | undefined {
  if (disabled) return undefined;
  if (worker || broken) return worker;
  try {
    // a small heap: the worker holds a batch of names and buffers (outside the heap) at a time, and the records of
    // the one log it is tabulating; a roomy young generation, since each log's records die as soon as it is done
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 },
    });
    w.unref(); // referenced only while requests are in flight (see flush), so it never keeps a CLI alive
    w.once('online', () => {
      if (worker === w) online = true;
    });
    w.on('message', (r: HeadsReply | ListReply) => {
      settle(r);
    });
    const fail = () => {
      if (worker !== w) return;
      worker = undefined;
      online = false;
      broken = true;
      // what the worker had not answered is done here instead
      for (const sent of inFlight.values()) direct(sent);
      inFlight.clear();
    };
    w.on('error', fail);
    w.on('exit', fail);
    worker = w;
  } catch {
    broken = true;
  }
  return worker;
}

function asError([code, message]: ErrorInfo): Error {
  const e = new Error(message) as NodeJS.ErrnoException;
  if (code) e.code = code;
  return e;
}

function settle(r: HeadsReply | ListReply): void {
  const sent = inFlight.get(r.id);
  if (!sent) return;
  inFlight.delete(r.id);
  if (!inFlight.size) worker?.unref();
  if (sent.op === 'list' && 'listings' in r) {
    sent.batch.forEach((q, i) => {
      const l = r.listings[i];
      if ('error' in l) q.reject(asError(l.error));
      else q.resolve(l);
    });
  } else if (sent.op === 'heads' && 'buf' in r) {
    let start = 0;
    sent.batch.forEach((q, i) => {
      const err = r.errors[i];
      if (err) q.reject(asError(err));
      else {
        const t = r.tables[i];
        const bytes = Buffer.from(r.buf, start, r.ends[i] - start);
        if (!t) q.resolve({ bytes, size: r.sizes[i] });
        else {
          const { names, lines, bytes: through, values } = t;
          const table: LogTable = { names, lines, bytes: through, values, rest: bytes.subarray(t.head) };
          q.resolve({ bytes: bytes.subarray(0, t.head), size: r.sizes[i], table });
        }
      }
      start = r.ends[i];
    });
  }
}

/** Does a batch on the main thread (through libuv's pool): the worker could not. */
function direct(sent: Sent): void {
  if (sent.op === 'heads') sent.batch.forEach(headDirect);
  else sent.batch.forEach(listDirect);
}

function flush(): void {
  flushScheduled = false;
  const batches: Sent[] = [];
  while (queues.heads.length) batches.push({ op: 'heads', batch: queues.heads.splice(0, BATCH) });
  while (queues.list.length) batches.push({ op: 'list', batch: queues.list.splice(0, BATCH) });
  for (const sent of batches) {
    const w = startWorker();
    // while the thread starts (70 ms and more), folders are listed here: a scan's first listings are a few
    // folders of folders, and the walk would otherwise wait for the thread to come up before it could begin
    if (!w || (sent.op === 'list' && !online)) {
      direct(sent);
      continue;
    }
    const id = nextId++;
    inFlight.set(id, sent);
    w.ref();
    w.postMessage({ id, op: sent.op, args: sent.batch.map((q) => q.arg) });
  }
}

function enqueue<A, R>(queue: Pending<A, R>[], arg: A): Promise<R> {
  return new Promise((resolve, reject) => {
    queue.push({ arg, resolve, reject });
    if (queue.length >= BATCH) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
}

/**
 * The first `max` bytes of a file (all of it when smaller) and its size; rejects as opening the file would. With
 * `tabulate`, a file read whole that is a JSON-lines log of flat numeric records comes with its table (see LogTable;
 * only from the worker: without one the reader parses the bytes itself).
 */
export function headOf(path: string, max: number, tabulate = false): Promise<FileHead> {
  return enqueue(queues.heads, [path, max, tabulate ? 1 : 0]);
}

/** A folder's entries with file sizes; rejects as listing the folder would (ENOENT, EACCES, ENOTDIR…). */
export function listFolderEntries(dir: string): Promise<Listing> {
  return enqueue(queues.list, dir);
}

/** headOf through file descriptors on libuv's pool. */
function headDirect(q: Pending<HeadArg, FileHead>): void {
  const [path, max] = q.arg;
  void (async () => {
    const fd = await openFile(path);
    try {
      const size = await sizeOfFd(fd);
      const b = Buffer.allocUnsafe(Math.min(size, max));
      let n = 0;
      while (n < b.length) {
        const got = await readAt(fd, b.subarray(n), b.length - n, n);
        if (got <= 0) break;
        n += got;
      }
      return { bytes: b.subarray(0, n), size };
    } finally {
      await closeFile(fd);
    }
  })().then(q.resolve, q.reject);
}

/** listFolderEntries through libuv's pool. */
function listDirect(q: Pending<string, Listing>): void {
  void (async () => {
    const out: Listing = { names: [], kinds: [], sizes: [] };
    for (const e of await readdir(q.arg, { withFileTypes: true })) {
      if (e.isDirectory()) out.kinds.push(1);
      else if (e.isFile() || e.isSymbolicLink()) out.kinds.push(0);
      else continue;
      out.names.push(e.name);
      out.sizes.push(e.isDirectory() ? 0 : await fileSizeOrMissing(join(q.arg, e.name)));
    }
    return out;
  })().then(q.resolve, q.reject);
}
