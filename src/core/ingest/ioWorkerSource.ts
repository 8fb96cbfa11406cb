import { IDENTITY_BYTES, type LogTable, tabulateJsonLines } from './lines/logTable';
import { byName } from '../util/byName';

/*
 * What the I/O worker thread runs (see ioWorker) and what it answers. The thread's code is a string evaluated in the
 * thread, so that it needs no file of its own on disk (the extension ships one bundle); tabulateJsonLines comes
 * along as its own source text.
 */

/**
 * A folder's entries, sorted by name (libuv's scandir sorts them on POSIX already; elsewhere the sort does):
 * `kinds[i]` is 1 for a folder, 0 for a file (or a link to one); `sizes[i]` is NaN for a regular file (not stat-ed:
 * the listing's type says it is a file, a stat per file was a tenth of a 10,000-run scan, and its reader learns the
 * size when it opens it), the target's size for a link to a file, -1 for a dangling link or a link to a folder, 0 for
 * a folder. Typed arrays on both paths (thread and libuv), so that the walk's code meets one shape of listing and is
 * compiled once.
 */
export interface Listing {
  names: string[];
  kinds: Uint8Array;
  sizes: Float64Array;
}

/**
 * `heads`: for each [path, max, tabulate], fstat and read min(size, max) bytes; all bytes in one buffer; with
 * `tabulate`, a file read whole is also parsed into a LogTable when it is one (the main thread then has nothing to
 * parse: the worker runs beside it on the other core), and of that file only its first bytes and those after its
 * last newline are sent (the batch's bytes are then copied once into a smaller buffer). `list`: for each folder, its
 * entries (see Listing).
 */
export const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { isAscii } = require('node:buffer');
const { sep } = require('node:path');
const __name = (f) => f; // what a bundler that keeps function names wraps them in
const tabulateJsonLines = (${tabulateJsonLines.toString()});
const byName = (${byName.toString()});
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
// Each list of table keys is sent once, then by its number: 10,000 logs with the same keys made 10,000 lists of
// strings for the main thread to take apart and collect
const namesIds = new Map();
// A head of at most this many bytes is read without sizing the file first: a read that returns less than it asked is
// the end of a regular file, so a small file costs an open, one read and a close (system calls cost 5-7 us each on
// this kind of machine, 20,000 files a scan of 10,000 runs); only a file that fills the read is sized, through its
// descriptor (a stat by path would resolve the path a second time).
const UNSIZED_READ = 1 << 20;
function heads(id, files) {
  // every file read straight into one buffer: no buffer per file
  const ends = new Float64Array(files.length);
  const sizes = new Float64Array(files.length);
  const errors = [];
  let at = 0;
  for (let i = 0; i < files.length; i++) {
    try {
      const fd = fs.openSync(files[i][0], 'r');
      try {
        const max = files[i][1];
        const start = at;
        let size = max > UNSIZED_READ ? fs.fstatSync(fd).size : -1;
        // a file that shrinks meanwhile gives fewer bytes; one that grows, the bytes its size said (or as asked)
        const stop = at + (size >= 0 ? Math.min(size, max) : max);
        if (stop > scratch.length) {
          const wider = Buffer.allocUnsafeSlow(Math.max(stop, 2 * scratch.length, 1 << 20));
          scratch.copy(wider, 0, 0, at);
          scratch = wider;
        }
        while (at < stop) {
          const want = stop - at;
          const got = fs.readSync(fd, scratch, at, want, null);
          if (got <= 0) break;
          at += got;
          if (size < 0 && got < want) break; // the file's end: no further read to be told so
        }
        if (size < 0) size = at - start < max ? at - start : fs.fstatSync(fd).size;
        sizes[i] = size;
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
  const names = [];
  // numbers are given out again after 4,096 lists, each then sent with its list; only between batches, so that the
  // tables of one message never mean two lists by one number
  if (namesIds.size >= 4096) namesIds.clear();
  for (const t of tables) {
    if (!t) continue;
    const sig = t.names.join('\\n');
    let n = namesIds.get(sig);
    if (n === undefined) {
      namesIds.set(sig, (n = namesIds.size));
      names[n] = t.names;
    }
    t.names = n;
  }
  transfer.push(buf.buffer);
  parentPort.postMessage({ id, buf: buf.buffer, ends, sizes, errors, tables, names }, transfer);
}
function list(id, dirs) {
  // the kinds and sizes of every folder of the batch in one array each (a typed array per folder was two
  // ArrayBuffers per folder for the main thread to make and collect)
  const kinds = [], sizes = [];
  const out = dirs.map((dir) => {
    const at = kinds.length;
    try {
      const names = [];
      // the folder's path and a separator (path.join would normalize every file's path again)
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort(byName)) {
        if (e.isDirectory()) {
          names.push(e.name); kinds.push(1); sizes.push(0);
        } else if (e.isFile()) {
          names.push(e.name); kinds.push(0); sizes.push(NaN);
        } else if (e.isSymbolicLink()) {
          let size = -1;
          try {
            const st = fs.statSync(prefix + e.name);
            if (st.isFile()) size = st.size;
          } catch {}
          names.push(e.name); kinds.push(0); sizes.push(size);
        }
      }
      return { names, at };
    } catch (e) {
      kinds.length = sizes.length = at;
      return { error: fail(e) };
    }
  });
  parentPort.postMessage({ id, listings: out, kinds: Uint8Array.from(kinds), sizes: Float64Array.from(sizes) });
}
parentPort.on('message', ({ id, op, args }) => (op === 'heads' ? heads(id, args) : list(id, args)));
`;

export type ErrorInfo = [string | undefined, string];
export interface HeadsReply {
  id: number;
  buf: ArrayBuffer;
  ends: Float64Array;
  sizes: Float64Array;
  errors: (ErrorInfo | undefined)[];
  /**
   * Without `rest`; `head`: the file's first bytes sent (its segment of `buf` is those, then the rest); `names`: the
   * number of its list of keys (see `names`).
   */
  tables: ((Omit<LogTable, 'rest' | 'names'> & { head: number; names: number }) | undefined)[];
  /** The lists of keys the thread sends for the first time, by number (a sparse array). */
  names: (string[] | undefined)[];
}
export interface ListReply {
  id: number;
  /** Each folder's names, and where its kinds and sizes begin in those of the batch. */
  listings: ({ names: string[]; at: number } | { error: ErrorInfo })[];
  kinds: Uint8Array;
  sizes: Float64Array;
}
/** [path, max, tabulate (1) or not (0)] */
export type HeadArg = [string, number, number];
