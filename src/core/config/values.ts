/**
 * Reads the ways people write scale numbers in configs and logs:
 * `7e9`, `7B`, `1.4T`, `125M`, `32k`, `4_096`, `2**20`, `2^20`, `4096`, plain JSON numbers.
 * Returns undefined for anything else (so "gelu" or "true" never become numbers).
 */
const SUFFIX: Partial<Record<string, number>> = {
  k: 1e3,
  K: 1e3,
  m: 1e6,
  M: 1e6,
  b: 1e9,
  B: 1e9,
  g: 1e9,
  G: 1e9,
  t: 1e12,
  T: 1e12,
};

const NUMBER = /^[+-]?(\d[\d_]*)?(\.\d[\d_]*)?([eE][+-]?\d+)?$/;

export function parseScaleNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  let s = raw.trim();
  if (!s) return undefined;
  // Quotes survive in some TOML/Python sources.
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) s = s.slice(1, -1).trim();
  const pow = /^(\d+(?:\.\d+)?)\s*(?:\*\*|\^)\s*(\d+(?:\.\d+)?)$/.exec(s);
  if (pow) return Number(pow[1]) ** Number(pow[2]);
  // a product such as 8*1024 (batch sizes are often written that way)
  if (/^[\d_.eE+\s*]+$/.test(s) && s.includes('*') && !s.includes('**')) {
    const parts = s.split('*').map((p) => parseScaleNumber(p));
    if (parts.every((p) => p !== undefined)) return parts.reduce((a, b) => a * b, 1);
    return undefined;
  }
  const suffix = SUFFIX[s[s.length - 1]];
  if (suffix !== undefined) {
    const head = s.slice(0, -1).trim();
    if (!NUMBER.test(head) || !/\d/.test(head)) return undefined;
    return Number(head.replace(/_/g, '')) * suffix;
  }
  if (!NUMBER.test(s) || !/\d/.test(s)) return undefined;
  const v = Number(s.replace(/_/g, ''));
  return Number.isFinite(v) ? v : undefined;
}

/** Short human form: 1.2e9 -> "1.2B". Used in tables and hovers. */
export function formatScale(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  if (a >= 1e15) return v.toExponential(2);
  for (const [u, s] of units) if (a >= u) return `${Number((v / u).toPrecision(digits))}${s}`;
  return `${Number(v.toPrecision(digits))}`;
}
