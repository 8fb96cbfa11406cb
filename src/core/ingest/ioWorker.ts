import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { closeFile, fileSizeOrMissing, openFile, readAt, sizeOfFd } from './fileIo';

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
}

/** A folder's entries: subfolders (kind 1) and files or links (kind 0, size -1 when not a regular file). */
export interface Listing {
  names: string[];
  kinds: number[];
  sizes: number[];
}

/**
 * `heads`: for each [path, max], fstat and read min(size, max) bytes; all bytes in one buffer. `list`: for each
 * folder, its entries, with the size of each file (links followed).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { join } = require('node:path');
const fail = (e) => [e && e.code, e && e.message ? e.message : String(e)];
function heads(id, files) {
  // sizes first, then every file read straight into the one buffer sent: no buffer per file and no copy of its bytes
  const want = new Float64Array(files.length);
  const ends = new Float64Array(files.length);
  const sizes = new Float64Array(files.length);
  const errors = [];
  let total = 0;
  for (let i = 0; i < files.length; i++) {
    try {
      sizes[i] = fs.statSync(files[i][0]).size;
      want[i] = Math.min(sizes[i], files[i][1]);
      total += want[i];
    } catch (e) {
      errors[i] = fail(e);
    }
  }
  const all = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (let i = 0; i < files.length; i++) {
    if (!errors[i]) {
      try {
        const fd = fs.openSync(files[i][0], 'r');
        try {
          // a file that shrank since its stat gives fewer bytes; one that grew, the bytes its size said
          const stop = at + want[i];
          while (at < stop) {
            const got = fs.readSync(fd, all, at, stop - at, null);
            if (got <= 0) break;
            at += got;
          }
        } finally {
          fs.closeSync(fd);
        }
      } catch (e) {
        errors[i] = fail(e);
      }
    }
    ends[i] = at;
  }
  parentPort.postMessage({ id, buf: all.buffer, ends, sizes, errors }, [all.buffer]);
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
type HeadArg = [string, number];

/** Items a batch holds at most (more wait for the next batch). */
export const BATCH = 128;

let worker: Worker | undefined;
let broken = false;
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
    // a small heap: the worker holds a batch of names and buffers (outside the heap) at a time
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 48 },
    });
    w.unref(); // referenced only while requests are in flight (see flush), so it never keeps a CLI alive
    w.on('message', (r: HeadsReply | ListReply) => {
      settle(r);
    });
    const fail = () => {
      if (worker !== w) return;
      worker = undefined;
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
      else q.resolve({ bytes: Buffer.from(r.buf, start, r.ends[i] - start), size: r.sizes[i] });
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
    if (!w) {
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

/** The first `max` bytes of a file (all of it when smaller) and its size; rejects as opening the file would. */
export function headOf(path: string, max: number): Promise<FileHead> {
  return enqueue(queues.heads, [path, max]);
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
