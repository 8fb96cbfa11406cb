import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { closeFile, fileSizeOrMissing, NO_BYTES, openFile, readAt, sizeOfFd } from './fileIo';
import type { LogTable } from './lines/logTable';
import { byName } from '../util/byName';
import {
  type ErrorInfo,
  type HeadArg,
  type HeadsReply,
  type Listing,
  type ListReply,
  WORKER_SOURCE,
} from './ioWorkerSource';

export type { Listing } from './ioWorkerSource';

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

interface Pending<A, R> {
  arg: A;
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

/** Items a batch holds at most (more wait for the next batch). */
export const BATCH = 128;

let worker: Worker | undefined;
let broken = false;
/** The lists of table keys the thread has sent, by number (see HeadsReply.names); a new thread starts afresh. */
let keyLists: string[][] = [];
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
      keyLists = [];
      broken = true;
      // what the worker had not answered is done here instead
      for (const sent of inFlight.values()) direct(sent);
      inFlight.clear();
    };
    w.on('error', fail);
    w.on('exit', fail);
    // referenced only while requests are in flight (see flush), so it never keeps a CLI alive; after the listeners,
    // since adding a 'message' listener references the thread's port again
    w.unref();
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
      else {
        // an object made here, of the same shape as listDirect's (a cloned one has a map of its own)
        const end = l.at + l.names.length;
        q.resolve({ names: l.names, kinds: r.kinds.subarray(l.at, end), sizes: r.sizes.subarray(l.at, end) });
      }
    });
  } else if (sent.op === 'heads' && 'buf' in r) {
    r.names.forEach((names, n) => {
      if (names) keyLists[n] = names;
    });
    let start = 0;
    sent.batch.forEach((q, i) => {
      const err = r.errors[i];
      if (err) q.reject(asError(err));
      else {
        const t = r.tables[i];
        if (!t) q.resolve({ bytes: Buffer.from(r.buf, start, r.ends[i] - start), size: r.sizes[i] });
        else {
          // the head and the rest as buffers of their own (a view of the whole and two of it were three objects per
          // log for the collector; the rest is most often empty)
          const restAt = start + t.head;
          const table: LogTable = {
            names: keyLists[t.names],
            lines: t.lines,
            bytes: t.bytes,
            values: t.values,
            rest: r.ends[i] > restAt ? Buffer.from(r.buf, restAt, r.ends[i] - restAt) : NO_BYTES,
          };
          q.resolve({ bytes: Buffer.from(r.buf, start, t.head), size: r.sizes[i], table });
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

/** A folder's entries (see Listing); rejects as listing the folder would (ENOENT, EACCES, ENOTDIR…). */
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
    const names: string[] = [];
    const kinds: number[] = [];
    const sizes: number[] = [];
    const entries = await readdir(q.arg, { withFileTypes: true });
    for (const e of entries.sort(byName)) {
      if (e.isDirectory()) kinds.push(1);
      else if (e.isFile() || e.isSymbolicLink()) kinds.push(0);
      else continue;
      names.push(e.name);
      sizes.push(e.isDirectory() ? 0 : e.isFile() ? NaN : await fileSizeOrMissing(join(q.arg, e.name)));
    }
    return { names, kinds: Uint8Array.from(kinds), sizes: Float64Array.from(sizes) };
  })().then(q.resolve, q.reject);
}
