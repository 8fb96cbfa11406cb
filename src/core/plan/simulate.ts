/**
 * Expected interval after adding runs, by simulation: in each simulated world the truth is a parameter vector
 * taken from the fit (its estimate, then its bootstrap draws), the added runs' losses are drawn from that truth
 * with the fit's residual noise, and the engine's own bootstrap is run on the augmented data, exactly as a refit
 * would do once the runs exist. The widths of the worlds' 95% intervals (in log space, about each world's median)
 * are averaged, so the answer is an expected width, not one lucky draw.
 */
import { chinchilla } from '../laws/chinchilla';
import { bootstrap, resolveMode, type BootMode } from '../fit/bootstrap';
import { buildLaw, solveCore } from '../fit/fitLaw';
import type { LossSpec } from '../fit/loss';
import { prepare, type Prepared } from '../fit/prepare';
import { rootProgress } from '../fit/progress';
import { normal, rng } from '../fit/random';
import { objectiveValue, spread, type Theta } from './objective';
import type { FitDataset, FitPoint, Space } from '../../contract/fit';
import type { PlannedRun, PlanObjective, PlanTarget } from '../../contract/plan';

export interface SimulationSetup {
  data: FitDataset;
  space: Space;
  loss: LossSpec;
  /** The fit's estimate, raw units. */
  theta: Theta;
  /** The fit's bootstrap draws, raw units: the other worlds' truths. */
  draws: readonly Theta[];
  /** Residual noise (log space) of an added run's loss. */
  sigma: number;
  /** Bootstrap resamples per world and the number of worlds. */
  resamples: number;
  worlds: number;
  mode?: BootMode;
  seed: number;
  target: PlanTarget;
  /** Objectives to report; each gets its own expected log-interval offsets. */
  objectives: readonly PlanObjective[];
}

/** Per objective, averaged over the worlds (NaN when no world gave an interval). */
export interface Offsets {
  /** The expected 95% interval as ln(bound / centre). */
  ci: [number, number];
  /** Half the log-width of the central 68%: a low-noise width for ranking designs (tails from few draws are not). */
  sigma: number;
}
export type ExpectedOffsets = Record<PlanObjective, Offsets>;

function augmented(setup: SimulationSetup, runs: readonly PlannedRun[], truth: Theta, z: () => number): FitDataset {
  const added: FitPoint[] = runs.map((r, i) => ({
    x: { N: r.N, D: r.D },
    y: chinchilla.f(truth, [r.N, r.D]) * Math.exp(setup.sigma * z()),
    runId: `planned-run-${i + 1}`,
  }));
  return { ...setup.data, points: [...setup.data.points, ...added] };
}

function worldTruth(setup: SimulationSetup, w: number, rand: () => number): Theta {
  if (w === 0 || !setup.draws.length) return setup.theta;
  return setup.draws[Math.floor(rand() * setup.draws.length)];
}

/** Expected interval offsets after adding `runs` (an empty list simulates the data as it is). */
export function expectedOffsets(setup: SimulationSetup, runs: readonly PlannedRun[]): ExpectedOffsets {
  const law = buildLaw('chinchilla', {}, ['N', 'D']);
  const sums = Object.fromEntries(setup.objectives.map((o) => [o, { lo: 0, hi: 0, sigma: 0, n: 0 }]));
  for (let w = 0; w < setup.worlds; w++) {
    // Common random numbers: every design sees the same worlds, noise and resampling stream, so differences
    // between designs come from the designs.
    const worldRand = rng(setup.seed * 1009 + w);
    const rand = rng(setup.seed * 1009 + w + 500);
    const z = normal(worldRand);
    const truth = worldTruth(setup, w, worldRand);
    const prep: Prepared = prepare(law, augmented(setup, runs, truth, z), setup.space, setup.loss);
    let core: ReturnType<typeof solveCore>;
    try {
      // The full fit as the engine runs it (start grid, refinement), so the bootstrap below re-scores the same grid.
      core = solveCore(prep, rand, rootProgress({}));
    } catch {
      continue; // a world whose refit fails says nothing about the design's width
    }
    const mode = setup.mode ?? resolveMode(prep, 'auto');
    const boot = bootstrap(prep, core.theta, setup.resamples, rand, mode, () => undefined, [], core.grid);
    for (const o of setup.objectives) {
      const q = spread(boot.draws.map((d) => objectiveValue(d, setup.target, o)));
      if (!q || !(q.lo > 0)) continue;
      sums[o].lo += Math.log(q.lo / q.mid);
      sums[o].hi += Math.log(q.hi / q.mid);
      sums[o].sigma += Math.log(q.q84 / q.q16) / 2;
      sums[o].n++;
    }
  }
  return Object.fromEntries(
    setup.objectives.map((o) => {
      const { lo, hi, sigma, n } = sums[o];
      return [o, n ? { ci: [lo / n, hi / n], sigma: sigma / n } : { ci: [NaN, NaN], sigma: NaN }];
    }),
  ) as ExpectedOffsets;
}

/** The interval the offsets give about a centre value. */
export function applyOffsets(centre: number, off: readonly [number, number]): [number, number] {
  return [centre * Math.exp(off[0]), centre * Math.exp(off[1])];
}
