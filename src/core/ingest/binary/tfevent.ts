import { ProtoReader, WIRE } from './protobuf';

/**
 * Decoding of TensorFlow's `Event` protos (tensorflow/core/util/event.proto, summary.proto, tensor.proto), only
 * the fields a scalar reader needs. Field numbers:
 *   Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 *   Summary { repeated Value value = 1; }
 *   Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
 *   SummaryMetadata { PluginData plugin_data = 1 { string plugin_name = 1; } }
 *   TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2 { repeated Dim dim = 2 { int64 size = 1; } };
 *                 bytes tensor_content = 4; repeated float float_val = 5; repeated double double_val = 6;
 *                 repeated int32 int_val = 7; repeated int64 int64_val = 10; }
 */

export const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, INT64: 9 } as const;

export interface TfScalar {
  tag: string;
  value: number;
  /** plugin_name from the value's metadata; TensorBoard writes it on the first value of each tag only. */
  plugin?: string;
}

export interface TfEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars: TfScalar[];
  /** Tags whose value was not a scalar (images, histograms, text…), with their plugin when stated. */
  others: { tag: string; plugin?: string }[];
}

/** Decodes one event record's payload. Throws ProtoError on damaged bytes. */
export function decodeEvent(data: Uint8Array): TfEvent {
  const ev: TfEvent = { wallTime: NaN, step: 0, scalars: [], others: [] };
  const r = new ProtoReader(data);
  for (let t = r.tag(); t; t = r.tag()) {
    const [field, wire] = t;
    if (field === 1 && wire === WIRE.I64) ev.wallTime = r.double();
    else if (field === 2 && wire === WIRE.VARINT) ev.step = r.int64();
    else if (field === 3 && wire === WIRE.LEN) ev.fileVersion = r.string();
    else if (field === 5 && wire === WIRE.LEN) readSummary(r.message(), ev);
    else r.skip(wire);
  }
  return ev;
}

function readSummary(r: ProtoReader, ev: TfEvent): void {
  for (let t = r.tag(); t; t = r.tag()) {
    if (t[0] === 1 && t[1] === WIRE.LEN) readValue(r.message(), ev);
    else r.skip(t[1]);
  }
}

function readValue(r: ProtoReader, ev: TfEvent): void {
  let tag = '';
  let plugin: string | undefined;
  let value: number | undefined;
  for (let t = r.tag(); t; t = r.tag()) {
    const [field, wire] = t;
    if (field === 1 && wire === WIRE.LEN) tag = r.string();
    else if (field === 2 && wire === WIRE.I32) value = r.float();
    else if (field === 8 && wire === WIRE.LEN) value = tensorScalar(r.message());
    else if (field === 9 && wire === WIRE.LEN) plugin = pluginName(r.message());
    else r.skip(wire);
  }
  if (value !== undefined) ev.scalars.push({ tag, value, plugin });
  else ev.others.push({ tag, plugin });
}

function pluginName(r: ProtoReader): string | undefined {
  let name: string | undefined;
  for (let t = r.tag(); t; t = r.tag()) {
    if (t[0] === 1 && t[1] === WIRE.LEN) {
      const pd = r.message();
      for (let u = pd.tag(); u; u = pd.tag()) {
        if (u[0] === 1 && u[1] === WIRE.LEN) name = pd.string();
        else pd.skip(u[1]);
      }
    } else r.skip(t[1]);
  }
  return name;
}

/** Elements in a TensorShapeProto, or -1 for unknown rank. An absent shape is a scalar. */
function shapeSize(r: ProtoReader): number {
  let n = 1;
  for (let t = r.tag(); t; t = r.tag()) {
    if (t[0] === 2 && t[1] === WIRE.LEN) {
      const dim = r.message();
      let size = 0;
      for (let u = dim.tag(); u; u = dim.tag()) {
        if (u[0] === 1 && u[1] === WIRE.VARINT) size = dim.int64();
        else dim.skip(u[1]);
      }
      n *= size;
    } else if (t[0] === 3 && t[1] === WIRE.VARINT) {
      if (r.bool()) n = -1;
    } else r.skip(t[1]);
  }
  return n;
}

/**
 * The value of a one-element numeric tensor (TF2 `tf.summary.scalar` style), or undefined for anything else:
 * strings, histograms, images, empty tensors. The value may sit in the typed list or in packed `tensor_content`.
 */
function tensorScalar(r: ProtoReader): number | undefined {
  let dtype = 0;
  let elements = 1;
  let content: Uint8Array | undefined;
  const vals: number[] = [];
  for (let t = r.tag(); t; t = r.tag()) {
    const [field, wire] = t;
    if (field === 1 && wire === WIRE.VARINT) dtype = r.varint();
    else if (field === 2 && wire === WIRE.LEN) elements = shapeSize(r.message());
    else if (field === 4 && wire === WIRE.LEN) content = r.bytes();
    else if (field === 5 && (wire === WIRE.LEN || wire === WIRE.I32)) r.repeated(wire, (x) => x.float(), vals);
    else if (field === 6 && (wire === WIRE.LEN || wire === WIRE.I64)) r.repeated(wire, (x) => x.double(), vals);
    else if (field === 7 && (wire === WIRE.LEN || wire === WIRE.VARINT)) r.repeated(wire, (x) => x.int32(), vals);
    else if (field === 10 && (wire === WIRE.LEN || wire === WIRE.VARINT)) r.repeated(wire, (x) => x.int64(), vals);
    else r.skip(wire);
  }
  if (elements !== 1) return undefined;
  if (content && content.length > 0) {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    if (dtype === DT.FLOAT && content.length === 4) return view.getFloat32(0, true);
    if (dtype === DT.DOUBLE && content.length === 8) return view.getFloat64(0, true);
    if (dtype === DT.INT32 && content.length === 4) return view.getInt32(0, true);
    if (dtype === DT.INT64 && content.length === 8) return Number(view.getBigInt64(0, true));
    return undefined;
  }
  const numeric = dtype === DT.FLOAT || dtype === DT.DOUBLE || dtype === DT.INT32 || dtype === DT.INT64;
  return numeric && vals.length === 1 ? vals[0] : undefined;
}
