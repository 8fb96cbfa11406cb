/**
 * A minimal protobuf wire-format decoder: enough to pull a few fields out of TensorBoard events and W&B records
 * without generated code or a dependency. Every read is bounds-checked against the message's end, so truncated or
 * damaged bytes raise a ProtoError naming the offset instead of yielding garbage.
 *
 * 64-bit integers are returned as JS numbers: exact up to 2^53, which covers every step count and timestamp a
 * training log holds; larger values lose low bits rather than failing.
 */
import { ProtoError } from '../../errors';

export const WIRE = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

const TWO_32 = 2 ** 32;
const MAX_GROUP_DEPTH = 32;

export class ProtoReader {
  pos: number;
  readonly end: number;
  private readonly view: DataView;

  /** Reads `buf[start, end)`; offsets in errors are relative to `buf`. */
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end)
      throw new ProtoError(`bad message bounds ${start}..${end}`, start);
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): void {
    if (this.pos + n > this.end)
      throw new ProtoError(`truncated: needs ${n} bytes, ${this.end - this.pos} left`, this.pos);
  }

  /** Next field key as [field number, wire type], or undefined at the end of the message. */
  tag(): [number, number] | undefined {
    if (this.done()) return undefined;
    const at = this.pos;
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new ProtoError('field number 0', at);
    return [field, wire];
  }

  // Halves of the last varint read; kept as fields so the hot path allocates nothing.
  private lo = 0;
  private hi = 0;

  /** Reads a varint of up to 10 bytes into `lo`/`hi` (two 32-bit halves, so no BigInt is needed). */
  private readVarint(): void {
    let lo = 0;
    let hi = 0;
    const start = this.pos;
    for (let i = 0; ; i++) {
      if (i >= 10) throw new ProtoError('varint longer than 10 bytes', start);
      this.need(1);
      const b = this.buf[this.pos++];
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28; // the low 4 bits finish the low word, the rest start the high word
        hi |= bits >> 4;
      } else hi |= bits << (7 * i - 32);
      if ((b & 0x80) === 0) break;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** An unsigned varint (uint32/uint64/enum/key). */
  varint(): number {
    this.readVarint();
    return this.hi * TWO_32 + this.lo;
  }

  /** A varint read as a two's-complement int64 (negative values are written as 10-byte varints). */
  int64(): number {
    this.readVarint();
    if (this.hi & 0x80000000) return -((~this.hi >>> 0) * TWO_32 + (~this.lo >>> 0) + 1);
    return this.hi * TWO_32 + this.lo;
  }

  /** int32 fields: negatives are sign-extended to 64 bits on the wire; the low 32 bits are the value. */
  int32(): number {
    this.readVarint();
    return this.lo | 0;
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  /** Claims the next n bytes: checks they are there, moves past them and returns where they start. */
  private take(n: number): number {
    this.need(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  fixed32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  fixed64(): number {
    const at = this.take(8);
    return this.view.getUint32(at + 4, true) * TWO_32 + this.view.getUint32(at, true);
  }

  float(): number {
    return this.view.getFloat32(this.take(4), true);
  }

  double(): number {
    return this.view.getFloat64(this.take(8), true);
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  bytes(): Uint8Array {
    const at = this.pos;
    const len = this.varint();
    if (this.pos + len > this.end)
      throw new ProtoError(`truncated: length ${len} runs past the end (${this.end - this.pos} bytes left)`, at);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    return Buffer.from(this.bytes()).toString('utf8');
  }

  /** A nested message as its own reader over the same buffer (offsets stay comparable). */
  message(): ProtoReader {
    const at = this.pos;
    const len = this.varint();
    if (this.pos + len > this.end)
      throw new ProtoError(`truncated: nested message of ${len} bytes runs past the end`, at);
    const r = new ProtoReader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  /**
   * Repeated numbers in either encoding: packed (one length-delimited run, the proto3 default) or one value per
   * field occurrence (proto2 and some writers). Pass the wire type seen with the field's tag.
   */
  repeated(wire: number, one: (r: ProtoReader) => number, out: number[] = []): number[] {
    if (wire === WIRE.LEN) {
      const sub = this.message();
      while (!sub.done()) out.push(one(sub));
    } else out.push(one(this));
    return out;
  }

  /** Skips one field's value by its wire type; groups (deprecated but legal) are skipped to their end tag. */
  skip(wire: number, depth = 0): void {
    const at = this.pos;
    if (wire === WIRE.VARINT) this.varint();
    else if (wire === WIRE.I64) this.take(8);
    else if (wire === WIRE.LEN) this.bytes();
    else if (wire === WIRE.I32) this.take(4);
    else if (wire === WIRE.SGROUP) {
      if (depth >= MAX_GROUP_DEPTH) throw new ProtoError('groups nested too deeply', at);
      for (;;) {
        const t = this.tag();
        if (!t) throw new ProtoError('group without end tag', at);
        if (t[1] === WIRE.EGROUP) return;
        this.skip(t[1], depth + 1);
      }
    } else throw new ProtoError(`invalid wire type ${wire}`, at);
  }
}
