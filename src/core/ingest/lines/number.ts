/** Exact powers of ten: every 10^k for k ≤ 22 is a double without rounding. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Longer text goes to Number(): for Python's 17-digit reprs V8's own conversion beats any digit loop in JS. */
const SHORT = 15;

/**
 * The number in `text.slice(start, end)`, as Number() reads it (NaN for an empty range), without making the
 * substring when the text is short: steps, epochs and rounded values ("49", "3.5", "1e-05") are read digit by digit
 * (at most 15 digits over a power of ten up to 22: one exact multiplication or division, Clinger's fast path, so the
 * result is the correctly rounded double). Anything longer or unusual goes to Number() on the substring.
 */
export function parseNumber(text: string, start: number, end: number): number {
  if (end - start > SHORT || end <= start) return end <= start ? NaN : Number(text.slice(start, end));
  let i = start;
  let c = text.charCodeAt(i);
  const neg = c === 45;
  if (neg || c === 43) c = text.charCodeAt(++i);
  let mant = 0;
  let exp10 = 0;
  let digits = 0;
  while (c >= 48 && c <= 57) {
    mant = mant * 10 + (c - 48);
    digits++;
    c = text.charCodeAt(++i);
  }
  if (c === 46) {
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      exp10--;
      digits++;
      c = text.charCodeAt(++i);
    }
  }
  if (digits === 0) return Number(text.slice(start, end));
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
      e = e * 10 + (c - 48);
      c = text.charCodeAt(++i);
    }
    if (i === expStart) return NaN;
    exp10 += expNeg ? -e : e;
  }
  // trailing text ("12abc", " 3"): let Number() decide, as it would for the whole cell
  if (i !== end || exp10 > 22 || exp10 < -22) return Number(text.slice(start, end));
  const v = exp10 >= 0 ? mant * POW10[exp10] : mant / POW10[-exp10];
  return neg ? -v : v;
}

/** The value of a non-finite word (`nan`, `-inf`, `Infinity`, …), or undefined when the text is not one. */
export function nonFiniteValue(text: string): number | undefined {
  if (!isNonFiniteWord(text, 0, text.length)) return undefined;
  if (/nan/i.test(text)) return NaN;
  return text.startsWith('-') ? -Infinity : Infinity;
}

/** `nan`, `inf`, `-inf`, `NaN`, `Infinity` (Python's str() and json.dumps, and most other writers). */
export function isNonFiniteWord(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len < 3 || len > 9) return false;
  return /^[-+]?(?:nan|inf|infinity)$/i.test(text.slice(start, end));
}
