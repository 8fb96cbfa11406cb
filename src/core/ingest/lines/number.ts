/** Exact powers of ten: every 10^k for k ≤ 22 is a double without rounding. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const TWO_53 = 9007199254740992;
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // index of the low word

/** The next double above (dir 1) or below (dir -1) a positive finite double. */
function neighbour(x: number, dir: 1 | -1): number {
  f64[0] = x;
  const lo = u32[LOW] + dir;
  if (lo === 0x100000000) {
    u32[LOW] = 0;
    u32[1 - LOW]++;
  } else if (lo === -1) {
    u32[LOW] = 0xffffffff;
    u32[1 - LOW]--;
  } else u32[LOW] = lo;
  return f64[0];
}

let prodLo = 0;
/** a·b = returned high part + prodLo, exactly (Dekker's product; no FMA in JS). */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  prodLo = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/**
 * Parses `text.slice(start, end)` as a number without making the substring, in JSON grammar
 * (`-?int(.digits)?([eE][+-]?digits)?`; with `lenient`, also a leading '+', '.5' and '5.' as Python's float() and
 * CSV writers allow). Returns NaN for anything else, including `nan`/`inf` spellings (callers report those).
 *
 * The result is the correctly rounded double, the same as JSON.parse/Number, computed from the digits:
 * - up to 2^53 with a power of ten up to 22: one multiplication or division of exact doubles (Clinger's fast path);
 * - 16 to 19 digits (Python's float reprs, what most logs hold) over a power of ten up to 22: the quotient in double,
 *   then the exact remainder (digits − quotient × 10^k, by Dekker's exact product) says whether the nearest double
 *   is the quotient or its neighbour;
 * - anything else, and the rare case too close to halfway between two doubles to decide: parseFloat on the substring.
 */
export function parseNumber(text: string, start: number, end: number, lenient = false): number {
  let i = start;
  let c = text.charCodeAt(i);
  const neg = c === 45;
  if (neg || (lenient && c === 43)) c = text.charCodeAt(++i);
  let hi = 0; // the first 15 significant digits
  let lo = 0; // the next (up to 4) digits
  let loDigits = 0;
  let sig = 0;
  let exact = true;
  let exp10 = 0;
  const intStart = i;
  while (c >= 48 && c <= 57) {
    const d = c - 48;
    if (sig === 0 && d === 0) {
      // a leading zero: not significant
    } else if (sig < 15) (hi = hi * 10 + d), sig++;
    else if (sig < 19) (lo = lo * 10 + d), loDigits++, sig++;
    else exact = false;
    c = text.charCodeAt(++i);
  }
  const intDigits = i - intStart;
  // JSON forbids leading zeros ("012"); Number() would read them, so they are not a number here either.
  if (!lenient && intDigits > 1 && text.charCodeAt(intStart) === 48) return NaN;
  let fracDigits = 0;
  if (c === 46) {
    c = text.charCodeAt(++i);
    const fracStart = i;
    while (c >= 48 && c <= 57) {
      const d = c - 48;
      if (sig === 0 && d === 0) exp10--;
      else if (sig < 15) (hi = hi * 10 + d), sig++, exp10--;
      else if (sig < 19) (lo = lo * 10 + d), loDigits++, sig++, exp10--;
      else exact = false;
      c = text.charCodeAt(++i);
    }
    fracDigits = i - fracStart;
    if (fracDigits === 0 && !lenient) return NaN;
  }
  if (intDigits + fracDigits === 0 || (intDigits === 0 && !lenient)) return NaN;
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++i);
    let expNeg = false;
    if (c === 43 || c === 45) {
      expNeg = c === 45;
      c = text.charCodeAt(++i);
    }
    const expStart = i;
    let e = 0;
    while (c >= 48 && c <= 57) {
      if (e < 100000) e = e * 10 + (c - 48);
      c = text.charCodeAt(++i);
    }
    if (i === expStart) return NaN;
    exp10 += expNeg ? -e : e;
  }
  if (i !== end) return NaN;
  // integer-part digits beyond the 19 kept ones scale the value up: counted here, then left to parseFloat
  if (!exact) return parseFloat(text.slice(start, end));
  let v: number;
  if (loDigits === 0) {
    if (hi === 0) return neg ? -0 : 0;
    if (exp10 > 22 || exp10 < -22) return parseFloat(text.slice(start, end));
    v = exp10 >= 0 ? hi * POW10[exp10] : hi / POW10[-exp10];
  } else {
    // W = hi·10^loDigits + lo, exactly: p + r with p = fl(hi·10^loDigits) and r a small integer
    const p = twoProduct(hi, POW10[loDigits]);
    const r = prodLo + lo;
    const w = p + r;
    if (w <= TWO_53 && w - p === r) {
      if (exp10 > 22 || exp10 < -22) return parseFloat(text.slice(start, end));
      v = exp10 >= 0 ? w * POW10[exp10] : w / POW10[-exp10];
    } else {
      if (exp10 >= 0 || exp10 < -22) return parseFloat(text.slice(start, end));
      const P = POW10[-exp10];
      v = w / P; // within about one unit in the last place of the true quotient
      for (let step = 0; ; step++) {
        const mh = twoProduct(v, P);
        const rem = p - mh + r - prodLo; // W − v·P: p − mh is exact (Sterbenz), the rest are small
        const dir = rem > 0 ? 1 : -1;
        const n = neighbour(v, dir);
        const half = (dir * (n - v) * P) / 2; // half the gap to the neighbour, scaled: exact (a power of two times P)
        const off = dir * rem - half;
        if (off < -half * 1e-9) break; // v is the nearest double
        // too close to halfway to decide here (or not converging): let the full algorithm decide
        if (off < half * 1e-9 || step === 2) return parseFloat(text.slice(start, end));
        v = n;
      }
    }
  }
  return neg ? -v : v;
}

/** `nan`, `inf`, `-inf`, `NaN`, `Infinity` (Python's str() and json.dumps, and most other writers). */
export function isNonFiniteWord(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len < 3 || len > 9) return false;
  return /^[-+]?(?:nan|inf|infinity)$/i.test(text.slice(start, end));
}
