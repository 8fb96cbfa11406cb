/**
 * Synthetic problems shared by the engine tests: for every law a ground truth and a small design that identifies
 * it, and a generator of (optionally noisy) datasets from them.
 */
import { normal, rng } from '../../../src/core/fit/random';
import type { CustomLawSpec, FitDataset, FitOptions, FitPoint, LawName } from '../../../src/contract/fit';
import { lawFor } from '../../../src/core/laws/registry';

export const geo = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
const cross = (a: string, av: number[], b: string, bv: number[]): Record<string, number>[] =>
  av.flatMap((u) => bv.map((v) => ({ [a]: u, [b]: v })));
const single = (name: string, v: number[]): Record<string, number>[] => v.map((x) => ({ [name]: x }));

export const CHINCHILLA_CUSTOM: CustomLawSpec = {
  formula: 'E + A/N^alpha + B/D^beta',
  variables: ['N', 'D'],
  params: {
    E: { min: 0, max: 10, start: [0.5, 3] },
    A: { min: 0, max: 1e5, start: [10, 1e4] },
    B: { min: 0, max: 1e5, start: [10, 1e4] },
    alpha: { min: 0, max: 2, start: [0.1, 1] },
    beta: { min: 0, max: 2, start: [0.1, 1] },
  },
};

export interface SyntheticCase {
  name: string;
  law: LawName;
  truth: Record<string, number>;
  design: Record<string, number>[];
  options?: Partial<FitOptions>;
  /** Additive noise (accuracy-like metrics) instead of multiplicative. */
  additive?: boolean;
}

export const CASES: SyntheticCase[] = [
  { name: 'power', law: 'power', truth: { A: 3.2, alpha: 0.12 }, design: single('C', geo(1e6, 1e10, 15)) },
  {
    name: 'saturating',
    law: 'saturating',
    truth: { E: 1.7, A: 60, alpha: 0.3 },
    design: single('N', geo(1e6, 1e10, 20)),
  },
  {
    name: 'chinchilla',
    law: 'chinchilla',
    truth: { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 },
    design: cross('N', geo(7e7, 1.6e10, 6), 'D', geo(5e9, 5e11, 6)),
  },
  {
    name: 'kaplan',
    law: 'kaplan',
    truth: { Nc: 8.8e13, Dc: 5.4e13, alphaN: 0.076, alphaD: 0.095 },
    design: cross('N', geo(1e7, 1e10, 6), 'D', geo(1e8, 1e11, 6)),
  },
  {
    name: 'bnsl',
    law: 'bnsl',
    truth: {
      a: 0.41388453071629455,
      b: 2.2772722897737556,
      c0: 0.055077348404973955,
      c1: 5.662903816010331,
      d1: 612.5836172918001,
      f1: 0.059193036393742314,
    },
    design: single('x', geo(100, 2000, 30)),
  },
  {
    name: 'bnsl (2 breaks)',
    law: 'bnsl',
    // Both breaks well inside the data (three decades either side) and the tail above the floor: otherwise the
    // second break is invisible and no method can estimate it.
    truth: { a: 0.1, b: 5, c0: 0.1, c1: 0.3, d1: 1e3, f1: 0.3, c2: -0.2, d2: 1e6, f2: 0.3 },
    design: single('x', geo(10, 1e9, 60)),
    options: { breaks: 2 },
  },
  {
    name: 'lr_annealing',
    law: 'lr_annealing',
    truth: { L0: 2.5, A: 0.8, alpha: 0.5, C: 0.3 },
    design: cross('S1', geo(1, 100, 8), 'S2', [0, 0.3, 0.6, 1]),
  },
  {
    name: 'sigmoid',
    law: 'sigmoid',
    truth: { floor: 0.25, ceil: 0.9, midpoint: 22, slope: 1.5 },
    design: single('C', geo(1e19, 1e25, 20)),
    additive: true,
  },
  { name: 'passk', law: 'passk', truth: { a: 2.5, b: 0.4 }, design: single('k', geo(1, 1e4, 20)) },
  {
    name: 'loglinear',
    law: 'loglinear',
    truth: { c: -3, a_N: -0.3, a_D: 0.2 },
    design: cross('N', geo(1e7, 1e10, 4), 'D', geo(1e9, 1e11, 4)),
  },
  {
    name: 'custom',
    law: 'custom',
    truth: { E: 1.5, A: 300, B: 500, alpha: 0.3, beta: 0.35 },
    design: cross('N', geo(7e7, 1.6e10, 6), 'D', geo(5e9, 5e11, 6)),
    options: { custom: CHINCHILLA_CUSTOM },
  },
];

export function caseByName(name: string): SyntheticCase {
  const c = CASES.find((k) => k.name === name);
  if (!c) throw new Error(`no synthetic case ${name}`);
  return c;
}

/** One dataset from a case: each design point one run, noise σ (log-normal, or additive for accuracy-like laws). */
export function synthesize(c: SyntheticCase, sigma = 0, seed = 1): FitDataset {
  const xNames = Object.keys(c.design[0]);
  const law = lawFor(c.law, c.options?.custom, { breaks: c.options?.breaks, xNames });
  const z = normal(rng(seed));
  const points: FitPoint[] = c.design.map((x, i) => {
    const m = law.evaluate(c.truth, x);
    const y = sigma === 0 ? m : c.additive ? m + sigma * z() : m * Math.exp(sigma * z());
    return { x: { ...x }, y, runId: `run${i}` };
  });
  return { points, xNames, yName: 'loss', definitions: {} };
}

/** Largest relative error over the truth's parameters. */
export function worstRelativeError(
  params: Record<string, { value: number }>,
  truth: Record<string, number>,
): { name: string; error: number } {
  let worst = { name: '', error: 0 };
  for (const [k, v] of Object.entries(truth)) {
    const e = Math.abs(params[k].value - v) / Math.abs(v);
    if (!(e <= worst.error)) worst = { name: k, error: e };
  }
  return worst;
}
