import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskedCrc32c } from '../../src/core/ingest/binary/crc';
import { ProtoWriter } from './proto';

/**
 * Writes TensorBoard event files the way the real writers do: TFRecord framing
 * (uint64 LE length | masked CRC-32C of the length | data | masked CRC-32C of the data) around `Event` protos,
 * a first record carrying `file_version: "brain.Event:2"`, then one Event per scalar.
 * - style 'simple' is PyTorch's SummaryWriter.add_scalar / tensorboardX / TF1: `Value{tag, simple_value}`.
 * - style 'tensor' is TF2's tf.summary.scalar: `Value{tag, tensor{dtype, tensor_shape{}, float_val|double_val or
 *   tensor_content}}`, with `metadata{plugin_data{plugin_name: "scalars"}, data_class: SCALAR}` on the first value
 *   of each tag only.
 * The CRC comes from the reader's module; tests pin it to the CRC-32C check value and to the guide's bytes.
 */

export interface TbScalar {
  tag: string;
  step: number;
  value: number;
  /** Seconds since the epoch; defaults to 1.7e9 + step. */
  wallTime?: number;
}

export interface TbWriteOptions {
  style?: 'simple' | 'tensor';
  /** Tensor style only: element type. */
  dtype?: 'float' | 'double';
  /** Tensor style only: value in float_val/double_val ('val'), or as packed bytes in tensor_content ('content'). */
  encoding?: 'val' | 'content';
  /** Write the leading `brain.Event:2` record (writeTfEvents only; default true). */
  fileVersion?: boolean;
  /** Tags that already got their plugin metadata in an earlier write to this file (tensor style). */
  seenTags?: Set<string>;
}

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DATA_CLASS_SCALAR = 1;

/** Frames one record: length, its masked CRC, the data, the data's masked CRC. */
export function encodeTfRecord(data: Uint8Array): Buffer {
  const head = Buffer.alloc(12);
  head.writeBigUInt64LE(BigInt(data.length), 0);
  head.writeUInt32LE(maskedCrc32c(head.subarray(0, 8)), 8);
  const foot = Buffer.alloc(4);
  foot.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([head, Buffer.from(data), foot]);
}

export function encodeFileVersionEvent(wallTime: number): Buffer {
  return new ProtoWriter().double(1, wallTime).string(3, 'brain.Event:2').finish();
}

function tensorValue(s: TbScalar, opts: TbWriteOptions, withMetadata: boolean): ProtoWriter {
  const dbl = opts.dtype === 'double';
  const tensor = new ProtoWriter().varint(1, dbl ? DT_DOUBLE : DT_FLOAT).message(2, new ProtoWriter()); // shape {} = scalar
  if (opts.encoding === 'content') {
    const b = Buffer.alloc(dbl ? 8 : 4);
    if (dbl) b.writeDoubleLE(s.value);
    else b.writeFloatLE(s.value);
    tensor.bytes(4, b);
  } else if (dbl) tensor.packedDoubles(6, [s.value]);
  else tensor.packedFloats(5, [s.value]);
  const v = new ProtoWriter().string(1, s.tag).message(8, tensor);
  if (withMetadata) {
    const pluginData = new ProtoWriter().string(1, 'scalars');
    v.message(9, new ProtoWriter().message(1, pluginData).varint(4, DATA_CLASS_SCALAR));
  }
  return v;
}

/** The Event proto (not framed) for one scalar. */
export function encodeScalarEvent(s: TbScalar, opts: TbWriteOptions = {}, withMetadata = false): Buffer {
  const value =
    opts.style === 'tensor' ? tensorValue(s, opts, withMetadata) : new ProtoWriter().string(1, s.tag).float(2, s.value);
  const ev = new ProtoWriter().double(1, s.wallTime ?? 1.7e9 + s.step);
  if (s.step !== 0) ev.varint(2, s.step); // proto3 leaves a zero step out
  return ev.message(5, new ProtoWriter().message(1, value)).finish();
}

/** Framed records for `scalars`, in order; marks tags in `opts.seenTags` as they get their metadata. */
export function tfEventRecords(scalars: TbScalar[], opts: TbWriteOptions = {}): Buffer {
  const seen = opts.seenTags ?? new Set<string>();
  const out: Buffer[] = [];
  for (const s of scalars) {
    const first = !seen.has(s.tag);
    seen.add(s.tag);
    out.push(encodeTfRecord(encodeScalarEvent(s, opts, first)));
  }
  return Buffer.concat(out);
}

/** The whole content of a new event file. */
export function tfEventsBytes(scalars: TbScalar[], opts: TbWriteOptions = {}): Buffer {
  const head =
    opts.fileVersion === false ? [] : [encodeTfRecord(encodeFileVersionEvent(scalars[0]?.wallTime ?? 1.7e9))];
  return Buffer.concat([...head, tfEventRecords(scalars, opts)]);
}

/** Creates (or replaces) an event file at `path`, making its folder. */
export function writeTfEvents(path: string, scalars: TbScalar[], opts: TbWriteOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, tfEventsBytes(scalars, opts));
}

/** Appends scalar records to an existing event file, as a live SummaryWriter does at each flush. */
export function appendTfEvents(path: string, scalars: TbScalar[], opts: TbWriteOptions = {}): void {
  appendFileSync(path, tfEventRecords(scalars, opts));
}

/** A real-looking file name: `events.out.tfevents.<unix secs>.<host>.<pid>.<n>` (PyTorch's pattern). */
export function tfEventsFileName(wallTime = 1.7e9, host = 'gpu-node-01', pid = 4242, n = 0): string {
  return `events.out.tfevents.${Math.floor(wallTime)}.${host}.${pid}.${n}`;
}
