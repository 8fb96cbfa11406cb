/**
 * Thinning long curves for drawing. A 100k-point loss curve is a few hundred pixels wide on screen: drawing every
 * point costs seconds of SVG work and shows nothing more. Fits always use every point; only plots are thinned.
 * Both methods return indices into the input (ascending), so callers keep whatever columns go with each point.
 * Bucketing happens in plotted coordinates: on a log axis buckets are equal in log x, otherwise the first decade
 * of a log-scaled curve (where a loss curve changes most) would get a handful of points.
 */

export type XSpace = 'linear' | 'log';

/** Plotted x of the kept points (ln x on a log axis). Plain loops over typed arrays: this runs on 100k-point curves. */
function transform(xs: ArrayLike<number>, space: XSpace, keep: Int32Array): Float64Array {
  const out = new Float64Array(keep.length);
  if (space === 'log') for (let j = 0; j < keep.length; j++) out[j] = Math.log(xs[keep[j]]);
  else for (let j = 0; j < keep.length; j++) out[j] = xs[keep[j]];
  return out;
}

function gather(ys: ArrayLike<number>, keep: Int32Array): Float64Array {
  const out = new Float64Array(keep.length);
  for (let j = 0; j < keep.length; j++) out[j] = ys[keep[j]];
  return out;
}

/** Indices of the points that can be drawn: finite x and y, and x > 0 on a log axis. */
export function drawable(xs: ArrayLike<number>, ys: ArrayLike<number>, space: XSpace): Int32Array {
  const n = Math.min(xs.length, ys.length);
  const keep = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    if (x - x === 0 && y - y === 0 && (space === 'linear' || x > 0)) keep[k++] = i;
  }
  return keep.subarray(0, k);
}

/** The drawable points and their plotted coordinates: what both thinning methods work on. */
interface Plotted {
  keep: Int32Array;
  X: Float64Array;
  Y: Float64Array;
}

/**
 * Thins a curve with `method`, given its drawable points in plotted coordinates; a curve with no more than `limit`
 * drawable points is returned whole (nothing to thin), and only a curve that needs thinning checks the method's
 * argument (`check`).
 */
function thin(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  space: XSpace,
  limit: number,
  check: () => void,
  method: (p: Plotted) => number[],
): number[] {
  const keep = drawable(xs, ys, space);
  if (keep.length <= limit) return Array.from(keep);
  check();
  return method({ keep, X: transform(xs, space, keep), Y: gather(ys, keep) });
}

/**
 * Bucket boundaries (index ranges over the interior points 1..n-2) of equal width in X, the plotted coordinate;
 * empty buckets are dropped. Falls back to equal counts when X is not sorted (a resumed run logging steps twice).
 */
function buckets(X: Float64Array, count: number): [number, number][] {
  const n = X.length;
  const out: [number, number][] = [];
  let sorted = true;
  for (let j = 1; j < n && sorted; j++) if (X[j] < X[j - 1]) sorted = false;
  const lo = X[1];
  const hi = X[n - 2];
  if (!sorted || !(hi > lo)) {
    const every = (n - 2) / count;
    for (let b = 0; b < count; b++) {
      const a = Math.floor(b * every) + 1;
      const e = Math.floor((b + 1) * every) + 1;
      if (e > a) out.push([a, e]);
    }
    return out;
  }
  const width = (hi - lo) / count;
  let start = 1;
  for (let b = 1; b <= count && start < n - 1; b++) {
    const edge = b === count ? Infinity : lo + b * width;
    let end = start;
    while (end < n - 1 && X[end] < edge) end++;
    if (end > start) out.push([start, end]);
    start = end;
  }
  return out;
}

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last point and, from each bucket, the
 * point spanning the largest triangle with the previously kept point and the next bucket's mean. Keeps the visual
 * shape of smooth curves (peaks, knees) with few points. Buckets have equal width in plotted x (not equal counts,
 * as in the original), so on a log axis the early, steep part of a loss curve keeps its detail.
 */
export function lttb(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number, space: XSpace = 'linear') {
  const check = () => {
    if (threshold < 3) throw new RangeError(`lttb needs a threshold of at least 3, got ${threshold}`);
  };
  return thin(xs, ys, space, Math.max(threshold, 2), check, (p) => largestTriangles(p, threshold));
}

function largestTriangles({ keep, X, Y }: Plotted, threshold: number): number[] {
  const n = keep.length;
  const bs = buckets(X, threshold - 2);
  const out: number[] = [keep[0]];
  let a = 0;
  for (let b = 0; b < bs.length; b++) {
    // Mean of the next bucket (the last point after the last bucket).
    let mx = X[n - 1];
    let my = Y[n - 1];
    if (b + 1 < bs.length) {
      const [s, e] = bs[b + 1];
      mx = 0;
      my = 0;
      for (let j = s; j < e; j++) {
        mx += X[j];
        my += Y[j];
      }
      mx /= e - s;
      my /= e - s;
    }
    const [start, end] = bs[b];
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((X[a] - mx) * (Y[j] - Y[a]) - (X[a] - X[j]) * (my - Y[a]));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(keep[best]);
    a = best;
  }
  out.push(keep[n - 1]);
  return out;
}

/**
 * Min/max envelope: `buckets` equal-width x buckets, from each the lowest and the highest point (in their order
 * of occurrence), plus the first and last point. Unlike LTTB it never hides a spike or the spread of a noisy
 * raw curve: the drawn line covers exactly the vertical extent of the data in every bucket.
 */
export function minMaxEnvelope(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  buckets: number,
  space: XSpace = 'linear',
) {
  const check = () => {
    if (buckets < 1) throw new RangeError(`minMaxEnvelope needs at least one bucket, got ${buckets}`);
  };
  return thin(xs, ys, space, 2 * buckets + 2, check, (p) => extremes(p, buckets));
}

function extremes({ keep, X, Y }: Plotted, buckets: number): number[] {
  const n = keep.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < n; j++) {
    if (X[j] < lo) lo = X[j];
    if (X[j] > hi) hi = X[j];
  }
  const width = (hi - lo) / buckets || 1;
  const minAt = new Int32Array(buckets).fill(-1);
  const maxAt = new Int32Array(buckets).fill(-1);
  for (let j = 0; j < n; j++) {
    const b = Math.min(buckets - 1, Math.floor((X[j] - lo) / width));
    const y = Y[j];
    if (minAt[b] < 0 || y < Y[minAt[b]]) minAt[b] = j;
    if (maxAt[b] < 0 || y > Y[maxAt[b]]) maxAt[b] = j;
  }
  const chosen = new Set<number>([0, n - 1]);
  for (let b = 0; b < buckets; b++) {
    if (minAt[b] >= 0) chosen.add(minAt[b]);
    if (maxAt[b] >= 0) chosen.add(maxAt[b]);
  }
  return [...chosen].sort((p, q) => p - q).map((j) => keep[j]);
}
