/**
 * Points kept per series before thinning starts. A plot is a few thousand pixels wide and a learning-curve fit
 * needs far fewer points than this, while a multi-GB log can hold millions per metric: the cap is what keeps
 * memory flat whatever the file size.
 */
export const DEFAULT_MAX_POINTS = 20_000;

const INITIAL_CAPACITY = 16;

/**
 * A column of `n` doubles whose contents the caller overwrites: not zero-filled (allocUnsafeSlow gives memory of its
 * own, 8-byte aligned, never a slice of Node's shared pool). Growing columns by zero-filled copies was an eighth of
 * the time of ingesting a large log.
 */
function column(n: number): Float64Array {
  return new Float64Array(Buffer.allocUnsafeSlow(n * 8).buffer, 0, n);
}

/**
 * A metric's points in columns of doubles (not an array of objects, and not growing JS arrays): a long run
 * has hundreds of thousands of points, and typed columns are both the smallest form and the cheapest to append to.
 * `tokens` and `time` are NaN where the log did not say; their columns are only allocated once a value arrives.
 *
 * Past `maxPoints` the series thins itself: every other kept point is dropped and only every `stride`-th logged
 * point is kept from then on (uniform in log order, like a decimated plot). The first point and the latest point
 * are always kept exactly, so "last value" and "last step" stay true. `logged` counts every point ever pushed;
 * `count` is what the columns hold.
 */
export class Series {
  private n = 0;
  private cap = 0;
  private stepCol: Float64Array = new Float64Array(0);
  private valueCol: Float64Array = new Float64Array(0);
  private tokensCol: Float64Array | undefined;
  private timeCol: Float64Array | undefined;
  /** Views handed out, reused while still matching the columns (consumers index them in loops). */
  private vStep: Float64Array | undefined;
  private vValue: Float64Array | undefined;
  private vTokens: Float64Array | undefined;
  private vTime: Float64Array | undefined;
  /** Only every stride-th logged point is kept; doubles at each thinning. */
  private stride = 1;
  /** The last stored point is the latest logged one but not a stride point: the next push replaces it. */
  private provisional = false;
  private total = 0;
  private nonfinite = 0;
  private firstNonfinite = NaN;
  private backwards = 0;
  private firstBackwards = NaN;
  private lastStep = -Infinity;

  constructor(
    readonly name: string,
    readonly maxPoints = DEFAULT_MAX_POINTS,
  ) {
    if (maxPoints < 4) throw new RangeError(`maxPoints must be at least 4, got ${maxPoints}`);
  }

  /** Points stored (the length of the columns). */
  get count(): number {
    return this.n;
  }

  /** Points ever pushed since the last clear(), thinned or not: what the log holds. */
  get logged(): number {
    return this.total;
  }

  /**
   * NaN/±Inf values logged (a diverged loss, an overflowing grad norm): they are data and stay in the series, so
   * consumers that need finite values (fits, axis ranges) must skip them.
   */
  get nonfiniteCount(): number {
    return this.nonfinite;
  }

  /** Step of the first non-finite value (NaN when there is none). */
  get firstNonfiniteStep(): number {
    return this.firstNonfinite;
  }

  /** Times the step went backwards (a job restarted from a checkpoint logs the same steps again); kept as logged. */
  get restarts(): number {
    return this.backwards;
  }

  /** The step the first restart went back to (NaN when there is none). */
  get firstRestartStep(): number {
    return this.firstBackwards;
  }

  /** Whether points were dropped to stay under maxPoints. */
  get thinned(): boolean {
    return this.stride > 1;
  }

  /** Steps of the stored points (a view: valid until the next push or clear). */
  get step(): Float64Array {
    return (this.vStep = this.view(this.vStep, this.stepCol));
  }

  get value(): Float64Array {
    return (this.vValue = this.view(this.vValue, this.valueCol));
  }

  get tokens(): Float64Array {
    return (this.vTokens = this.view(this.vTokens, this.tokensCol));
  }

  get time(): Float64Array {
    return (this.vTime = this.view(this.vTime, this.timeCol));
  }

  private view(cached: Float64Array | undefined, col: Float64Array | undefined): Float64Array {
    if (cached && cached.length === this.n && (col ? cached.buffer === col.buffer : true)) return cached;
    return col ? col.subarray(0, this.n) : new Float64Array(this.n).fill(NaN);
  }

