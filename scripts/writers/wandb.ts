import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { stringify } from 'yaml';
import { ProtoWriter } from './proto';

/**
 * Writes W&B offline run folders the way wandb's DataStore (wandb/sdk/internal/datastore.py) writes them:
 * a 7-byte header ":W&B" 0xBEE1 0, then 32 KiB blocks of chunks `crc32 LE | len u16 LE | type | data`, where the
 * CRC is zlib's CRC-32 of the data seeded with the CRC of the type byte, a block tail under 7 bytes is zero-padded,
 * and a record too big for the room left is split FIRST / MIDDLE… / LAST. The CRC comes from node:zlib, not from
 * the reader's own code, so a CRC bug in the reader cannot cancel out.
 */

export const BLOCK = 32 * 1024;
const HEADER = 7;
const FILE_HEADER = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]);

/** JSON as Python's json.dumps writes it, with bare NaN/Infinity. */
export function pyJson(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return JSON.stringify(v);
}

function chunk(type: number, data: Buffer): Buffer {
  const h = Buffer.alloc(HEADER);
  h.writeUInt32LE(crc32(data, crc32(Buffer.of(type))) >>> 0, 0);
  h.writeUInt16LE(data.length, 4);
  h[6] = type;
  return Buffer.concat([h, data]);
}

/**
 * Frames serialized records as they would be appended to a file currently `offset` bytes long (0 = new file:
 * the file header is included). Mirrors DataStore._write_data, including padding and FIRST/MIDDLE/LAST splits.
 */
export function wandbFrames(records: Uint8Array[], offset = 0): Buffer {
  const out: Buffer[] = [];
  let index = offset;
  const push = (b: Buffer): void => {
    out.push(b);
    index += b.length;
  };
  if (offset === 0) push(FILE_HEADER);
  for (const rec of records) {
    const s = Buffer.from(rec);
    let left = BLOCK - (index % BLOCK);
    if (left < HEADER) {
      push(Buffer.alloc(left));
      left = BLOCK;
    }
    if (s.length + HEADER <= left) {
      push(chunk(1, s));
      continue;
    }
    let used = left - HEADER;
    push(chunk(2, s.subarray(0, used)));
    while (s.length - used > BLOCK - HEADER) {
      push(chunk(3, s.subarray(used, used + BLOCK - HEADER)));
      used += BLOCK - HEADER;
    }
    push(chunk(4, s.subarray(used)));
  }
  return Buffer.concat(out);
}

function item(key: string, value: unknown): ProtoWriter {
  return new ProtoWriter().string(1, key).string(16, pyJson(value));
}

function updates(obj: Record<string, unknown>): ProtoWriter {
  const w = new ProtoWriter();
  for (const [k, v] of Object.entries(obj)) w.message(1, item(k, v));
  return w;
}

/** Record { num = 1; <kind> = field } */
function record(num: number, field: number, body: ProtoWriter): Buffer {
  return new ProtoWriter().varint(1, num).message(field, body).finish();
}

/** Record encoders, for tests that build logs record by record. `num` is the record's sequence number. */
export const wandbRecord = {
  header: (num: number): Buffer => record(num, 21, new ProtoWriter()),
  run: (num: number, runId: string, config: Record<string, unknown> = {}, project = 'scaling'): Buffer =>
    record(
      num,
      17,
      new ProtoWriter().string(1, runId).string(3, project).message(4, updates(config)).string(8, `run-${runId}`),
    ),
  config: (num: number, config: Record<string, unknown>, remove: string[] = []): Buffer => {
    const w = updates(config);
    for (const k of remove) w.message(2, new ProtoWriter().string(1, k));
    return record(num, 5, w);
  },
  /** One wandb.log() call: items in dict order, then HistoryStep (left empty for step 0, as proto3 does). */
  history: (num: number, row: Record<string, unknown>, step: number): Buffer => {
    const w = new ProtoWriter();
    for (const [k, v] of Object.entries(row)) w.message(1, item(k, v));
    w.message(2, step === 0 ? new ProtoWriter() : new ProtoWriter().varint(1, step));
    return record(num, 2, w);
  },
  summary: (num: number, summary: Record<string, unknown>): Buffer => record(num, 3, updates(summary)),
  exit: (num: number, runtime: number): Buffer => record(num, 18, new ProtoWriter().varint(2, Math.round(runtime))),
  final: (num: number): Buffer => record(num, 20, new ProtoWriter()),
};

