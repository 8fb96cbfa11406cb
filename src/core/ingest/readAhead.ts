import { Fifo } from '../util/fifo';
import { yieldWhenBusy } from './concurrency';
import { BATCH, type FileHead, headOf } from './ioWorker';
import { mayHoldJsonLines } from './lines/jsonLinesNames';

/**
 * The heads of the files a scan is about to read (a small run's configs and log), read ahead by the I/O worker in
 * full batches (see ioWorker): readers then find their bytes waiting instead of asking a few at a time.
 */

export type { FileHead } from './ioWorker';

/**
 * Files read ahead and not yet taken (see prefetchHeads): enough to keep the worker busy, few enough to hold. Three
 * batches: with two, the I/O thread waited 0.25–0.3 s in all at 10,000 runs while the main thread was busy elsewhere
 * (detection, a collection), 0.1–0.2 s with three; four gave nothing more.
 */
export const AHEAD = 3 * BATCH;
/** How much of a prefetched file is read: a small log or config whole. */
export const PREFETCH_BYTES = 128 << 10;
/** Heads read ahead, by path; undefined for a read that failed (the taker reads again and reports the error). */
const prefetched = new Map<string, Promise<FileHead | undefined>>();
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
    prefetched.set(
      path,
      headOf(path, PREFETCH_BYTES, mayHoldJsonLines(path)).catch(() => undefined),
    );
  }
}

/**
 * The first `max` bytes of a file (all of it when smaller) and its size. Rejects as opening the file would
 * (ENOENT, EACCES, EISDIR…). Requests made in the same turn of the event loop go to the worker as one batch.
 * `acceptTable`: the caller takes a head that came with its table (see FileHead.table: then only the file's first
 * bytes are in `bytes`); anyone else gets the file's bytes.
 */
export async function readHead(path: string, max: number, acceptTable = false): Promise<FileHead> {
  const ahead = prefetched.get(path);
  let head: FileHead | undefined;
  if (ahead) {
    prefetched.delete(path);
    topUp();
    head = serves(await ahead, max, acceptTable);
  }
  head ??= await headOf(path, max);
  // a batch answered at once wakes many readers together: they take turns (see yieldWhenBusy)
  const pause = yieldWhenBusy();
  if (pause) await pause;
  return head;
}

/** What of a head read ahead serves a reader asking for `max` bytes; undefined: read again (also after an error). */
function serves(head: FileHead | undefined, max: number, acceptTable: boolean): FileHead | undefined {
  if (!head) return undefined;
  if (head.table) return acceptTable ? head : undefined;
  // what was read ahead is enough when it is the whole file or as much as asked
  if (head.bytes.length !== head.size && head.bytes.length < max) return undefined;
  return head.bytes.length > max ? { bytes: head.bytes.subarray(0, max), size: head.size } : head;
}