  push(step: number, value: number, tokens = NaN, time = NaN): void {
    if (value - value !== 0 && this.nonfinite++ === 0) this.firstNonfinite = step;
    if (step < this.lastStep && this.backwards++ === 0) this.firstBackwards = step;
    this.lastStep = step;
    if (this.provisional) this.n--; // superseded by this newer point
    if (this.n === this.cap) this.makeRoom();
    const i = this.n++;
    this.stepCol[i] = step;
    this.valueCol[i] = value;
    // NaN !== NaN: the columns are created on the first real value and back-filled with NaN
    const tc = this.tokensCol;
    if (tc !== undefined) tc[i] = tokens;
    else if (tokens === tokens) this.addColumn('tokens')[i] = tokens;
    const wc = this.timeCol;
    if (wc !== undefined) wc[i] = time;
    else if (time === time) this.addColumn('time')[i] = time;
    // only every stride-th logged point is kept for good; the others stand in as the latest until the next push
    if (this.stride !== 1) this.provisional = this.total % this.stride !== 0;
    this.total++;
  }

  /** Drops every point; readers call it when a file was truncated or rewritten and is read again. */
  clear(): void {
    this.n = 0;
    this.total = 0;
    this.nonfinite = 0;
    this.firstNonfinite = NaN;
    this.backwards = 0;
    this.firstBackwards = NaN;
    this.lastStep = -Infinity;
    this.stride = 1;
    this.provisional = false;
    this.cap = 0;
    this.stepCol = new Float64Array(0);
    this.valueCol = new Float64Array(0);
    this.tokensCol = undefined;
    this.timeCol = undefined;
  }

  first(): { step: number; value: number } | undefined {
    return this.n ? { step: this.stepCol[0], value: this.valueCol[0] } : undefined;
  }

  last(): { step: number; value: number } | undefined {
    const i = this.n - 1;
    return i >= 0 ? { step: this.stepCol[i], value: this.valueCol[i] } : undefined;
  }

  /**
   * Adds the tokens or time column on its first value: the block is laid out again with one more column, and the
   * new column is back-filled with NaN.
   */
  private addColumn(which: 'tokens' | 'time'): Float64Array {
    const c = new Float64Array(0);
    if (which === 'tokens') this.tokensCol = c;
    else this.timeCol = c;
    this.resize(this.cap); // lays out the block with the new (empty) column
    const col = (which === 'tokens' ? this.tokensCol : this.timeCol) as Float64Array;
    col.fill(NaN, 0, this.n);
    return col;
  }

  /** Grows the columns (×4 up to maxPoints: fewer copies; untouched capacity costs no memory), or at the cap thins the kept points by half. */
  private makeRoom(): void {
    if (this.cap < this.maxPoints) {
      this.resize(Math.min(this.maxPoints, Math.max(INITIAL_CAPACITY, this.cap * 4)));
      return;
    }
    // Kept points sit at logged indices 0, s, 2s, …: keeping every other one leaves 0, 2s, 4s, …
    let w = 0;
    for (let r = 0; r < this.n; r += 2, w++) {
      this.stepCol[w] = this.stepCol[r];
      this.valueCol[w] = this.valueCol[r];
      if (this.tokensCol) this.tokensCol[w] = this.tokensCol[r];
      if (this.timeCol) this.timeCol[w] = this.timeCol[r];
    }
    this.n = w;
    this.stride *= 2;
  }

  /**
   * Lays the columns out in one block of `cap` points each: one allocation per growth instead of one per column (a
   * folder of 10,000 small runs makes hundreds of thousands of them, each costing a backing store and GC work).
   */
  private resize(cap: number): void {
    const cols = 2 + (this.tokensCol ? 1 : 0) + (this.timeCol ? 1 : 0);
    const block = column(cap * cols);
    let at = 0;
    const place = (c: Float64Array): Float64Array => {
      const next = block.subarray(at, at + cap);
      next.set(c.subarray(0, Math.min(this.n, c.length)));
      at += cap;
      return next;
    };
    this.stepCol = place(this.stepCol);
    this.valueCol = place(this.valueCol);
    if (this.tokensCol) this.tokensCol = place(this.tokensCol);
    if (this.timeCol) this.timeCol = place(this.timeCol);
    this.cap = cap;
  }
}

/** The metrics of one run, by name, created on first use. */
export class MetricTable {
  private readonly byName = new Map<string, Series>();

  constructor(readonly maxPointsPerSeries = DEFAULT_MAX_POINTS) {}

  get(name: string): Series {
    let s = this.byName.get(name);
    if (!s) {
      s = new Series(name, this.maxPointsPerSeries);
      this.byName.set(name, s);
    }
    return s;
  }

  find(name: string): Series | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  all(): Series[] {
    return this.names().map((n) => this.byName.get(n) as Series);
  }

  /** Removes one series (a column that turned out to be a setting, not a metric). */
  delete(name: string): void {
    this.byName.delete(name);
  }

  clear(): void {
    this.byName.clear();
  }
}
