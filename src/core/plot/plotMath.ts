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

export { formatTick } from '../../contract/format';
