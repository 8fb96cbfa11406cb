/**
 * Step and token columns equal to one already kept are kept once. The runs of a sweep log the same steps (and, at
 * one batch size, the same tokens): 10,000 runs of 200 records kept 10,000 equal step columns, 16 MB, every page of
 * which cost a page fault to fill. A column given out here is shared, so it is only ever read: Rows never writes its
 * columns in place once loaded (growth copies them out, see Columns.resize), and views of them are read-only.
 */

import { copyColumn } from './columns';

/** Recently kept columns by a hash of their ends and middle; a slot holds the last column with its hash. */
const SLOTS = 256;
const recent: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(SLOTS).fill(undefined);

/** Mixes one entry into a hash (its integer part and its first six decimals). */
const mix = (h: number, v: number): number => (Math.imul(h, 31) + (v | 0) + ((v * 1e6) | 0)) | 0;

function slotOf(col: Float64Array): number {
  const n = col.length;
  // a few entries say enough to pick a slot; equality is then checked in full
  const h = mix(mix(mix(mix(n, col[0]), col[n >> 1]), col[n - 1]), col[n >> 2]);
  return (h >>> 0) % SLOTS;
}

/** Whether two columns hold the same entries, compared as Object.is does: NaN equals NaN, -0 differs from 0. */
export function sameEntries(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y ? x === 0 && 1 / x !== 1 / y : x === x || y === y) return false;
  }
  return true;
}

/**
 * A column to keep with the contents of `col` (which the caller may reuse afterwards): a column kept before with
 * the same contents, else a copy of `col` (copyColumn), remembered for the next.
 */
export function sharedColumn(col: Float64Array): Float64Array {
  const slot = slotOf(col);
  const known = recent[slot];
  if (known && sameEntries(known, col)) return known;
  const kept = copyColumn(col);
  recent[slot] = kept;
  return kept;
}
