import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32c, maskCrc, maskedCrc32c } from '../../../src/core/ingest/binary/crc';
import { ProtoError } from '../../../src/core/errors';
import { ProtoReader, WIRE } from '../../../src/core/ingest/binary/protobuf';
import { ProtoWriter } from '../../../scripts/writers/proto';

const CHECK = Buffer.from('123456789');

test('CRC-32C and CRC-32 match their standard check values', () => {
  assert.equal(crc32c(CHECK), 0xe3069283);
  assert.equal(crc32(CHECK), 0xcbf43926);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
});

test('CRCs chain like zlib.crc32(data, seed) and agree with node:zlib', () => {
  const a = Buffer.from('Weights & ');
  const b = Buffer.from('Biases');
  assert.equal(crc32(b, crc32(a)), crc32(Buffer.concat([a, b])));
  assert.equal(crc32c(b, crc32c(a)), crc32c(Buffer.concat([a, b])));
  for (const s of ['', 'x', 'hello world', '\u0000\u0001\u00ff']) {
    const buf = Buffer.from(s, 'latin1');
    assert.equal(crc32(buf), zlibCrc32(buf) >>> 0, JSON.stringify(s));
  }
  // W&B's header magic is the low 16 bits of crc32("Weights & Biases")
  assert.equal(crc32(Buffer.from('Weights & Biases', 'latin1')) & 0xffff, 0xbee1);
});

test('masked CRC rotates right by 15 and adds 0xa282ead8', () => {
  assert.equal(maskCrc(0), 0xa282ead8);
  assert.equal(maskCrc(1), ((1 << 17) + 0xa282ead8) >>> 0);
  assert.equal(maskedCrc32c(CHECK), maskCrc(0xe3069283));
  // the guide's TFRecord example: masked crc of the length 26 as uint64 LE is 12 9b d8 2d
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(26n);
  assert.equal(maskedCrc32c(len), 0x2dd89b12);
});

test('varints decode across the 32-bit boundary and as signed int64/int32', () => {
  const vals = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 35 + 5, 2 ** 53 - 1];
  const w = new ProtoWriter();
  vals.forEach((v, i) => w.varint(i + 1, v));
  w.varint(20, -1)
    .varint(21, -5)
    .varint(22, -(2 ** 40))
    .varint(23, -7);
  const r = new ProtoReader(w.finish());
  for (let i = 0; i < vals.length; i++) {
    assert.deepEqual(r.tag(), [i + 1, WIRE.VARINT]);
    assert.equal(r.varint(), vals[i]);
  }
  r.tag();
  assert.equal(r.int64(), -1);
  r.tag();
  assert.equal(r.int64(), -5);
  r.tag();
  assert.equal(r.int64(), -(2 ** 40));
  r.tag();
  assert.equal(r.int32(), -7);
  assert.equal(r.tag(), undefined);
  assert.ok(r.done());
});

test('fixed-width, length-delimited and nested fields', () => {
  const inner = new ProtoWriter().string(1, 'loss').float(2, 2.5);
  const w = new ProtoWriter()
    .double(1, 1.7e9)
    .fixed32(2, 0xdeadbeef)
    .float(3, -0.125)
    .message(4, inner)
    .bytes(5, Buffer.of(1, 2, 3));
  const r = new ProtoReader(w.finish());
  r.tag();
  assert.equal(r.double(), 1.7e9);
  r.tag();
  assert.equal(r.fixed32(), 0xdeadbeef);
  r.tag();
  assert.equal(r.float(), -0.125);
  assert.deepEqual(r.tag(), [4, WIRE.LEN]);
  const m = r.message();
  m.tag();
  assert.equal(m.string(), 'loss');
  m.tag();
  assert.equal(m.float(), 2.5);
  assert.ok(m.done());
  r.tag();
  assert.deepEqual([...r.bytes()], [1, 2, 3]);
});

test('repeated numbers read packed and unpacked alike', () => {
  const packed = new ProtoWriter().packedFloats(5, [1.5, 2.5, -3]).finish();
  const unpacked = new ProtoWriter().float(5, 1.5).float(5, 2.5).float(5, -3).finish();
  for (const buf of [packed, unpacked]) {
    const r = new ProtoReader(buf);
    const out: number[] = [];
    for (let t = r.tag(); t; t = r.tag()) r.repeated(t[1], (x) => x.float(), out);
    assert.deepEqual(out, [1.5, 2.5, -3]);
  }
});

test('unknown fields of every wire type are skipped, groups included', () => {
  const group = Buffer.of((9 << 3) | WIRE.SGROUP, 0x08, 0x01, (9 << 3) | WIRE.EGROUP);
  const w = new ProtoWriter()
    .varint(1, 2 ** 40)
    .double(2, 1)
    .string(3, 'skip me')
    .fixed32(4, 7)
    .raw(group)
    .string(10, 'kept');
  const r = new ProtoReader(w.finish());
  let kept = '';
  for (let t = r.tag(); t; t = r.tag()) {
    if (t[0] === 10) kept = r.string();
    else r.skip(t[1]);
  }
  assert.equal(kept, 'kept');
});

test('truncated or malformed bytes throw a ProtoError naming the offset', () => {
  const good = new ProtoWriter().varint(1, 150).string(2, 'hello').double(3, 1).finish();
  const fieldEnds = new Set([3, 10]); // a cut exactly between fields is a shorter valid message
  for (let cut = 1; cut < good.length; cut++) {
    if (fieldEnds.has(cut)) continue;
    const r = new ProtoReader(good.subarray(0, cut));
    assert.throws(
      () => {
        for (let t = r.tag(); t; t = r.tag()) r.skip(t[1]);
        throw new Error(`cut at ${cut} read without complaint`);
      },
      (e: unknown) => e instanceof ProtoError && /truncated/.test(e.message) && /at byte \d+/.test(e.message),
    );
  }
  assert.throws(() => new ProtoReader(Buffer.alloc(11, 0xff)).varint(), /varint longer than 10 bytes/);
  assert.throws(() => {
    new ProtoReader(Buffer.of(0x0f)).skip(7);
  }, /invalid wire type 7/);
  assert.throws(() => new ProtoReader(Buffer.of(0x00)).tag(), /field number 0/);
  assert.throws(() => new ProtoReader(Buffer.of(0x0a, 0x05, 0x01)).message(), /runs past the end/);
  assert.throws(() => {
    new ProtoReader(Buffer.of(0x4b, 0x08, 0x01)).skip(WIRE.SGROUP);
  }, /group without end tag/);
});
