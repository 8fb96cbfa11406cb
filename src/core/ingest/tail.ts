import { isAscii } from 'node:buffer';
import {
  closeFile,
  openFile,
  ownCopy,
  readAt,
  returnChunk,
  returnSmallBuffer,
  sizeOfFd,
  SMALL_BUFFER,
  takeChunk,
  takeSmallBuffer,
} from './fileIo';
import { IDENTITY_BYTES, type LogTable } from './lines/logTable';
import { readHead } from './readAhead';

/** A log's first read takes this much from the read-ahead worker (a small log whole); the rest is read in chunks. */
const HEAD_BYTES = 256 << 10;
const EMPTY = Buffer.alloc(0);

/** Bytes decoded into one string at a time (see consume). */
const DECODE_PIECE = 60 << 10;
/** A "line" longer than this is not a log line (a binary blob, a minified dump): it is skipped, not buffered. */
export const MAX_LINE_BYTES = 64 << 20;

/**
 * One complete line: `text.slice(start, end)`, without its newline or a trailing \r. Handing out ranges of the
 * decoded chunk instead of a string per line lets parsers scan in place; `text` is only valid during the call.
 */
export type RangeHandler = (text: string, start: number, end: number, lineNo: number) => void;

/**
 * Several complete lines at once: `text` holds them joined by "\n" (no final newline; a line may end in "\r"), the
 * first being line `firstLineNo`. For parsers that gain from handling many lines per call.
 */
export type PieceHandler = (text: string, firstLineNo: number, lineCount: number) => void;

export interface TailReadOptions {
  /** Deliver a final line that has no newline yet (used once a file is known complete). */
  flush?: boolean;
  /**
   * Called when the file was truncated or rewritten, before any line of the new content is delivered: the caller
   * drops what it read from the old content here, so the new lines that follow in the same read land in a clean state.
   */
  onReset?: () => void;
  /** Called for a line over MAX_LINE_BYTES, which is skipped. */
  onOverlong?: (lineNo: number, bytes: number) => void;
  /**
   * Check the first bytes when reading from the top, and read nothing if they look binary (see looksBinary): a
   * file with a text log's name that is not text. Done on the bytes read anyway, so it costs no extra open.
   */
  rejectBinary?: boolean;
  /**
   * Takes the whole lines of a small file as the table the I/O worker parsed them into (see LogTable), when it
   * did: they are then not decoded and not passed to the line handler. `firstLineNo` is the table's first line.
   */
  onTable?: (table: LogTable, firstLineNo: number) => void;
}

export interface TailResult {
  /** The file shrank or its first bytes changed: onReset was called and lines restarted at 1. */
  reset: boolean;
  /** Bytes read from the file by this call (appended bytes only, unless it was reset). */
  bytesRead: number;
  /** rejectBinary was set and the file's first bytes look binary: nothing was read. */
  binary?: boolean;
}

/**
 * Reads a growing text file line by line, resuming where the last call stopped.
 * - Only appended bytes are read; a partial last line is kept until its newline arrives.
 * - Truncation (size below our offset) and rewrites/rotation (first bytes changed) restart from zero.
 * - Memory is one chunk plus one partial line, whatever the file size.
 */
export class TextTail {
  private offset = 0;
  private lineNo = 0;
  private partial: Buffer = EMPTY;
  /** Inside an overlong line: bytes are dropped until its newline. */
  private skipping = false;
  /** The file's first bytes (latin1, one char a byte): a rewrite from the top changes them. */
  private identity: string | undefined;

