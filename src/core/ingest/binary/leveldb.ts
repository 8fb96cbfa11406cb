import type { ChunkedReader } from './chunked';
import { crc32 } from './crc';

/**
 * The LevelDB-log framing of W&B's `run-<id>.wandb` files (wandb/sdk/internal/datastore.py; the Go core's
 * pkg/leveldb writes the same layout):
 *   file header (7 bytes): ":W&B" | uint16 LE 0xBEE1 | uint8 version 0
 *   then 32 KiB blocks counted from the start of the file (the header sits in block 0), each holding chunks
 *   crc:uint32 LE | length:uint16 LE | type:uint8 (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST) | data[length].
 * A chunk never crosses a block boundary; a block tail under 7 bytes is zero padding. A record larger than the
 * room left is split into FIRST, MIDDLE… and LAST chunks. The CRC is zlib's CRC-32 over the type byte then the data
 * (Python: `zlib.crc32(data, zlib.crc32(bytes([type])))`; Go: IEEE CRC over buf[type:end], the same value).
 */

export const WANDB_HEADER = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]);
export const BLOCK = 32 * 1024;
export const CHUNK_HEADER = 7;
export const CHUNK = { FULL: 1, FIRST: 2, MIDDLE: 3, LAST: 4 } as const;

const TYPE_NAME = ['', 'FULL', 'FIRST', 'MIDDLE', 'LAST'];
const TYPE_SEED = TYPE_NAME.map((_, t) => crc32(Uint8Array.of(t)));

/** The CRC a chunk of `type` carrying `data` must have. */
export function chunkCrc(type: number, data: Uint8Array): number {
  return crc32(data, TYPE_SEED[type] ?? crc32(Uint8Array.of(type)));
}

/** Where a scan stopped: always a record boundary, so the next scan resumes cleanly. */
export interface LogPosition {
  offset: number;
  /** Inside a multi-chunk record whose earlier chunk was damaged: its remaining chunks are dropped. */
  skipping: boolean;
}

export interface LogSink {
  record(data: Buffer, pos: number): void;
  problem(pos: number, message: string): void;
}

/**
 * Delivers every complete record from `from` to the end of what is on disk. A record whose chunks are not all
 * written yet is left for the next scan (the returned position is its first chunk). Damage is reported and
 * stepped over: a bad checksum drops that record, a header that cannot be right skips to the next block.
 */
export async function scanLog(r: ChunkedReader, from: LogPosition, sink: LogSink): Promise<LogPosition> {
  let pos = from.offset;
  let skipping = from.skipping;
  let done: LogPosition = { ...from };
  let parts: Buffer[] = [];
  let recStart = pos;
  const commit = (): void => {
    if (!parts.length && pos <= r.size) done = { offset: pos, skipping };
  };
  for (;;) {
    const left = BLOCK - (pos % BLOCK);
    if (left < CHUNK_HEADER) {
      pos += left; // trailer padding
      commit();
      continue;
    }
    const h = r.peek(pos, CHUNK_HEADER) ?? (await r.bytes(pos, CHUNK_HEADER));
    if (!h) break;
    const crc = h.readUInt32LE(0);
    const len = h.readUInt16LE(4);
    const type = h[6];
    if (crc === 0 && len === 0 && type === 0) {
      // Zeroed space (preallocated or damaged): LevelDB readers skip the rest of the block.
      if (pos - (pos % BLOCK) + BLOCK > r.size) break;
      pos += left;
      commit();
      continue;
    }
    if (type < CHUNK.FULL || type > CHUNK.LAST || CHUNK_HEADER + len > left) {
      sink.problem(pos, `invalid chunk header (type ${type}, length ${len}); skipping to the next 32 KiB block`);
      if (parts.length) sink.problem(recStart, 'a record split over several chunks lost its remaining chunks; dropped');
      parts = [];
      skipping = true;
      pos += left;
      commit();
      continue;
    }
    const chunkPos = pos;
    const data = r.peek(pos + CHUNK_HEADER, len) ?? (await r.bytes(pos + CHUNK_HEADER, len));
    if (!data) break; // still being written
    pos += CHUNK_HEADER + len;
    if (chunkCrc(type, data) !== crc) {
      sink.problem(
        chunkPos,
        `chunk checksum mismatch (${TYPE_NAME[type]} chunk of ${len} bytes); its record is skipped`,
      );
      parts = [];
      skipping = type === CHUNK.FIRST || type === CHUNK.MIDDLE; // the rest of that record follows: drop it too
      commit();
      continue;
    }
    if (type === CHUNK.FULL || type === CHUNK.FIRST) {
      if (parts.length) sink.problem(recStart, 'record missing its LAST chunk; dropped');
      parts = [];
      skipping = false;
      if (type === CHUNK.FULL) sink.record(Buffer.from(data), chunkPos);
      else {
        parts = [Buffer.from(data)]; // copy: `data` is a view into the read window
        recStart = chunkPos;
      }
    } else if (skipping) {
      if (type === CHUNK.LAST) skipping = false;
    } else if (!parts.length) {
      sink.problem(chunkPos, `${TYPE_NAME[type]} chunk without a FIRST chunk; skipped`);
      skipping = type === CHUNK.MIDDLE;
    } else {
      parts.push(Buffer.from(data));
      if (type === CHUNK.LAST) {
        const whole = Buffer.concat(parts);
        parts = [];
        sink.record(whole, recStart);
      }
    }
    commit();
  }
  return done;
}

/** 'ok', 'short' (fewer than 7 bytes so far) or a description of what is wrong with the file header. */
export function checkHeader(head: Buffer | undefined): string {
  if (!head || head.length < WANDB_HEADER.length) return 'short';
  if (head.subarray(0, 4).toString('latin1') !== ':W&B')
    return `not a W&B run log: the file does not start with ":W&B" (found ${head.subarray(0, 4).toString('hex')})`;
  const magic = head.readUInt16LE(4);
  if (magic !== 0xbee1) return `not a W&B run log: magic 0x${magic.toString(16)} instead of 0xbee1`;
  if (head[6] !== 0) return `W&B run log version ${head[6]} is not supported (expected 0)`;
  return 'ok';
}
