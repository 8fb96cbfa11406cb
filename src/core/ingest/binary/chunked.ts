import type { FileHandle } from 'node:fs/promises';

const CHUNK = 4 << 20; // 4 MiB: few syscalls, flat memory whatever the file size

/**
 * Random-access reads over an open file through one sliding window, for record parsers that walk forward.
 * Small sequential reads are served from the window; a read outside it refills the window from that offset
 * (larger than a chunk only when one record is larger). Never holds more than one window in memory.
 */
export class ChunkedReader {
  private win: Buffer = Buffer.alloc(0);
  private winStart = 0;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  /** `len` bytes at `pos` if the window already holds them: a synchronous fast path for small records. */
  peek(pos: number, len: number): Buffer | undefined {
    if (pos >= this.winStart && pos + len <= this.winStart + this.win.length && pos + len <= this.size) {
      return this.win.subarray(pos - this.winStart, pos - this.winStart + len);
    }
    return undefined;
  }

  /**
   * `len` bytes at `pos`, or undefined when the file (as of `size`) ends first. The result is a view into the
   * window: copy it to keep it past the next call.
   */
  async bytes(pos: number, len: number): Promise<Buffer | undefined> {
    if (pos < 0 || len < 0 || pos + len > this.size) return undefined;
    const hit = this.peek(pos, len);
    if (hit) return hit;
    const want = Math.min(Math.max(len, CHUNK), this.size - pos);
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.fh.read(buf, got, want - got, pos + got);
      if (bytesRead <= 0) break; // shrank while we read: the caller sees "not there yet"
      got += bytesRead;
    }
    this.win = buf.subarray(0, got);
    this.winStart = pos;
    return got >= len ? this.win.subarray(0, len) : undefined;
  }
}
