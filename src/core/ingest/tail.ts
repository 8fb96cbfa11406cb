import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';

const CHUNK = 4 << 20; // 4 MiB: large enough that syscalls are cheap, small enough that memory stays flat
const IDENTITY_BYTES = 64;

export interface TailResult {
  /** The file shrank or its first bytes changed: the caller must drop what it had; lines restart at 1. */
  reset: boolean;
  bytesRead: number;
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
  private partial: Buffer = Buffer.alloc(0);
  private identity: Buffer | undefined;

  constructor(readonly path: string) {}

  /** Line number (1-based) of the last line delivered, for diagnostics. */
  get line(): number {
    return this.lineNo;
  }

  get bytesConsumed(): number {
    return this.offset - this.partial.length;
  }

  /**
   * Calls onLine for every complete new line (without the newline and a trailing \r).
   * With `flush`, a final line without a newline is delivered too (used once a file is known complete).
   */
  async read(onLine: (line: string, lineNo: number) => void, flush = false): Promise<TailResult> {
    const fh = await open(this.path, 'r');
    try {
      const { size } = await fh.stat();
      let reset = false;
      if (size < this.offset || (await this.identityChanged(fh, size))) {
        this.offset = 0;
        this.lineNo = 0;
        this.partial = Buffer.alloc(0);
        this.identity = undefined;
        reset = true;
      }
      const start = this.offset;
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size - this.offset, 1)));
      while (this.offset < size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - this.offset), this.offset);
        if (bytesRead <= 0) break;
        this.offset += bytesRead;
        this.consume(buf.subarray(0, bytesRead), onLine);
      }
      if (!this.identity && size > 0) this.identity = await readAt(fh, 0, Math.min(IDENTITY_BYTES, size));
      if (flush && this.partial.length) {
        const last = this.partial.toString('utf8');
        this.partial = Buffer.alloc(0);
        this.emit(last, onLine);
      }
      return { reset, bytesRead: this.offset - start };
    } finally {
      await fh.close();
    }
  }

  private consume(chunk: Buffer, onLine: (line: string, lineNo: number) => void): void {
    let data = chunk;
    if (this.partial.length) {
      // Complete the pending line from the chunk's head instead of concatenating the whole chunk (a 4 MiB copy).
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.partial = Buffer.concat([this.partial, chunk]);
        return;
      }
      const head = Buffer.concat([this.partial, chunk.subarray(0, nl)]);
      this.partial = Buffer.alloc(0);
      this.emit(head.toString('utf8'), onLine);
      data = chunk.subarray(nl + 1);
    }
    const lastNl = data.lastIndexOf(10);
    if (lastNl < 0) {
      this.partial = Buffer.from(data); // copy: `data` may be the reused chunk buffer
      return;
    }
    // Decode once per chunk, then split: far faster than decoding each line separately. Logs are nearly always
    // ASCII, and for ASCII latin1 decoding gives the same string several times faster than the UTF-8 decoder.
    const body = data.subarray(0, lastNl);
    const text = isAscii(body) ? body.toString('latin1') : body.toString('utf8');
    this.partial = Buffer.from(data.subarray(lastNl + 1));
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      const line = nl < 0 ? text.slice(from) : text.slice(from, nl);
      this.emit(line, onLine);
      if (nl < 0) break;
      from = nl + 1;
    }
  }

  private emit(line: string, onLine: (line: string, lineNo: number) => void): void {
    this.lineNo++;
    onLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line, this.lineNo);
  }

  private async identityChanged(fh: import('node:fs/promises').FileHandle, size: number): Promise<boolean> {
    if (!this.identity) return false;
    if (size < this.identity.length) return true;
    const now = await readAt(fh, 0, this.identity.length);
    return !now.equals(this.identity);
  }
}

async function readAt(fh: import('node:fs/promises').FileHandle, pos: number, len: number): Promise<Buffer> {
  const b = Buffer.alloc(len);
  const { bytesRead } = await fh.read(b, 0, len, pos);
  return b.subarray(0, bytesRead);
}

/** True when the bytes look binary (a NUL in the first KiB): a log's name on a file that is not text. */
export function looksBinary(head: Buffer): boolean {
  return head.subarray(0, 1024).includes(0);
}
