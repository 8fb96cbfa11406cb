/**
 * Thinning long curves for drawing. A 100k-point loss curve is a few hundred pixels wide on screen: drawing every
 * point costs seconds of SVG work and shows nothing more. Fits always use every point; only plots are thinned.
 * Both methods return indices into the input (ascending), so callers keep whatever columns go with each point.
 * Bucketing happens in plotted coordinates: on a log axis buckets are equal in log x, otherwise the first decade
 * of a log-scaled curve (where a loss curve changes most) would get a handful of points.
 */

export type XSpace = 'linear' | 'log';

function transform(xs: ArrayLike<number>, space: XSpace, keep: number[]): Float64Array {
  const out = new Float64Array(keep.length);
  for (let j = 0; j < keep.length; j++) out[j] = space === 'log' ? Math.log(xs[keep[j]]) : xs[keep[j]];
  return out;
}

/** Indices of the points that can be drawn: finite x and y, and x > 0 on a log axis. */
export function drawable(xs: ArrayLike<number>, ys: ArrayLike<number>, space: XSpace): number[] {
  const keep: number[] = [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i]) && (space === 'linear' || xs[i] > 0)) keep.push(i);
  return keep;
}

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last point and, from each of
 * `threshold - 2` buckets, the point spanning the largest triangle with the previously kept point and the next
 * bucket's mean. Keeps the visual shape of smooth curves (peaks, knees) with few points.
 * Points must be in x order, as a logged curve is.
 */
export function lttb(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number, space: XSpace = 'linear'): number[] {
  const keep = drawable(xs, ys, space);
  const n = keep.length;
  if (threshold >= n || n <= 2) return keep;
  if (threshold < 3) throw new RangeError(`lttb needs a threshold of at least 3, got ${threshold}`);
  const X = transform(xs, space, keep);
  const Y = Float64Array.from(keep, (i) => ys[i]);
  const out: number[] = [keep[0]];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let b = 0; b < threshold - 2; b++) {
    // Mean of the next bucket (the last point for the last bucket).
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
    let mx = 0;
    let my = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      mx += X[j];
      my += Y[j];
    }
    const count = nextEnd - nextStart;
    if (count > 0) {
      mx /= count;
      my /= count;
    } else {
      mx = X[n - 1];
      my = Y[n - 1];
    }
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
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
export function minMaxEnvelope(xs: ArrayLike<number>, ys: ArrayLike<number>, buckets: number, space: XSpace = 'linear'): number[] {
  const keep = drawable(xs, ys, space);
  const n = keep.length;
  if (n <= 2 * buckets + 2) return keep;
  if (buckets < 1) throw new RangeError(`minMaxEnvelope needs at least one bucket, got ${buckets}`);
  const X = transform(xs, space, keep);
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
    const y = ys[keep[j]];
    if (minAt[b] < 0 || y < ys[keep[minAt[b]]]) minAt[b] = j;
    if (maxAt[b] < 0 || y > ys[keep[maxAt[b]]]) maxAt[b] = j;
  }
  const chosen = new Set<number>([0, n - 1]);
  for (let b = 0; b < buckets; b++) {
    if (minAt[b] >= 0) chosen.add(minAt[b]);
    if (maxAt[b] >= 0) chosen.add(maxAt[b]);
  }
  return [...chosen].sort((p, q) => p - q).map((j) => keep[j]);
}