export interface WandbRunSpec {
  runId: string;
  config?: Record<string, unknown>;
  /** One entry per wandb.log() call. `_step`/`_timestamp` are filled in when absent. */
  history: Record<string, number>[];
  /** Extra summary values (e.g. n_params); the last value of every history key is added like wandb does. */
  summary?: Record<string, unknown>;
  /** Unix seconds of wandb.init(); default 1.7e9. */
  startTime?: number;
  /** Also write files/config.yaml in W&B's `{desc, value}` style (default true). */
  configYaml?: boolean;
  /** Also write files/wandb-summary.json (default true). */
  summaryJson?: boolean;
  /** Leave the run unfinished: no summary, exit or final record (a run still training). */
  live?: boolean;
}

/** `<wandbDir>/offline-run-<YYYYMMDD_HHMMSS>-<runId>`, the folder wandb.init(mode="offline") creates. */
export function wandbOfflineRunDir(wandbDir: string, runId: string, startTime = 1.7e9): string {
  const d = new Date(startTime * 1000).toISOString(); // 2023-11-14T22:13:20.000Z
  const stamp = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}_${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)}`;
  return join(wandbDir, `offline-run-${stamp}-${runId}`);
}

/** The history rows with wandb's bookkeeping keys, as `wandb.log` records them. */
export function wandbRows(spec: WandbRunSpec): { row: Record<string, number>; step: number }[] {
  const start = spec.startTime ?? 1.7e9;
  return spec.history.map((h, i) => {
    const step = '_step' in h ? h._step : i;
    const ts = '_timestamp' in h ? h._timestamp : start + 10 * (i + 1);
    return { row: { ...h, _timestamp: ts, _runtime: ts - start, _step: step }, step };
  });
}

/**
 * Writes a whole offline run into `runDir` (the offline-run-… folder; see wandbOfflineRunDir): `run-<id>.wandb`
 * and, unless turned off, files/config.yaml and files/wandb-summary.json. Returns the `.wandb` path.
 */
export function writeWandbRun(runDir: string, spec: WandbRunSpec): string {
  mkdirSync(join(runDir, 'files'), { recursive: true });
  const config = spec.config ?? {};
  const rows = wandbRows(spec);
  let num = 0;
  const recs = [wandbRecord.header(++num), wandbRecord.run(++num, spec.runId, config)];
  for (const { row, step } of rows) recs.push(wandbRecord.history(++num, row, step));
  const summary: Record<string, unknown> = {};
  for (const { row } of rows) Object.assign(summary, row);
  Object.assign(summary, spec.summary ?? {});
  if (!spec.live) {
    const runtime = Number(summary._runtime ?? 0);
    recs.push(wandbRecord.summary(++num, summary), wandbRecord.exit(++num, runtime), wandbRecord.final(++num));
  }
  const path = join(runDir, `run-${spec.runId}.wandb`);
  writeFileSync(path, wandbFrames(recs));
  if (spec.configYaml !== false) {
    const yaml: Record<string, unknown> = {
      _wandb: { desc: null, value: { cli_version: '0.17.0', python_version: '3.10.12' } },
    };
    for (const [k, v] of Object.entries(config)) yaml[k] = { desc: null, value: v };
    writeFileSync(join(runDir, 'files', 'config.yaml'), stringify(yaml));
  }
  if (spec.summaryJson !== false && !spec.live) {
    writeFileSync(
      join(runDir, 'files', 'wandb-summary.json'),
      JSON.stringify({ ...summary, _wandb: { runtime: summary._runtime } }),
    );
  }
  return path;
}

/** Appends records to an existing `.wandb` file, continuing its block layout (a live run logging more). */
export function appendWandbRecords(path: string, records: Uint8Array[]): void {
  const size = existsSync(path) ? statSync(path).size : 0;
  appendFileSync(path, wandbFrames(records, size));
}
