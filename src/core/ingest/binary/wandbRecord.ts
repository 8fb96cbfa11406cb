import { ProtoReader, WIRE } from './protobuf';

/**
 * Decoding of the `wandb_internal.Record` protos stored in `.wandb` files (wandb/proto/wandb_internal.proto),
 * only what a metrics reader needs:
 *   Record { int64 num = 1; oneof { HistoryRecord history = 2; SummaryRecord summary = 3; ConfigRecord config = 5;
 *            RunRecord run = 17; … } }
 *   HistoryRecord { repeated HistoryItem item = 1; HistoryStep step = 2 { int64 num = 1; } }
 *   ConfigRecord / SummaryRecord { repeated Item update = 1; repeated Item remove = 2; }
 *   HistoryItem / ConfigItem / SummaryItem { string key = 1; repeated string nested_key = 2; string value_json = 16; }
 *   RunRecord { string run_id = 1; ConfigRecord config = 4; SummaryRecord summary = 5; string display_name = 8; }
 * Every other record kind (output, stats, telemetry, files…) is skipped by its wire type.
 */

export interface WbItem {
  /** `key`, or the `nested_key` path joined with dots. */
  key: string;
  valueJson: string;
}

export interface WbUpdate {
  update: WbItem[];
  remove: string[];
}

export type WbRecord =
  | { kind: 'history'; items: WbItem[]; step?: number }
  | ({ kind: 'config' } & WbUpdate)
  | ({ kind: 'summary' } & WbUpdate)
  | { kind: 'run'; runId: string; displayName: string; config?: WbUpdate; summary?: WbUpdate }
  | { kind: 'other' };

/** Decodes one record. Throws ProtoError on damaged bytes. */
export function decodeRecord(data: Uint8Array): WbRecord {
  const r = new ProtoReader(data);
  let out: WbRecord = { kind: 'other' };
  for (let t = r.tag(); t; t = r.tag()) {
    const [field, wire] = t;
    if (wire !== WIRE.LEN || ![2, 3, 5, 17].includes(field)) {
      r.skip(wire);
      continue;
    }
    const m = r.message();
    if (field === 2) out = history(m);
    else if (field === 3) out = { kind: 'summary', ...updates(m) };
    else if (field === 5) out = { kind: 'config', ...updates(m) };
    else out = run(m);
  }
  return out;
}

function item(r: ProtoReader): WbItem {
  let key = '';
  const nested: string[] = [];
  let valueJson = '';
  for (let t = r.tag(); t; t = r.tag()) {
    const [field, wire] = t;
    if (field === 1 && wire === WIRE.LEN) key = r.string();
    else if (field === 2 && wire === WIRE.LEN) nested.push(r.string());
    else if (field === 16 && wire === WIRE.LEN) valueJson = r.string();
    else r.skip(wire);
  }
  return { key: key || nested.join('.'), valueJson };
}

function history(r: ProtoReader): WbRecord {
  const items: WbItem[] = [];
  let step: number | undefined;
  for (let t = r.tag(); t; t = r.tag()) {
    const [field, wire] = t;
    if (field === 1 && wire === WIRE.LEN) items.push(item(r.message()));
    else if (field === 2 && wire === WIRE.LEN) {
      // proto3 leaves num out when it is 0, so a present HistoryStep without num means step 0
      const s = r.message();
      step = 0;
      for (let u = s.tag(); u; u = s.tag()) {
        if (u[0] === 1 && u[1] === WIRE.VARINT) step = s.int64();
        else s.skip(u[1]);
      }
    } else r.skip(wire);
  }
  return { kind: 'history', items, step };
}

function updates(r: ProtoReader): WbUpdate {
  const out: WbUpdate = { update: [], remove: [] };
  for (let t = r.tag(); t; t = r.tag()) {
    const [field, wire] = t;
    if (field === 1 && wire === WIRE.LEN) out.update.push(item(r.message()));
    else if (field === 2 && wire === WIRE.LEN) out.remove.push(item(r.message()).key);
    else r.skip(wire);
  }
  return out;
}

function run(r: ProtoReader): WbRecord {
  const out: WbRecord = { kind: 'run', runId: '', displayName: '' };
  for (let t = r.tag(); t; t = r.tag()) {
    const [field, wire] = t;
    if (field === 1 && wire === WIRE.LEN) out.runId = r.string();
    else if (field === 4 && wire === WIRE.LEN) out.config = updates(r.message());
    else if (field === 5 && wire === WIRE.LEN) out.summary = updates(r.message());
    else if (field === 8 && wire === WIRE.LEN) out.displayName = r.string();
    else r.skip(wire);
  }
  return out;
}

/** Removes W&B media objects (images, tables, histograms: dicts with a `_type`), whose numbers are not metrics. */
export function dropMedia(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(dropMedia);
  if ('_type' in v) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const kept = dropMedia(x);
    if (kept !== undefined) out[k] = kept;
  }
  return out;
}
