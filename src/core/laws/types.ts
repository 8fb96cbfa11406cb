/**
 * What a scaling law declares: its parameters (bounds, start ranges), the variables it needs, a fast positional
 * evaluator for the engine and a keyed one for callers, plus optional structure the engine exploits
 * (analytic gradient, variable projection, rescaling of x for conditioning).
 */
import type { LawName } from '../../contract/fit';

export type Vec = ArrayLike<number>;

export interface ParamDef {
  name: string;
  /** Hard bounds (±Infinity allowed). Parameters that change when x is rescaled only carry sign bounds (0 or ±∞), so
   * the same bounds hold for the engine's normalised problem. */
  min: number;
  max: number;
  /** Range of plausible starting values (raw units); used for random starts and shown in the UI. */
  start: [number, number];
  /** The optimiser works on ln(value): strictly positive scale parameters (break points, Nc, Dc) spanning decades. */
  log?: boolean;
}

/**
 * Variable projection: model = h(Σ_j c_j·φ_j(x; θ_nl)) with the c_j linear. For fixed nonlinear parameters the c_j
 * solve a (non-negative) weighted least-squares problem, so starts only need a search over θ_nl.
 */
export interface VpSpec {
  /** Parameter index of each linear coefficient c_j. */
  linear: number[];
  /** Whether c_j must be ≥ 0 (solved by NNLS). */
  nonneg: boolean[];
  /** Candidate nonlinear settings as full θ vectors (linear entries ignored), given the normalised x columns. */
  candidates: (cols: Float64Array[], rand: () => number) => number[][];
  /** φ_j(x; θ) into out (length linear.length). */
  basis: (theta: Vec, x: Vec, out: Float64Array) => void;
  /**
   * Optional column-wise basis over all points (cols = normalised x columns, out[j] = φ_j at every point), for the
   * candidate search: grid candidates share exponents, so power columns can be computed once per value
   * (`powColumn`) instead of once per candidate. Only used when `target` is absent.
   */
  basisColumns?: (theta: Vec, cols: Float64Array[], out: Float64Array[]) => void;
  /** u = h⁻¹(y) when h is not the identity (Kaplan: y^(1/αD); pass@k: −ln y). */
  target?: (y: number, theta: Vec) => number;
  /** d ln y / du at u (default 1/u): turns the inner linear problem into a log-residual one. */
  dlog?: (u: number, theta: Vec) => number;
  /** Writes the coefficients into θ when they are not the parameters themselves (Kaplan: Nc = P^(αD/αN)). */
  assign?: (theta: number[], c: Float64Array) => void;
}

/** Function members are properties, not methods: the engine passes them around detached (they use no `this`). */
export interface LawDef {
  name: LawName;
  formula: string;
  latex: string;
  params: ParamDef[];
  /** Variables in order: named (['N','D']) or ['x'] = whichever single x the user chose. */
  variables: string[];
  paramCount: number;
  /** Keyed evaluation in raw units. One-variable laws also accept the value under any single key. */
  evaluate: (params: Record<string, number>, x: Record<string, number>) => number;
  /** Positional evaluation: θ in params order, x in variables order. */
  f: (theta: Vec, x: Vec) => number;
  /** ∂f/∂θ into out; returns f. Optional: the engine falls back to finite differences. */
  grad?: (theta: Vec, x: Vec, out: Float64Array) => number;
  /**
   * Optional fast path for the optimiser: f and ∂f/∂θ given also lx = ln x (precomputed once per dataset), so powers
   * become exp(−α·ln x), several times cheaper than Math.pow, and the gradient needs no logs. Same values as f/grad.
   */
  fLog?: (theta: Vec, x: Vec, lx: Vec) => number;
  gradLog?: (theta: Vec, x: Vec, lx: Vec, out: Float64Array) => number;
  /** θ fitted on x_j/scale_j → θ for raw x. Absent: the engine does not rescale x. */
  unscale?: (theta: number[], scale: number[]) => number[];
  /** Canonical order of equivalent solutions (bnsl: breaks sorted by position). */
  canonical?: (theta: number[]) => number[];
  vp?: VpSpec;
  /** bnsl: number of breaks. */
  breaks?: number;
}

/** Parameter record → positional vector; throws on a missing parameter. */
export function toVector(law: LawDef, params: Record<string, number>): number[] {
  return law.params.map((p) => {
    const v = params[p.name];
    if (typeof v !== 'number') throw new Error(`missing parameter ${p.name} for law ${law.name}`);
    return v;
  });
}

/** x record → positional vector in the law's variable order. */
export function toX(law: LawDef, x: Record<string, number>): number[] {
  if (law.variables.length === 1 && law.variables[0] === 'x' && !('x' in x)) {
    const vals = Object.values(x);
    if (vals.length === 1) return vals;
  }
  return law.variables.map((v) => {
    const val = x[v];
    if (typeof val !== 'number') throw new Error(`law ${law.name} needs variable ${v}`);
    return val;
  });
}

/** Evenly spaced values, inclusive. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [(lo + hi) / 2];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Cartesian product of grids over the given parameter indices, as full θ vectors of length p. */
export function gridTheta(p: number, axes: { index: number; values: number[] }[]): number[][] {
  let out: number[][] = [new Array<number>(p).fill(0)];
  for (const ax of axes) {
    const next: number[][] = [];
    for (const t of out)
      for (const v of ax.values) {
        const c = t.slice();
        c[ax.index] = v;
        next.push(c);
      }
    out = next;
  }
  return out;
}

const powMemo = new WeakMap<Float64Array, Map<number, Float64Array>>();

/**
 * x^(−e) for a whole column, memoised per (column, e): a 40×40 exponent grid then costs 80 power columns rather
 * than 3,200. The memo lives as long as the column array (one candidate search) and is capped.
 */
export function powColumn(col: Float64Array, e: number): Float64Array {
  let memo = powMemo.get(col);
  if (!memo) {
    memo = new Map();
    powMemo.set(col, memo);
  }
  let out = memo.get(e);
  if (!out) {
    if (memo.size > 512) memo.clear();
    out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = Math.pow(col[i], -e);
    memo.set(e, out);
  }
  return out;
}
