/**
 * `frontier --method compare`: Approaches 1, 2 and 3 and VPNLS on the same runs, each with its bias on this very
 * design. The bias is measured, not assumed: the VPNLS law is taken as the truth, simulated without noise on the
 * runs' own (N, D) points (checkpoints too, for the envelope), every method is rerun on those simulated losses, and
 * its exponent there minus the simulated truth's exponent is what the design alone does to that method.
 */
import { FitError } from '../errors';
import { envelopeFrontier, FrontierError, type FrontierMethod, type FrontierResult } from './frontier';
import { isoflopFrontier } from './isoflop';
import { chinchillaFrontier, lawOpt, vpnlsFrontier, type ChinchillaLaw, type SizedPoint } from './vpnls';

export interface CompareOptions {
  tolerance?: number;
  window?: number;
  bootstrap?: number;
  seed?: number;
  /** Envelope budgets (default 60). */
  budgets?: number;
}

export interface CompareEntry {
  method: FrontierMethod;
  result: FrontierResult;
  /** Exponent on the simulated design minus the simulated truth's; undefined when it could not be measured. */
  bias?: number;
}

export interface CompareResult {
  alloc: 'N' | 'D';
  /** The law simulated for the bias (the VPNLS fit) and its exponent; absent when VPNLS failed. */
  truth?: { law: ChinchillaLaw; exponent: number };
  methods: CompareEntry[];
  warnings: string[];
}

type Point = SizedPoint & { step?: number };
type Runner = (all: Point[], finals: Point[], bootstrap: number) => FrontierResult;

const lossOf = (p: ChinchillaLaw, N: number, D: number): number => p.E + p.A / N ** p.alpha + p.B / D ** p.beta;

/** Each run's point with the most compute (its final one). */
function finals(points: Point[]): Point[] {
  const last = new Map<string, Point>();
  for (const p of points) {
    const prev = last.get(p.runId);
    if (!prev || p.N * p.D > prev.N * prev.D) last.set(p.runId, p);
  }
  return [...last.values()];
}

/** Why the envelope cannot run on these points (fewer than 2 runs with a training curve), or undefined. */
function envelopeSkip(points: Point[]): string | undefined {
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.runId, (counts.get(p.runId) ?? 0) + 1);
  const curves = [...counts.values()].filter((n) => n >= 2).length;
  return curves >= 2
    ? undefined
    : `Approach 1 (envelope) skipped: it needs the training curves (checkpoints) of at least 2 runs, and ${curves === 0 ? 'no run has more than its final point' : 'only 1 run has several points'}`;
}

/**
 * All four methods on the points (every checkpoint, each with N, D and C = 6·N·D), with their biases on this design.
 * A method that fails on the data is named in `warnings` and left out.
 */
export function compareFrontiers(points: Point[], alloc: 'N' | 'D', opts: CompareOptions = {}): CompareResult {
  const warnings = [
    'every method here takes C = 6·N·D; bias = the method’s exponent on the VPNLS law simulated without noise at these runs’ (N, D), minus that law’s exponent: what the design alone does to the method',
  ];
  const common = {
    ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  };
  const asFrontier = (ps: Point[]) =>
    ps.map((p) => ({ runId: p.runId, C: 6 * p.N * p.D, x: alloc === 'N' ? p.N : p.D, loss: p.loss, step: p.step }));
  const runners: [FrontierMethod, Runner][] = [];
  let lastVpnls: ChinchillaLaw | undefined;
  const skip = envelopeSkip(points);
  if (skip) warnings.push(skip);
  else
    runners.push([
      'envelope',
      (all) => envelopeFrontier(asFrontier(all), alloc, opts.budgets !== undefined ? { budgets: opts.budgets } : {}),
    ]);
  runners.push(
    [
      'isoflop',
      (_, fin, bootstrap) =>
        isoflopFrontier(asFrontier(fin), alloc, {
          ...common,
          bootstrap,
          ...(opts.window !== undefined ? { window: opts.window } : {}),
        }),
    ],
    ['parametric', (_, fin, bootstrap) => chinchillaFrontier(fin, alloc, { ...common, bootstrap }, {}, 'parametric')],
    [
      'vpnls',
      (_, fin, bootstrap) => {
        const r = vpnlsFrontier(fin, alloc, { ...common, bootstrap });
        lastVpnls = r.law;
        return r;
      },
    ],
  );

  const fin = finals(points);
  const methods: CompareEntry[] = [];
  for (const [method, run] of runners) {
    const r = attempt(() => run(points, fin, opts.bootstrap ?? 100));
    if (typeof r === 'string') warnings.push(`${method} failed: ${r}`);
    else methods.push({ method, result: r });
  }
  const law = lastVpnls;
  if (!law) {
    warnings.push('no bias estimates: they simulate the VPNLS fit, which failed');
    return { alloc, methods, warnings };
  }
  const exponent = lawOpt(law, alloc).exponent;
  const sim = points.map((p) => ({ ...p, loss: lossOf(law, p.N, p.D) }));
  const simFinals = finals(sim);
  for (const m of methods) {
    const run = runners.find(([name]) => name === m.method)?.[1];
    const r = run && attempt(() => run(sim, simFinals, 0));
    if (r === undefined || typeof r === 'string')
      warnings.push(`${m.method}: no bias estimate, it fails on the simulated data${r ? ` (${r})` : ''}`);
    else m.bias = r.opt.exponent - exponent;
  }
  return { alloc, truth: { law, exponent }, methods, warnings };
}

/** The method's result, or the message of the frontier/fit error it raised. */
function attempt(run: () => FrontierResult): FrontierResult | string {
  try {
    return run();
  } catch (e) {
    if (e instanceof FrontierError || e instanceof FitError) return e.message;
    throw e;
  }
}
