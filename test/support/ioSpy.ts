import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/**
 * Counts the bytes read through FileHandle.read (what TextTail, ChunkedReader and the sniffers use) while `fn`
 * runs. It patches the FileHandle prototype for the duration only: a spy on the real reads, so a test can tell
 * "read only the appended bytes" from "read the whole file again". Measure one reader at a time.
 */
export async function countBytesRead<T>(fn: () => Promise<T>): Promise<{ result: T; bytes: number; calls: number }> {
  const probe = await open(__filename, 'r');
  const proto = Object.getPrototypeOf(probe) as { read: FileHandle['read'] };
  await probe.close();
  const original = proto.read;
  let bytes = 0;
  let calls = 0;
  proto.read = async function (this: FileHandle, ...args: unknown[]) {
    const res = await (original as (...a: unknown[]) => Promise<{ bytesRead: number }>).apply(this, args);
    bytes += res.bytesRead;
    calls++;
    return res;
  } as FileHandle['read'];
  try {
    const result = await fn();
    return { result, bytes, calls };
  } finally {
    proto.read = original;
  }
}
