/**
 * Where the optimiser starts: variable projection of the linear coefficients over the law's candidate grid (or
 * seeded random draws when the law has no linear structure), scored on the fit's objective and thinned to starts
 * that differ in their nonlinear parameters. solve.ts refines them.
 */
import type { VpSpec } from '../laws/types';
import { nnlsGram } from './linalg';
import { totalLoss } from './loss';
import type { Prepared } from './prepare';
import { makeProblem, objectiveAt } from './solve';

/** The candidate θ with its linear coefficients set to c (through the law's own mapping when it has one). */
function withCoefficients(vp: VpSpec, cand: number[], c: Float64Array): number[] {
  const t = cand.slice();
  if (vp.assign) vp.assign(t, c);
  else
    vp.linear.forEach((j, a) => {
      t[j] = c[a];
    });
  return t;
}

/** Variable projection: solve the linear coefficients of candidate θ by weighted NNLS; returns θ with them set. */
function project(
  prep: Prepared,
  vp: VpSpec,
  cand: number[],
  phi: Float64Array,
  G: Float64Array,
  h: Float64Array,
  c: Float64Array,
): number[] | undefined {
  const k = vp.linear.length;
  G.fill(0);
  h.fill(0);
  for (let i = 0; i < prep.n; i++) {
    const y = prep.y[i];
    const u = vp.target ? vp.target(y, cand) : y;
    const d = vp.dlog ? vp.dlog(u, cand) : 1 / u;
    // Weight so that the linear residual in u approximates the residual in the fit's space (log or linear). Without
    // a transform u is y itself, and in linear space the weight is 1 (d·y would be ∞·0 at an accuracy of 0).
    const s = prep.space === 'log' ? d : vp.target || vp.dlog ? d * y : 1;
    const wi = prep.w[i] * s * s;
    if (!Number.isFinite(u) || !Number.isFinite(wi)) return undefined;
    vp.basis(cand, prep.rows[i], phi);
    for (let a = 0; a < k; a++) {
      if (!Number.isFinite(phi[a])) return undefined;
      h[a] += wi * phi[a] * u;
      for (let b = 0; b <= a; b++) G[a * k + b] += wi * phi[a] * phi[b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b];
  nnlsGram(G, h, k, vp.nonneg, c);
  return withCoefficients(vp, cand, c);
}

/**
 * Variable projection on whole columns (laws with `basisColumns` and no target transform): the same weighted NNLS
 * as `project`, then the objective straight from the basis columns, so a candidate costs no per-point model calls.
 */
function projectColumns(
  prep: Prepared,
  vp: VpSpec,
  basisColumns: NonNullable<VpSpec['basisColumns']>,
  cand: number[],
  B: Float64Array[],
  G: Float64Array,
  h: Float64Array,
  c: Float64Array,
  r: Float64Array,
): { t: number[]; f: number } | undefined {
  const k = vp.linear.length;
  const n = prep.n;
  basisColumns(cand, prep.cols, B);
  G.fill(0);
  h.fill(0);
  const isLog = prep.space === 'log';
  for (let i = 0; i < n; i++) {
    const y = prep.y[i];
    const wi = isLog ? prep.w[i] / (y * y) : prep.w[i];
    for (let a = 0; a < k; a++) {
      const pa = B[a][i];
      h[a] += wi * pa * y;
      for (let b = 0; b <= a; b++) G[a * k + b] += wi * pa * B[b][i];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b];
  if (!G.every(Number.isFinite) || !h.every(Number.isFinite)) return undefined;
  nnlsGram(G, h, k, vp.nonneg, c);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let a = 0; a < k; a++) m += c[a] * B[a][i];
    if (isLog ? !(m > 0) : !Number.isFinite(m)) return undefined;
    r[i] = isLog ? prep.ty[i] - Math.log(m) : prep.ty[i] - m;
  }
  const f = totalLoss(prep.loss, r, prep.w, n);
  if (!Number.isFinite(f)) return undefined;
  return { t: withCoefficients(vp, cand, c), f };
}

/**
 * Starting points in normalised units, best first, mutually distinct in their nonlinear parameters.
 * With structure: every VP candidate is scored at its projected coefficients. Without: seeded draws from the
 * parameters' start ranges (log-uniform across wide positive ranges).
 */
export function findStarts(prep: Prepared, rand: () => number, maxStarts: number): number[][] {
  const law = prep.law;
  const prob = makeProblem(prep);
  const r = new Float64Array(prep.n);
  const scored: { t: number[]; f: number }[] = [];
  let nonlinear: number[];
  if (law.vp) {
    const k = law.vp.linear.length;
    const phi = new Float64Array(k),
      G = new Float64Array(k * k),
      h = new Float64Array(k),
      c = new Float64Array(k);
    const vp = law.vp;
    nonlinear = law.params.map((_, j) => j).filter((j) => !vp.linear.includes(j));
    // Column-wise projection only without a target transform (see VpSpec.basisColumns).
    const columnwise = vp.target ? undefined : vp.basisColumns?.bind(vp);
    const B = Array.from({ length: k }, () => new Float64Array(prep.n));
    for (const cand of law.vp.candidates(prep.cols, rand)) {
      if (columnwise) {
        const s = projectColumns(prep, vp, columnwise, cand, B, G, h, c, r);
        if (s) scored.push(s);
        continue;
      }
      const t = project(prep, vp, cand, phi, G, h, c);
      if (!t) continue;
      const f = objectiveAt(prep, prob, t, r);
      if (Number.isFinite(f)) scored.push({ t, f });
    }
  } else {
    nonlinear = law.params.map((_, j) => j);
    const draw = (lo: number, hi: number): number =>
      lo > 0 && hi / lo >= 100
        ? Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rand())
        : lo + (hi - lo) * rand();
    const cands = [
      law.params.map((q) =>
        q.start[0] > 0 && q.start[1] / q.start[0] >= 100
          ? Math.sqrt(q.start[0] * q.start[1])
          : (q.start[0] + q.start[1]) / 2,
      ),
    ];
    for (let s = 0; s < 96; s++) cands.push(law.params.map((q) => draw(q.start[0], q.start[1])));
    for (const t of cands) {
      const f = objectiveAt(prep, prob, t, r);
      if (Number.isFinite(f)) scored.push({ t, f });
    }
  }
  scored.sort((a, b) => a.f - b.f);
  const span = nonlinear.map((j) => {
    let lo = Infinity,
      hi = -Infinity;
    for (const s of scored) {
      const v = law.params[j].log ? Math.log(s.t[j]) : s.t[j];
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi > lo ? hi - lo : 1;
  });
  const picked: number[][] = [];
  for (const s of scored) {
    const near = picked.some((q) =>
      nonlinear.every((j, a) => {
        const d = law.params[j].log ? Math.log(s.t[j]) - Math.log(q[j]) : s.t[j] - q[j];
        return Math.abs(d) <= 0.08 * span[a];
      }),
    );
    if (!near) picked.push(s.t);
    if (picked.length >= maxStarts) break;
  }
  return picked;
}
