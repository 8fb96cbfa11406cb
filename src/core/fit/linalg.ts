/**
 * Dense linear algebra for the tiny systems the engine solves (p ≤ ~10): Cholesky solves, an active-set NNLS on
 * the normal equations, and symmetric eigenvalues for condition numbers. Row-major Float64Arrays, no allocation
 * beyond the caller's buffers where it matters (these run millions of times in grids and bootstraps).
 */

/**
 * Solves A·x = b for symmetric positive definite A (n×n, row-major); A is not modified. False if not PD.
 * `L` (≥ n² entries) is scratch space, allocated when absent.
 */
export function choleskySolve(
  A: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  x: Float64Array,
  L: Float64Array = new Float64Array(n * n),
): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return false;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * x[k];
    x[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return true;
}

/**
 * Cholesky solve with growing diagonal jitter for near-singular systems (collinear columns). `work` (≥ 2n²
 * entries) is optional scratch space for callers in hot loops.
 */
export function solveSPD(
  A: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  x: Float64Array,
  work?: Float64Array,
): boolean {
  const L = work ? work.subarray(0, n * n) : new Float64Array(n * n);
  if (choleskySolve(A, b, n, x, L)) return true;
  let tr = 0;
  for (let i = 0; i < n; i++) tr += Math.abs(A[i * n + i]);
  const B = work ? work.subarray(n * n, 2 * n * n) : new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) B[i] = A[i];
  for (let jitter = 1e-14; jitter < 1; jitter *= 100) {
    for (let i = 0; i < n; i++) B[i * n + i] = A[i * n + i] + jitter * (tr / n + 1e-300);
    if (choleskySolve(B, b, n, x, L)) return true;
  }
  return false;
}

/**
 * min ½cᵀGc − hᵀc subject to c_j ≥ 0 where nonneg[j] (Lawson–Hanson active set on the normal equations).
 * G is k×k SPD (a Gram matrix ΦᵀWΦ), h = ΦᵀWu. Returns the solution in c.
 */
export function nnlsGram(G: Float64Array, h: Float64Array, k: number, nonneg: boolean[], c: Float64Array): void {
  const passive = nonneg.map((nn) => !nn);
  c.fill(0);
  const z = new Float64Array(k);
  const solveP = (): void => {
    const idx: number[] = [];
    for (let j = 0; j < k; j++) if (passive[j]) idx.push(j);
    const m = idx.length;
    z.fill(0);
    if (m === 0) return;
    const A = new Float64Array(m * m),
      b = new Float64Array(m),
      x = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      b[a] = h[idx[a]];
      for (let q = 0; q < m; q++) A[a * m + q] = G[idx[a] * k + idx[q]];
    }
    if (!solveSPD(A, b, m, x)) x.fill(0);
    for (let a = 0; a < m; a++) z[idx[a]] = x[a];
  };
  for (let outer = 0; outer < 3 * k + 3; outer++) {
    solveP();
    for (let inner = 0; inner < 3 * k + 3; inner++) {
      let alpha = Infinity,
        blocking = -1;
      for (let j = 0; j < k; j++) {
        if (!(passive[j] && nonneg[j] && z[j] <= 0)) continue;
        const a = c[j] / (c[j] - z[j] || 1e-300);
        if (a < alpha) {
          alpha = a;
          blocking = j;
        }
      }
      if (blocking < 0) break;
      for (let j = 0; j < k; j++) c[j] += alpha * (z[j] - c[j]);
      // The blocking coefficient is zero by construction; rounding can leave ±1e-17, which must not keep it passive.
      c[blocking] = 0;
      for (let j = 0; j < k; j++)
        if (passive[j] && nonneg[j] && c[j] <= 0) {
          passive[j] = false;
          c[j] = 0;
        }
      solveP();
    }
    // Rounding in the last solve must not hand back a slightly negative constrained coefficient.
    for (let j = 0; j < k; j++) if (nonneg[j] && z[j] < 0) z[j] = 0;
    c.set(z);
    let best = -1,
      bestW = 0;
    for (let j = 0; j < k; j++) {
      if (passive[j]) continue;
      let w = h[j];
      for (let q = 0; q < k; q++) w -= G[j * k + q] * c[q];
      const scale = Math.sqrt(Math.abs(G[j * k + j]) * Math.abs(h[j]) + 1e-300);
      if (w > 1e-13 * scale && w > bestW) {
        bestW = w;
        best = j;
      }
    }
    if (best < 0) return;
    passive[best] = true;
  }
}

/** Eigenvalues of a symmetric n×n matrix (cyclic Jacobi), ascending. */
export function symEigenvalues(S: ArrayLike<number>, n: number): number[] {
  return symEigen(S, n).values;
}

/** Eigen-decomposition of a symmetric n×n matrix (cyclic Jacobi): values ascending, vectors[i] belongs to values[i]. */
export function symEigen(S: ArrayLike<number>, n: number): { values: number[]; vectors: number[][] } {
  const A = Float64Array.from(S);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let norm2 = 0;
  for (let i = 0; i < n * n; i++) norm2 += A[i] * A[i];
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i * n + j] * A[i * n + j];
    if (!(off > 1e-32 * norm2)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1),
          sn = t * cs;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p],
            akq = A[k * n + q];
          A[k * n + p] = cs * akp - sn * akq;
          A[k * n + q] = sn * akp + cs * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k],
            aqk = A[q * n + k];
          A[p * n + k] = cs * apk - sn * aqk;
          A[q * n + k] = sn * apk + cs * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p],
            vkq = V[k * n + q];
          V[k * n + p] = cs * vkp - sn * vkq;
          V[k * n + q] = sn * vkp + cs * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => A[a * n + a] - A[b * n + b]);
  return {
    values: order.map((i) => A[i * n + i]),
    vectors: order.map((i) => Array.from({ length: n }, (_, k) => V[k * n + i])),
  };
}

/** Ordinary least squares line y = c0 + c1·x; returns [c0, c1] (NaN when x has no spread). */
export function lineFit(x: ArrayLike<number>, y: ArrayLike<number>): [number, number] {
  const n = x.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const c1 = sxx > 0 ? sxy / sxx : NaN;
  return [my - c1 * mx, c1];
}

/** Percentile (linear interpolation between order statistics) of an ascending-sorted array. */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
