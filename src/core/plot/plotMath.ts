/** Small numeric helpers for plots; pure so the webview can share them. */

/** n points evenly spaced in log space from lo to hi, both included. */
export function logGrid(lo: number, hi: number, n: number): number[] {
  if (!(lo > 0) || !(hi > 0) || n < 2 || lo === hi) return [lo];
  const a = Math.log(lo);
  const b = Math.log(hi);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : i === 0 ? lo : Math.exp(a + ((b - a) * i) / (n - 1))));
}

/** Linear-interpolated quantile q of an ascending array (the definition numpy uses by default). */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/** A compact number for titles and labels: 7e9 -> "7e+9", 0.0481 -> "0.0481", 2.5 -> "2.5". */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}
