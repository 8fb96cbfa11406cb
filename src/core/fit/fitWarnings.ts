/**
 * Warnings a fitted law's result carries about its own reliability: a bootstrap short of resamples or of units to
 * resample, and a sigmoid too steep for the spacing of the data to measure.
 */
import type { Prepared } from './prepare';

export function bootstrapWarnings(prep: Prepared, B: number, kept: number, failures: number, mode: string): string[] {
  const out: string[] = [];
  if (kept < 2) out.push(`bootstrap: only ${kept} of ${B} resamples converged; no intervals`);
  else if (failures > 0.05 * B)
    out.push(`bootstrap: ${failures} of ${B} resamples failed to converge; the intervals come from the other ${kept}`);
  if (B < 100) out.push(`bootstrap: ${B} resamples give rough 95% intervals; use 1000 or more for reporting`);
  const runs = new Set(prep.runIds).size;
  if (mode === 'block')
    out.push(
      `bootstrap: only ${runs} run(s) hold several points each, too few to resample whole runs; blocks of consecutive points were resampled within runs, so the intervals miss run-to-run variation`,
    );
  if (mode === 'cluster' && runs < 20)
    out.push(`bootstrap: whole runs resampled from only ${runs} runs; the intervals are coarse`);
  return out;
}

/**
 * A sigmoid steeper than the data's spacing is a step: it goes from 5% to 95% of its rise between two neighbouring
 * points, so the midpoint is only bracketed and the slope is not measured.
 */
export function stepWarnings(prep: Prepared, raw: number[]): string[] {
  const lx = [...new Set(prep.rawRows.map((r) => Math.log10(r[0])))].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < lx.length; i++) gap = Math.min(gap, lx[i] - lx[i - 1]);
  const slope = raw[3];
  // 5% → 95% of a logistic spans 2·ln(19)/slope decades.
  const width = (2 * Math.log(19)) / slope;
  if (!(width < gap)) return [];
  return [
    `step-like sigmoid: it rises within ${width.toFixed(2)} decades, less than the ${gap.toFixed(2)} decades between neighbouring points, so the slope is not measured and the midpoint is only bracketed`,
  ];
}
