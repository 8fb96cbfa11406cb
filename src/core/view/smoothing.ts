/**
 * Exponential moving average with debiasing, as TensorBoard smooths scalars: s_t = w·s_{t-1} + (1-w)·v_t starting
 * from 0, divided by (1 - w^k) after k finite values. Without the division the first points are pulled towards 0
 * (a loss curve would start far below its real value); with it the first smoothed value equals the first value.
 * Non-finite values (NaN, ±Infinity from a diverged step) pass through unsmoothed and do not poison later points.
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const out = new Float64Array(values.length);
  let last = 0;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    k++;
    out[i] = weight === 0 ? v : last / (1 - Math.pow(weight, k));
  }
  return out;
}
