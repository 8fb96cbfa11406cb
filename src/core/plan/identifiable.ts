/**
 * Whether the runs so far can separate the effect of N from that of D. When every run sits at about one
 * tokens-per-parameter ratio, N and D move together and only their combination is measured: the compute-optimal
 * split (and any extrapolation off that ratio) is then a guess, and the planner's first job is to fix the design.
 */
import { objectiveValue, spread, type Theta } from './objective';

/** Below this spread of D/N across the runs (a factor of 2), N and D are collinear in practice. */
const MIN_RATIO_SPREAD_DECADES = Math.log10(2);
/** Bootstrap draws putting the compute-optimal D/N anywhere across more than this many decades: no real estimate. */
const MAX_OPTIMUM_SPREAD_DECADES = 2;

export interface Identifiability {
  identifiable: boolean;
  /** Why not, in words; empty when identifiable. */
  reason: string;
}

function fmt(v: number): string {
  return Number(v.toPrecision(2)).toString();
}

export function identifiability(
  points: readonly { N: number; D: number }[],
  draws: readonly Theta[],
  C: number,
): Identifiability {
  const ratios = points.map((p) => p.D / p.N).filter((r) => r > 0 && Number.isFinite(r));
  const lo = Math.min(...ratios),
    hi = Math.max(...ratios);
  if (!(Math.log10(hi / lo) >= MIN_RATIO_SPREAD_DECADES))
    return {
      identifiable: false,
      reason: `every run sits at ${fmt(lo)}–${fmt(hi)} tokens per parameter, so N and D move together and their effects cannot be told apart`,
    };
  const q = spread(draws.map((d) => objectiveValue(d, { C }, 'tokens_per_param')));
  if (q && q.lo > 0 && Math.log10(q.hi / q.lo) > MAX_OPTIMUM_SPREAD_DECADES)
    return {
      identifiable: false,
      reason: `the bootstrap draws put the compute-optimal tokens per parameter anywhere from ${fmt(q.lo)} to ${fmt(q.hi)}`,
    };
  return { identifiable: true, reason: '' };
}
