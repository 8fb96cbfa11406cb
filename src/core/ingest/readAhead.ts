import { Fifo } from '../util/fifo';
import { yieldWhenBusy } from './concurrency';
import { BATCH, type FileHead, headOf } from './ioWorker';
import { mayHoldJsonLines } from './lines/jsonLinesNames';

/**
 * The heads of the files a scan is about to read (a small run's configs and log), read ahead by the I/O worker in
 * full batches (see ioWorker): readers then find their bytes waiting instead of asking a few at a time.
 */

export type { FileHead } from './ioWorker';

/** Files read ahead and not yet taken (see prefetchHeads): enough to keep the worker busy, few enough to hold. */
const AHEAD = 2 * BATCH;
/** How much of a prefetched file is read: a small log or config whole. */
export const PREFETCH_BYTES = 128 << 10;
const prefetched = new Map<string, Promise<FileHead>>();
/** Files to read ahead, in order, not yet requested. */
const upcoming = new Fifo<string>();

/**
 * Reads ahead the heads of files that are about to be read (readHead of them, in about this order): the worker
 * gets them in full batches rather than a few per turn of the event loop, and the readers find the bytes waiting.
 * At most AHEAD files are read and not yet taken at any time.
 */
export function prefetchHeads(paths: readonly string[]): void {
  upcoming.pushAll(paths);
  topUp();
}

/** Forgets what was read ahead and not taken, and what was still to be read ahead. */
export function dropPrefetched(): void {
  prefetched.clear();
  upcoming.clear();
}

function topUp(): void {
  // in whole batches: one message to the worker for BATCH files, not one per file taken
  if (prefetched.size > AHEAD - BATCH) return;
  while (prefetched.size < AHEAD && upcoming.size) {
    const path = upcoming.shift() as string;
    if (prefetched.has(path)) continue;
    // a file that may be a JSON-lines log comes with its table when it is one (see FileHead.table)
    const p = headOf(path, PREFETCH_BYTES, mayHoldJsonLines(path));
    p.catch(() => undefined); // taken or not, an error is the taker's to report
    prefetched.set(path, p);
  }
}

/**
 * The first `max` bytes of a file (all of it when smaller) and its size. Rejects as opening the file would
 * (ENOENT, EACCES, EISDIR…). Requests made in the same turn of the event loop go to the worker as one batch.
 * `acceptTable`: the caller takes a head that came with its table (see FileHead.table: then only the file's first
 * bytes are in `bytes`); anyone else gets the file's bytes.
 */
export async function readHead(path: string, max: number, acceptTable = false): Promise<FileHead> {
  const head = await take(path, max, acceptTable);
  // a batch answered at once wakes many readers together: they take turns (see yieldWhenBusy)
  await yieldWhenBusy();
  return head;
}

async function take(path: string, max: number, acceptTable: boolean): Promise<FileHead> {
  const ahead = prefetched.get(path);
  if (ahead) {
    prefetched.delete(path);
    topUp();
    const head = await ahead.catch(() => undefined);
    if (head?.table) {
      if (acceptTable) return head;
    } else if (head && (head.bytes.length === head.size || head.bytes.length >= max))
      // what was read ahead is enough when it is the whole file or as much as asked; else (or on error) read again
      return head.bytes.length > max ? { bytes: head.bytes.subarray(0, max), size: head.size } : head;
  }
  return headOf(path, max);
}
