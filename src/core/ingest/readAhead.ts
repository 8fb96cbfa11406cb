import { Worker } from 'node:worker_threads';
import { yieldWhenBusy } from './concurrency';
import { closeFile, openFile, readAt, sizeOfFd } from './fileIo';

/**
 * The first bytes of many small files, read off the main thread. A folder of 10,000 runs is 20,000 small files:
 * through libuv's pool each costs an open, a read and a close, and each of those costs the main thread more (a
 * request object, a promise, a thread wake-up) than reading the whole file synchronously. Here one worker thread
 * reads a batch of files with plain synchronous calls and hands back all their bytes in one transferred buffer, so
 * the main thread only parses and the event loop is never blocked by the disk. Requests still come from bounded
 * loops (mapLimit), so a batch is at most a few dozen files. Without a worker (it failed to start or died) the same
 * reads go through the file-descriptor calls of fileIo.
 */

export interface FileHead {
  /** The file's first bytes: all of it when `bytes.length === size`. A view: copy what must outlive the call. */
  bytes: Buffer;
  /** The file's size when it was read. */
  size: number;
}

/** The worker: for each [path, max] of a batch, fstat and read min(size, max) bytes; all bytes in one buffer. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.on('message', ({ id, files }) => {
  const parts = [];
  const ends = new Float64Array(files.length);
  const sizes = new Float64Array(files.length);
  const errors = [];
  let total = 0;
  for (let i = 0; i < files.length; i++) {
    const [path, max] = files[i];
    try {
      const fd = fs.openSync(path, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const want = Math.min(size, max);
        const b = Buffer.allocUnsafe(want);
        let n = 0;
        while (n < want) {
          const got = fs.readSync(fd, b, n, want - n, n);
          if (got <= 0) break;
          n += got;
        }
        parts.push(b.subarray(0, n));
        total += n;
        sizes[i] = size;
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      errors[i] = [e && e.code, e && e.message ? e.message : String(e)];
    }
    ends[i] = total;
  }
  const all = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const p of parts) at += p.copy(all, at);
  parentPort.postMessage({ id, buf: all.buffer, ends, sizes, errors }, [all.buffer]);
});
`;

interface Request {
  path: string;
  max: number;
  resolve: (h: FileHead) => void;
  reject: (e: Error) => void;
}
interface Reply {
  id: number;
  buf: ArrayBuffer;
  ends: Float64Array;
  sizes: Float64Array;
  errors: ([string | undefined, string] | undefined)[];
}

/** Files a batch holds at most (requests beyond wait for the next batch). */
const BATCH = 64;

let worker: Worker | undefined;
let broken = false;
let queued: Request[] = [];
let flushScheduled = false;
let nextId = 0;
const inFlight = new Map<number, Request[]>();

function startWorker(): Worker | undefined {
  if (worker || broken) return worker;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref(); // referenced only while requests are in flight (see send), so it never keeps a CLI alive
    w.on('message', (r: Reply) => {
      settle(r);
    });
    const fail = () => {
      if (worker !== w) return;
      worker = undefined;
      broken = true;
      // what the worker had not answered is read here instead
      for (const reqs of inFlight.values()) for (const q of reqs) readDirect(q);
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

function settle(r: Reply): void {
  const reqs = inFlight.get(r.id);
  if (!reqs) return;
  inFlight.delete(r.id);
  if (!inFlight.size) worker?.unref();
  let start = 0;
  reqs.forEach((q, i) => {
    const err = r.errors[i];
    if (err) {
      const e = new Error(err[1]) as NodeJS.ErrnoException;
      if (err[0]) e.code = err[0];
      q.reject(e);
    } else q.resolve({ bytes: Buffer.from(r.buf, start, r.ends[i] - start), size: r.sizes[i] });
    start = r.ends[i];
  });
}

function flush(): void {
  flushScheduled = false;
  while (queued.length) {
    const reqs = queued.slice(0, BATCH);
    queued = queued.slice(BATCH);
    const w = startWorker();
    if (!w) {
      for (const q of reqs) readDirect(q);
      continue;
    }
    const id = nextId++;
    inFlight.set(id, reqs);
    w.ref();
    w.postMessage({ id, files: reqs.map((q) => [q.path, q.max]) });
  }
}

/** The same read through file descriptors on libuv's pool. */
function readDirect(q: Request): void {
  void (async () => {
    const fd = await openFile(q.path);
    try {
      const size = await sizeOfFd(fd);
      const b = Buffer.allocUnsafe(Math.min(size, q.max));
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

/** Files read ahead and not yet taken (see prefetchHeads): enough to keep the worker busy, few enough to hold. */
const AHEAD = 256;
/** How much of a prefetched file is read: a small log or config whole. */
export const PREFETCH_BYTES = 256 << 10;
const prefetched = new Map<string, Promise<FileHead>>();
let upcoming: string[] = [];
/** The first of `upcoming` not yet requested. */
let next = 0;

/**
 * Reads ahead the heads of files that are about to be read (readHead of them, in about this order): the worker
 * gets them in full batches rather than a few per turn of the event loop, and the readers find the bytes waiting.
 * At most AHEAD files are read and not yet taken at any time.
 */
export function prefetchHeads(paths: readonly string[]): void {
  upcoming = upcoming.slice(next).concat(paths);
  next = 0;
  topUp();
}

/** Forgets what was read ahead and not taken, and what was still to be read ahead. */
export function dropPrefetched(): void {
  prefetched.clear();
  upcoming = [];
  next = 0;
}

function topUp(): void {
  // in whole batches: one message to the worker for BATCH files, not one per file taken
  if (prefetched.size > AHEAD - BATCH) return;
  while (prefetched.size < AHEAD && next < upcoming.length) {
    const path = upcoming[next++];
    if (prefetched.has(path)) continue;
    const p = request(path, PREFETCH_BYTES);
    p.catch(() => undefined); // taken or not, an error is the taker's to report
    prefetched.set(path, p);
  }
}

/**
 * The first `max` bytes of a file (all of it when smaller) and its size. Rejects as opening the file would
 * (ENOENT, EACCES, EISDIR…). Requests made in the same turn of the event loop go to the worker as one batch.
 */
export async function readHead(path: string, max: number): Promise<FileHead> {
  const head = await take(path, max);
  // a batch answered at once wakes many readers together: they take turns (see yieldWhenBusy)
  await yieldWhenBusy();
  return head;
}

async function take(path: string, max: number): Promise<FileHead> {
  const ahead = prefetched.get(path);
  if (ahead) {
    prefetched.delete(path);
    topUp();
    const head = await ahead.catch(() => undefined);
    // what was read ahead is enough when it is the whole file or as much as asked; else (or on error) read again
    if (head && (head.bytes.length === head.size || head.bytes.length >= max))
      return head.bytes.length > max ? { bytes: head.bytes.subarray(0, max), size: head.size } : head;
  }
  return request(path, max);
}

function request(path: string, max: number): Promise<FileHead> {
  return new Promise((resolve, reject) => {
    queued.push({ path, max, resolve, reject });
    if (queued.length >= BATCH) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
}
