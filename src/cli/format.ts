/** Number and table formatting for the human (non --json) output of fit, predict and frontier. */
import { UsageError } from './args';

export { formatReportNumber } from '../contract/format';

export function pct(v: number): string {
  return Number.isFinite(v) ? `${Number((v * 100).toPrecision(3))}%` : String(v);
}

/** Left-aligned columns separated by two spaces, for small tables. */
export function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
}

/** `--at N=7e9,D=1.4T` style lists; values through the caller's parser. */
export function parsePairs(
  text: string,
  parse: (v: string) => number | undefined,
  flag: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of text.split(',').filter((s) => s.trim())) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    const v = eq > 0 ? parse(item.slice(eq + 1).trim()) : undefined;
    if (!key || v === undefined)
      throw new UsageError(`${flag}: "${item.trim()}" is not name=value (values like 7e9, 7B, 1.4T)`);
    out[key] = v;
  }
  return out;
}
