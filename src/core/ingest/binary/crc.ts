/**
 * Checksums used by binary training logs:
 * - CRC-32C (Castagnoli), masked as TFRecord does, for TensorBoard event files;
 * - plain CRC-32 (zlib/IEEE), which W&B's DataStore uses for its LevelDB-style `.wandb` log.
 * Both are reflected CRCs that differ only in polynomial, so one table builder serves both.
 */

function makeTable(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

const CASTAGNOLI = makeTable(0x82f63b78);
const IEEE = makeTable(0xedb88320);

function update(table: Uint32Array, data: Uint8Array, seed: number): number {
  let c = ~seed >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32C of `data`; `seed` continues an earlier CRC (pass the previous result). */
export function crc32c(data: Uint8Array, seed = 0): number {
  return update(CASTAGNOLI, data, seed);
}

/** zlib-compatible CRC-32: `crc32(b, crc32(a))` equals `crc32(a ++ b)`, like Python's `zlib.crc32(data, value)`. */
export function crc32(data: Uint8Array, seed = 0): number {
  return update(IEEE, data, seed);
}

/**
 * TFRecord's masked CRC: rotate right by 15 and add a constant. TensorFlow masks because a CRC over data that
 * itself embeds CRCs is weak; readers must apply the same mask before comparing.
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32c(data));
}