  constructor(
    readonly path: string,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  /** Line number (1-based) of the last line delivered, for diagnostics. */
  get line(): number {
    return this.lineNo;
  }

  /** Bytes of the file consumed as complete lines (the resume point, before the partial line). */
  get bytesConsumed(): number {
    return this.offset - this.partial.length;
  }

  /** Calls onLine with every complete new line as a string. */
  read(onLine: (line: string, lineNo: number) => void, opts: TailReadOptions = {}): Promise<TailResult> {
    return this.readRanges((text, start, end, no) => {
      onLine(text.slice(start, end), no);
    }, opts);
  }

  /** Calls onRange for every complete new line, as a range of a decoded chunk (no string per line). */
  readRanges(onRange: RangeHandler, opts: TailReadOptions = {}): Promise<TailResult> {
    return this.readText((text) => {
      this.lines(text, onRange, opts);
    }, opts);
  }

  /** Calls onPiece with the complete new lines, many at a time (see PieceHandler). */
  readPieces(onPiece: PieceHandler, opts: TailReadOptions = {}): Promise<TailResult> {
    return this.readText((text) => {
      let count = 1;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
      if (count === 1 && text.length > this.maxLineBytes) {
        opts.onOverlong?.(++this.lineNo, text.length);
        return;
      }
      const first = this.lineNo + 1;
      this.lineNo += count;
      onPiece(text, first, count);
    }, opts);
  }

  /**
   * Reads what was appended and hands it on as decoded text of complete lines (see consume). The first read takes
   * the file's head from the read-ahead worker (see readHead): a small log costs the main thread no file calls at
   * all. What lies beyond, and every later read, goes through a file descriptor; later reads stat the file to
   * notice truncation and check its identity.
   */
  private async readText(onText: (text: string) => void, opts: TailReadOptions): Promise<TailResult> {
    if (this.offset > 0 || this.identity) return this.readMore(onText, opts, false);
    const head = await readHead(this.path, HEAD_BYTES, opts.onTable !== undefined);
    const bytes = head.bytes;
    if (head.table && opts.onTable) {
      // read and parsed by the worker (JSON, so no NUL: not binary): its lines count as delivered, what follows the
      // last newline waits, and `bytes` is the file's identity
      const table = head.table;
      this.identity = bytes.toString('latin1');
      this.offset = head.size;
      this.keepPartial(ownCopy(table.rest), opts);
      const first = this.lineNo + 1;
      this.lineNo += table.lines;
      opts.onTable(table, first);
      releaseValues(table);
      return { reset: false, bytesRead: head.size };
    }
    if (bytes.length) {
      if (opts.rejectBinary && looksBinary(bytes)) return { reset: false, bytesRead: 0, binary: true };
      this.identity = bytes.toString('latin1', 0, Math.min(IDENTITY_BYTES, bytes.length));
      this.offset = bytes.length;
      this.consume(bytes, onText, opts);
    }
    if (bytes.length < head.size) {
      const rest = await this.readMore(onText, opts, true);
      return { reset: rest.reset, bytesRead: (rest.reset ? 0 : bytes.length) + rest.bytesRead };
    }
    this.flushPartial(onText, opts);
    return { reset: false, bytesRead: bytes.length };
  }

  private flushPartial(onText: (text: string) => void, opts: TailReadOptions): void {
    if (opts.flush && this.partial.length && !this.skipping) {
      const last = decode(this.partial, isAscii(this.partial));
      this.partial = EMPTY;
      onText(last);
    }
  }

  /** Reads from the offset to the end through a file descriptor; `continued`: the head was just read (no reset check). */
  private async readMore(
    onText: (text: string) => void,
    opts: TailReadOptions,
    continued: boolean,
  ): Promise<TailResult> {
    const fd = await openFile(this.path);
    let buf: Buffer | undefined;
    let big = false;
    try {
      let reset = false;
      const size = await sizeOfFd(fd);
      if (!continued) {
        if (size < this.offset || (await this.identityChanged(fd, size))) {
          this.offset = 0;
          this.lineNo = 0;
          this.partial = EMPTY;
          this.skipping = false;
          this.identity = undefined;
          reset = true;
          opts.onReset?.();
        }
      }
      const start = this.offset;
      big = size - this.offset > SMALL_BUFFER;
      buf = big ? takeChunk() : takeSmallBuffer();
      for (;;) {
        const want = Math.min(buf.length, size - this.offset);
        if (want <= 0) break;
        const bytesRead = await readAt(fd, buf, want, this.offset);
        if (bytesRead <= 0) break;
        if (this.offset === 0) {
          if (opts.rejectBinary && looksBinary(buf.subarray(0, bytesRead)))
            return { reset, bytesRead: 0, binary: true };
          // the file's identity from the bytes just read, rather than another read after the loop
          this.identity = buf.toString('latin1', 0, Math.min(IDENTITY_BYTES, bytesRead));
        }
        this.offset += bytesRead;
        this.consume(buf.subarray(0, bytesRead), onText, opts);
        if (!big && bytesRead === buf.length && size - this.offset > SMALL_BUFFER) {
          // more than a small read: the rest in large chunks
          returnSmallBuffer(buf);
          buf = takeChunk();
          big = true;
        }
      }
      this.flushPartial(onText, opts);
      return { reset, bytesRead: this.offset - start };
    } finally {
      if (buf) {
        if (big) returnChunk(buf);
        else returnSmallBuffer(buf);
      }
      await closeFile(fd);
    }
  }

  /**
   * Turns a chunk into text of complete lines for onText: the pending partial line completed first, then the
   * chunk's whole lines in pieces; the chunk's unfinished last line is kept for next time.
   */
  private consume(chunk: Buffer, onText: (text: string) => void, opts: TailReadOptions): void {
    let data = chunk;
    if (this.skipping || this.partial.length) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        if (!this.skipping) this.keepPartial(Buffer.concat([this.partial, chunk]), opts);
        return;
      }
      if (this.skipping) {
        this.skipping = false; // the overlong line ends here; it was counted when it was dropped
      } else if (this.partial.length + nl > this.maxLineBytes) {
        this.lineNo++;
        opts.onOverlong?.(this.lineNo, this.partial.length + nl);
        this.partial = EMPTY;
      } else {
        // Complete the pending line from the chunk's head instead of concatenating the whole chunk (a 4 MiB copy).
        const head = Buffer.concat([this.partial, chunk.subarray(0, nl)]);
        this.partial = EMPTY;
        onText(decode(head, isAscii(head)));
      }
      data = chunk.subarray(nl + 1);
    }
    const lastNl = data.lastIndexOf(10);
    if (lastNl < 0) {
      this.keepPartial(ownCopy(data), opts); // copy: `data` may be the reused chunk buffer
      return;
    }
    this.partial = ownCopy(data.subarray(lastNl + 1));
    // Decode a piece of many lines at once, then split: far faster than decoding each line separately. Pieces stay
    // small (60 KiB): V8 allocates such strings in the young generation, where allocation is a pointer bump and
    // freeing is free; a string of 256 KiB or more goes to the large-object space (its own pages, mapped and
    // zeroed each time), which made decoding plus JSON.parse three times slower in measurements.
    const ascii = isAscii(data.subarray(0, lastNl));
    for (let pos = 0; pos <= lastNl;) {
      let stop = pos + DECODE_PIECE >= lastNl ? lastNl : data.lastIndexOf(10, pos + DECODE_PIECE);
      if (stop < pos) stop = data.indexOf(10, pos); // one line longer than a piece
      onText(decode(data.subarray(pos, stop), ascii));
      pos = stop + 1;
    }
  }

  /** Emits every line of `text` (complete lines joined by "\n", the last without one). */
  private lines(text: string, onRange: RangeHandler, opts: TailReadOptions): void {
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      const end = nl < 0 ? text.length : nl;
      if (end - from <= this.maxLineBytes) this.emit(text, from, end, onRange);
      else opts.onOverlong?.(++this.lineNo, end - from);
      if (nl < 0) break;
      from = nl + 1;
    }
  }

  private keepPartial(partial: Buffer, opts: TailReadOptions): void {
    if (partial.length <= this.maxLineBytes) {
      this.partial = partial;
      return;
    }
    this.lineNo++;
    opts.onOverlong?.(this.lineNo, partial.length);
    this.partial = EMPTY;
    this.skipping = true;
  }

  private emit(text: string, start: number, end: number, onRange: RangeHandler): void {
    this.lineNo++;
    onRange(text, start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end, this.lineNo);
  }

  private async identityChanged(fd: number, size: number): Promise<boolean> {
    if (!this.identity) return false;
    if (size < this.identity.length) return true;
    const now = Buffer.alloc(this.identity.length);
    const n = await readAt(fd, now, now.length, 0);
    return now.toString('latin1', 0, n) !== this.identity;
  }
}

/** Logs are nearly always ASCII, and for ASCII latin1 decoding gives the same string several times faster than UTF-8. */
function decode(b: Buffer, ascii: boolean): string {
  return b.toString(ascii ? 'latin1' : 'utf8');
}

/** True when the bytes look binary (a NUL in the first KiB): a log's name on a file that is not text. */
export function looksBinary(head: Buffer): boolean {
  return head.subarray(0, 1024).includes(0);
}

/**
 * Gives a stored table's memory back now (onTable copies what it keeps). The table crossed from the I/O thread in a
 * buffer of its own; left to the collector, it was freed only when the FileHead that brought it died, and a head
 * that waited in the read-ahead long enough to be promoted lives until the next full collection: the thread then
 * wrote every next table into fresh memory (a page fault per 4 KiB). Moving the memory into a new, unreferenced
 * buffer lets the next young-generation collection free it.
 */
function releaseValues(table: LogTable): void {
  const buffer = table.values.buffer;
  if (buffer instanceof ArrayBuffer && buffer.byteLength === table.values.byteLength && buffer.byteLength > 0)
    structuredClone(buffer, { transfer: [buffer] });
}
