/** The columns a block may hold, by slot. */
export const STEP = 0;
export const VALUE = 1;
export const TOKENS = 2;
export const TIME = 3;
export type Slot = typeof STEP | typeof VALUE | typeof TOKENS | typeof TIME;
const SLOTS = 4;
const NONE = new Float64Array(0);

/**
 * Blocks up to this many doubles (a 200-line log's step, tokens and time: 600) are cut from a shared slab; larger
 * ones get memory of their own.
 */
const SLAB_PIECE = 1024;
const SLAB_DOUBLES = 16384;
let slab = new Float64Array(0);
let slabUsed = 0;

/**
 * `n` doubles whose contents the caller overwrites. Small blocks (a small run's columns) are cut from a 128 KiB slab:
 * every ArrayBuffer costs V8 an external allocation and GC bookkeeping, and 10,000 small runs make tens of
 * thousands of blocks. A slab lives while any block cut from it does (the price: a dead block's space is not reused,
 * as with Node's own Buffer pool). Larger blocks are not zero-filled (allocUnsafeSlow gives memory of its own,
 * 8-byte aligned): growing columns by zero-filled copies was an eighth of the time of ingesting a large log.
 */
function uninitialized(n: number): Float64Array {
  if (n > SLAB_PIECE) return new Float64Array(Buffer.allocUnsafeSlow(n * 8).buffer, 0, n);
  if (slabUsed + n > slab.length) {
    slab = new Float64Array(Buffer.allocUnsafeSlow(SLAB_DOUBLES * 8).buffer, 0, SLAB_DOUBLES);
    slabUsed = 0;
  }
  const piece = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += n;
  return piece;
}

/**
 * Columns of doubles of one length (`n` filled of `cap`), laid out in one block: one allocation per growth instead
 * of one per column (a folder of 10,000 small runs makes hundreds of thousands of them, each costing a backing store
 * and GC work). A slot not present is all NaN (a log that never said its tokens or wall time) and takes no memory.
 * The four columns are fields, not an array: 10,000 runs' series made 120,000 arrays more for the collector.
 */
export class Columns {
  n = 0;
  private capacity = 0;
  private step: Float64Array | undefined;
  private value: Float64Array | undefined;
  private tokens: Float64Array | undefined;
  private time: Float64Array | undefined;

  constructor(present: readonly Slot[]) {
    for (const s of present) this.put(s, NONE);
  }

  get cap(): number {
    return this.capacity;
  }

  has(slot: Slot): boolean {
    return this.get(slot) !== undefined;
  }

  /** The whole column (`cap` long, `n` filled); a slot not present gives an empty array. */
  col(slot: Slot): Float64Array {
    return this.get(slot) ?? NONE;
  }

  /**
   * Lays the block out again with room for `cap` points a column, keeping the first `n` of each. Slots in `add`
   * join: copied from `from` where it holds them, else NaN (nothing logged before).
   */
  resize(cap: number, add: readonly Slot[] = [], from?: Columns): void {
    for (const s of add) if (!this.get(s)) this.put(s, NONE);
    let count = 0;
    for (let s = 0 as Slot; s < SLOTS; s++) if (this.get(s)) count++;
    const block = uninitialized(cap * count);
    const keep = Math.min(this.n, cap);
    let at = 0;
    for (let s = 0 as Slot; s < SLOTS; s++) {
      const old = this.get(s);
      if (!old) continue;
      const next = block.subarray(at, at + cap);
      at += cap;
      const source = add.includes(s) ? from?.get(s) : old;
      if (source) next.set(source.subarray(0, Math.min(keep, source.length)));
      else next.fill(NaN, 0, keep);
      this.put(s, next);
    }
    this.capacity = cap;
  }

  /**
   * Writes the tokens and time of point `i`. NaN !== NaN: their columns are created on the first real value (and
   * back-filled with NaN), so a log that never says them costs nothing.
   */
  putAxes(i: number, tokens: number, time: number): void {
    if (this.tokens) this.tokens[i] = tokens;
    else if (tokens === tokens) {
      this.resize(this.capacity, [TOKENS]);
      this.col(TOKENS)[i] = tokens;
    }
    if (this.time) this.time[i] = time;
    else if (time === time) {
      this.resize(this.capacity, [TIME]);
      this.col(TIME)[i] = time;
    }
  }

  /**
   * The columns given (by slot; a slot left out is not present) become these columns, all `n` long and full. They
   * may be shared with other Columns (see sharedColumn): nothing is written into them in place afterwards, since
   * `n === cap` and any growth copies them out first.
   */
  adopt(n: number, cols: readonly (Float64Array | undefined)[]): void {
    this.clear([]);
    cols.forEach((col, s) => {
      if (col) this.put(s as Slot, col);
    });
    this.n = n;
    this.capacity = n;
  }

  /** Keeps every other point (0, 2, 4, …) of every column: thinning at the cap. */
  halve(): void {
    let w = 0;
    for (let r = 0; r < this.n; r += 2, w++)
      for (let s = 0 as Slot; s < SLOTS; s++) {
        const c = this.get(s);
        if (c) c[w] = c[r];
      }
    this.n = w;
  }

  /** Drops every point and the memory; `present` slots stay (empty). */
  clear(present: readonly Slot[]): void {
    this.n = 0;
    this.capacity = 0;
    this.step = this.value = this.tokens = this.time = undefined;
    for (const s of present) this.put(s, NONE);
  }

  private get(slot: Slot): Float64Array | undefined {
    return slot === STEP ? this.step : slot === VALUE ? this.value : slot === TOKENS ? this.tokens : this.time;
  }

  private put(slot: Slot, col: Float64Array): void {
    if (slot === STEP) this.step = col;
    else if (slot === VALUE) this.value = col;
    else if (slot === TOKENS) this.tokens = col;
    else this.time = col;
  }
}

/**
 * A view of the first `n` points of a column, reused while it still matches (consumers index views in loops and
 * compare them). An absent column gives NaN.
 */
export function columnView(cached: Float64Array | undefined, col: Float64Array | undefined, n: number): Float64Array {
  // blocks may share a slab's buffer: the same buffer and offset is the same block
  if (
    cached &&
    cached.length === n &&
    (col ? cached.buffer === col.buffer && cached.byteOffset === col.byteOffset : true)
  )
    return cached;
  return col ? col.subarray(0, n) : new Float64Array(n).fill(NaN);
}

/** A copy of `col` in memory of its own (from the slab when small). */
export function copyColumn(col: Float64Array): Float64Array {
  const out = uninitialized(col.length);
  out.set(col);
  return out;
}
