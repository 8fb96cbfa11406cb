/** Exact powers of ten: every 10^k for k ≤ 22 is a double without rounding. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MAX_EXACT = 9007199254740991; // 2^53 - 1

/**
 * Parses `text.slice(start, end)` as a number without making the substring, in JSON grammar
 * (`-?int(.digits)?([eE][+-]?digits)?`; with `lenient`, also a leading '+', '.5' and '5.' as Python's float() and
 * CSV writers allow). Returns NaN for anything else, including `nan`/`inf` spellings (callers report those).
 *
 * The result is the correctly rounded double, the same as JSON.parse/Number: when the digits fit in 2^53 and the
 * power of ten is at most 22, one multiplication or division of two exact doubles rounds once (Clinger's fast
 * path); longer numbers (Python's 17-digit reprs) go to Number() on the substring.
 */
export function parseNumber(text: string, start: number, end: number, lenient = false): number {
  let i = start;
  let c = text.charCodeAt(i);
  const neg = c === 45;
  if (neg || (lenient && c === 43)) c = text.charCodeAt(++i);
  let mant = 0;
  let exact = true;
  let exp10 = 0;
  const intStart = i;
  while (c >= 48 && c <= 57) {
    const next = mant * 10 + (c - 48);
    if (next <= MAX_EXACT) mant = next;
    else {
      exact = false;
      exp10++;
    }
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
      const next = mant * 10 + (c - 48);
      if (next <= MAX_EXACT) {
        mant = next;
        exp10--;
      } else exact = false;
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
  if (!exact || exp10 > 22 || exp10 < -22) return Number(text.slice(start, end));
  const v = exp10 >= 0 ? mant * POW10[exp10] : mant / POW10[-exp10];
  return neg ? -v : v;
}

/** `nan`, `inf`, `-inf`, `NaN`, `Infinity` (Python's str() and json.dumps, and most other writers). */
export function isNonFiniteWord(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len < 3 || len > 9) return false;
  return /^[-+]?(?:nan|inf|infinity)$/i.test(text.slice(start, end));
}
