/**
 * A tiny protobuf encoder for test fixtures. It writes fields in the order they are added, which is what protoc's
 * generated serializers do when callers add them in field-number order (they always emit in field-number order).
 * Independent of the decoder under test on purpose: a shared bug would otherwise cancel out.
 */
export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private key(field: number, wire: number): void {
    this.rawVarint(BigInt(field * 8 + wire));
  }

  private rawVarint(v: bigint): void {
    const bytes: number[] = [];
    let x = BigInt.asUintN(64, v); // negative int64s are written as their 64-bit two's complement: 10 bytes
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x > 0n) b |= 0x80;
      bytes.push(b);
    } while (x > 0n);
    this.parts.push(Buffer.from(bytes));
  }

  varint(field: number, v: number | bigint): this {
    this.key(field, 0);
    this.rawVarint(BigInt(v));
    return this;
  }

  double(field: number, v: number): this {
    this.key(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.parts.push(b);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, 5);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
    return this;
  }

  fixed32(field: number, v: number): this {
    this.key(field, 5);
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.parts.push(b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, 2);
    this.rawVarint(BigInt(data.length));
    this.parts.push(Buffer.from(data));
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  packedFloats(field: number, vals: number[]): this {
    const b = Buffer.alloc(4 * vals.length);
    vals.forEach((v, i) => b.writeFloatLE(v, 4 * i));
    return this.bytes(field, b);
  }

  packedDoubles(field: number, vals: number[]): this {
    const b = Buffer.alloc(8 * vals.length);
    vals.forEach((v, i) => b.writeDoubleLE(v, 8 * i));
    return this.bytes(field, b);
  }

  /** Bytes written verbatim (to build damaged messages in tests). */
  raw(data: Uint8Array): this {
    this.parts.push(Buffer.from(data));
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}
