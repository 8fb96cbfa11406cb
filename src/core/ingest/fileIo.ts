import { close, fstat, open, read, stat } from 'node:fs';
import { promisify } from 'node:util';

/**
 * File calls through Node's callback API rather than fs/promises' FileHandle: a folder of 10,000 small runs makes
 * tens of thousands of them, and per call a FileHandle (an object with a close hook) plus its promise machinery cost
 * about twice the main-thread time of a plain file descriptor. Same libuv thread pool, same bounded parallelism.
 */

export const openFile: (path: string) => Promise<number> = (path) => promisify(open)(path, 'r');
export const closeFile: (fd: number) => Promise<void> = promisify(close);
const readFd = promisify(read);
const fstatFd = promisify(fstat);
const statPath = promisify(stat);

/** Reads up to `length` bytes at `position` into the start of `buf`; resolves with the count read (0 at the end). */
export async function readAt(fd: number, buf: Buffer, length: number, position: number): Promise<number> {
  return (await readFd(fd, buf, 0, length, position)).bytesRead;
}

export async function sizeOfFd(fd: number): Promise<number> {
  return (await fstatFd(fd)).size;
}

/** The size of a path's target (links followed), or -1 when it is not a regular file or cannot be stat-ed. */
export async function fileSizeOrMissing(path: string): Promise<number> {
  try {
    const st = await statPath(path);
    return st.isFile() ? st.size : -1;
  } catch {
    return -1;
  }
}

/** Buffers of 64 KiB returned after a read, for the next one (a few reads are in flight at once). */
const spare: Buffer[] = [];
export const SMALL_BUFFER = 64 << 10;

/** A 64 KiB scratch buffer; give it back with returnSmallBuffer once its bytes are consumed. */
export function takeSmallBuffer(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafeSlow(SMALL_BUFFER);
}

export function returnSmallBuffer(b: Buffer): void {
  if (spare.length < 128) spare.push(b);
}

export const NO_BYTES = Buffer.alloc(0);
const CHUNK = 4 << 20; // 4 MiB: large enough that syscalls are cheap, small enough that memory stays flat
/**
 * Chunk buffers returned after a read, for the next one: a fresh 4 MiB buffer per file costs page faults on every
 * first touch, a reused one does not. A few readers read large files at once (see Catalog), so the pool stays small.
 */
const spareChunks: Buffer[] = [];

/** A 4 MiB buffer for reading a large file; give it back with returnChunk. */
export function takeChunk(): Buffer {
  return spareChunks.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
}

export function returnChunk(b: Buffer): void {
  spareChunks.push(b);
}

/**
 * A copy with memory of its own. Buffer.from() of a small buffer takes a slice of Node's shared 8 KiB pool, and the
 * slice keeps the whole slab alive: a short partial line kept per tail, over 10,000 runs, pinned 8 KiB each.
 */
export function ownCopy(b: Buffer): Buffer {
  if (!b.length) return NO_BYTES;
  const out = Buffer.allocUnsafeSlow(b.length);
  b.copy(out);
  return out;
}
