/**
 * Numbers as text, for every place that writes one for a person: panel captions and tables (core/view and the
 * webview), CLI reports, plot titles, messages and LaTeX. One algorithm with a style per place, so the places keep
 * their look (the CLI's is part of its documented output) while the rule lives once. Pure functions only: the
 * webview imports this file.
 */

export interface NumberStyle {
  /** Significant digits in plain form. */
  significant: number;
  /** Digits after the point in exponent form. */
  mantissa: number;
  /** Exponent form at and above this magnitude… */
  large: number;
  /** …and below this one (zero excepted). */
  small: number;
  /** Plain form without trailing zeros ("2.500" → "2.5"). */
  trimPlain: boolean;
  /** Exponent form without trailing zeros ("1.20e+9" → "1.2e+9"). */
  trimExponent: boolean;
  /** Keep JavaScript's "e+" ("7e+9") rather than "7e9". */
  plusSign: boolean;
}

export function formatNumber(v: number, style: NumberStyle): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= style.large || a < style.small)) {
    let s = v.toExponential(style.mantissa);
    if (style.trimExponent) s = s.replace(/\.?0+e/, 'e');
    return style.plusSign ? s : s.replace('e+', 'e');
  }
  const plain = v.toPrecision(style.significant);
  return style.trimPlain ? String(Number(plain)) : plain;
}

const COMPACT = { large: 1e5, small: 1e-3, trimPlain: true, trimExponent: true };

/** Panel captions and table cells: 7e9 → "7e9", 0.0481 → "0.0481", 2.5 → "2.5". */
export function formatCompact(v: number, digits = 4): string {
  return formatNumber(v, { ...COMPACT, significant: digits, mantissa: digits - 2, plusSign: false });
}

/** The CLI's human-readable reports: 7e9 → "7e+9", 0.0481 → "0.0481"; a missing value is "–". */
export function formatReportNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '–';
  return formatNumber(v, { ...COMPACT, significant: digits, mantissa: digits - 1, plusSign: true });
}

/** Plot titles and labels: 7e9 → "7e+9", 0.0481 → "0.0481", 2.5 → "2.5". */
export function formatTick(v: number): string {
  return formatNumber(v, { ...COMPACT, significant: 4, mantissa: 2, plusSign: true });
}

/** Messages and LaTeX about a fit: four significant digits kept as written ("0.5000", "1.234e+21"). */
export function formatFitValue(v: number): string {
  return formatNumber(v, {
    significant: 4,
    mantissa: 3,
    large: 1e4,
    small: 1e-3,
    trimPlain: false,
    trimExponent: false,
    plusSign: true,
  });
}

/** Short figures in engine messages (warnings, frontier notes): "1.23e+21", "0.0481", "2.5". */
export function formatShort(v: number): string {
  return formatNumber(v, {
    significant: 3,
    mantissa: 2,
    large: 1e4,
    small: 1e-3,
    trimPlain: true,
    trimExponent: false,
    plusSign: true,
  });
}

/** Plain form only, four significant digits ("1234", "0.04812"), for values whose size is known. */
export function formatPlain(v: number): string {
  return formatNumber(v, {
    significant: 4,
    mantissa: 3,
    large: Infinity,
    small: 0,
    trimPlain: true,
    trimExponent: true,
    plusSign: true,
  });
}
