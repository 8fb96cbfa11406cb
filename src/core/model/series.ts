import { Columns, columnView, copyColumn, type Slot, STEP, TIME, TOKENS, VALUE } from './columns';
import { sameEntries, sharedColumn } from './sharedColumns';
import { Rows, type RowSharer } from './rows';
import { byName } from '../util/byName';

/**
 * Points kept per series before thinning starts. A plot is a few thousand pixels wide and a learning-curve fit
 * needs far fewer points than this, while a multi-GB log can hold millions per metric: the cap is what keeps
 * memory flat whatever the file size.
 */
export const DEFAULT_MAX_POINTS = 20_000;

const INITIAL_CAPACITY = 16;
const OWN: readonly Slot[] = [STEP, VALUE];

/**
 * A metric's points in columns of doubles (not an array of objects, and not growing JS arrays): a long run
 * has hundreds of thousands of points, and typed columns are both the smallest form and the cheapest to append to.
 * `tokens` and `time` are NaN where the log did not say; their columns are only allocated once a value arrives.
 * A series fed record by record (pushRow) reads the step, tokens and time columns of its log's Rows while it has a
 * value in every record, and stores only its values.
 *
 * Past `maxPoints` the series thins itself: every other kept point is dropped and only every `stride`-th logged
 * point is kept from then on (uniform in log order, like a decimated plot). The first point and the latest point
 * are always kept exactly, so "last value" and "last step" stay true. `logged` counts every point ever pushed;
 * `count` is what the columns hold.
 */
export class Series implements RowSharer {
  private readonly cols = new Columns(OWN);
  /** The rows whose step, tokens and time columns this series reads (its own columns then hold only values). */
  private rows: Rows | undefined;
  /**
   * Sharing rows, every value so far was the record's step (`iter`, `epoch`, `global_step` are metrics too): the
   * values are the rows' step column, until one differs.
   */
  private mirror = false;
  /** Views handed out, by slot, reused while still matching the columns (consumers index them in loops). */
  private views: (Float64Array | undefined)[] | undefined; // made on first use: most series are never viewed
  /** Only every stride-th logged point is kept; doubles at each thinning. */
  private stride = 1;
  /** The last stored point is the latest logged one but not a stride point: the next push replaces it. */
  private provisional = false;
  private total = 0;
  // What the series counts beyond its points (see the getters of the same meaning), as fields of its own: a small
  // run has a handful of series, and 10,000 runs made 50,000 more objects for the collector to trace. A step not
  // yet seen is undefined rather than NaN, which V8 would box on every series.
  private nonfinite = 0;
  private firstNonfinite: number | undefined;
  private backwards = 0;
  private firstBackwards: number | undefined;
  private lastStep: number | undefined;

  constructor(
    readonly name: string,
    readonly maxPoints = DEFAULT_MAX_POINTS,
  ) {
    if (maxPoints < 4) throw new RangeError(`maxPoints must be at least 4, got ${maxPoints}`);
  }

  /** Points stored (the length of the columns). */
  get count(): number {
    return this.cols.n;
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
    return this.firstNonfinite ?? NaN;
  }

  /** Times the step went backwards (a job restarted from a checkpoint logs the same steps again); kept as logged. */
  get restarts(): number {
    return this.backwards;
  }

  /** The step the first restart went back to (NaN when there is none). */
  get firstRestartStep(): number {
    return this.firstBackwards ?? NaN;
  }

  /** Whether points were dropped to stay under maxPoints. */
  get thinned(): boolean {
    return this.stride > 1;
  }

  /** Steps of the stored points (a view: valid until the next push or clear). */
  get step(): Float64Array {
    return this.view(STEP);
  }

  get value(): Float64Array {
    return this.view(VALUE);
  }

  get tokens(): Float64Array {
    return this.view(TOKENS);
  }

  get time(): Float64Array {
    return this.view(TIME);
  }

  push(step: number, value: number, tokens = NaN, time = NaN): void {
    if (this.rows) this.detach(this.rows); // fed point by point from now on: columns of its own
    this.note(step, value);
    const c = this.cols;
    if (this.provisional) c.n--; // superseded by this newer point
    if (c.n === c.cap) this.makeRoom();
    const i = c.n++;
    c.col(STEP)[i] = step;
    c.col(VALUE)[i] = value;
    c.putAxes(i, tokens, time);
    // only every stride-th logged point is kept for good; the others stand in as the latest until the next push
    if (this.stride !== 1) this.provisional = this.total % this.stride !== 0;
    this.total++;
  }

  /**
   * The value of the record `rows` just started (Rows.push): stored beside the rows' step, tokens and time while
   * this series has had a value in every record since the first, else as a point of its own.
   */
  pushRow(rows: Rows, value: number): void {
    if (this.rows !== rows) {
      if (this.total !== 0 || this.rows || !rows.open) {
        this.push(rows.lastStep, value, rows.lastTokens, rows.lastTime);
        return;
      }
      this.rows = rows;
      this.mirror = Object.is(value, rows.lastStep);
      this.cols.clear(this.mirror ? [] : [VALUE]);
      rows.share(this);
    } else if (this.total !== rows.total - 1) {
      this.push(rows.lastStep, value, rows.lastTokens, rows.lastTime); // it missed a record: detaches
      return;
    }
    this.note(rows.lastStep, value);
    const c = this.cols;
    if (this.mirror && !Object.is(value, rows.lastStep)) this.ownValues(rows);
    if (this.mirror) c.n++;
    else {
      if (c.n === c.cap) c.resize(rows.cols.cap); // the rows made room first
      c.col(VALUE)[c.n++] = value;
    }
    this.total++;
  }

  /**
   * A value in every record `rows` just loaded (Rows.load), as pushRow of each would leave it: sharing the rows'
   * step, tokens and time, with no value column while every value is its record's step. Only for a fresh series.
   */
  loadShared(rows: Rows, values: Float64Array): void {
    const n = values.length;
    if (this.total !== 0 || this.rows || rows.total !== n) throw new RangeError('Series.loadShared: fresh series only');
    const steps = rows.cols.col(STEP);
    // every value is its record's step (Object.is, entry by entry)
    const mirror = sameEntries(values, steps.length === n ? steps : steps.subarray(0, n));
    this.rows = rows;
    this.mirror = mirror;
    const c = this.cols;
    if (mirror) {
      c.clear([]);
      c.n = n;
    } else {
      // a value column equal to one kept before (a learning-rate schedule the runs of a sweep share) is kept once
      // (see sharedColumn); one as long as maxPoints would be thinned in place at the next push: its own
      const own: (Float64Array | undefined)[] = [];
      own[VALUE] = n < this.maxPoints ? sharedColumn(values) : copyColumn(values);
      c.adopt(n, own);
    }
    // what note() counts, in one pass over locals (a field write per point made this a tenth of a 10,000-run scan)
    let nonfinite = 0;
    let firstNonfinite: number | undefined;
    let backwards = 0;
    let firstBackwards: number | undefined;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v - v !== 0 && nonfinite++ === 0) firstNonfinite = steps[i];
      if (i > 0 && steps[i] < steps[i - 1] && backwards++ === 0) firstBackwards = steps[i];
    }
    this.nonfinite = nonfinite;
    this.firstNonfinite = firstNonfinite;
    this.backwards = backwards;
    this.firstBackwards = firstBackwards;
    this.lastStep = steps[n - 1];
    this.total = n;
    rows.share(this);
  }

  /** A series that mirrored the step takes a value column of its own (a copy of the steps so far). */
  private ownValues(rows: Rows): void {
    this.mirror = false;
    const c = this.cols;
    c.resize(Math.max(rows.cols.cap, c.n), [VALUE]);
    c.col(VALUE).set(rows.cols.col(STEP).subarray(0, c.n));
  }

  /** Takes columns of its own: a copy of the first points of the rows it shared (see Rows). */
  detach(from: Rows): void {
    if (this.rows !== from) return;
    if (this.mirror) this.ownValues(from);
    this.rows = undefined;
    const add: Slot[] = [STEP];
    if (from.cols.has(TOKENS)) add.push(TOKENS);
    if (from.cols.has(TIME)) add.push(TIME);
    // room for as much again as it has: a series that leaves early is a sparse one (an eval metric every N steps)
    this.cols.resize(Math.min(this.maxPoints, Math.max(this.cols.n * 2, INITIAL_CAPACITY)), add, from.cols);
  }

  /** Drops every point; readers call it when a file was truncated or rewritten and is read again. */
  clear(): void {
    this.rows = undefined;
    this.mirror = false;
    this.cols.clear(OWN);
    this.total = 0;
    this.nonfinite = 0;
    this.firstNonfinite = undefined;
    this.backwards = 0;
    this.firstBackwards = undefined;
    this.lastStep = undefined;
    this.stride = 1;
    this.provisional = false;
  }

  first(): { step: number; value: number } | undefined {
    return this.cols.n ? this.at(0) : undefined;
  }

  last(): { step: number; value: number } | undefined {
    return this.cols.n ? this.at(this.cols.n - 1) : undefined;
  }

  private at(i: number): { step: number; value: number } {
    const step = (this.rows ? this.rows.cols : this.cols).col(STEP)[i];
    return { step, value: this.mirror ? step : this.cols.col(VALUE)[i] };
  }

  /** The last finite tokens value stored (undefined when none): read in place, without making a view to keep. */
  lastFiniteTokens(): number | undefined {
    const from = this.rows ? this.rows.cols : this.cols;
    if (!from.has(TOKENS)) return undefined;
    const tokens = from.col(TOKENS);
    for (let i = this.cols.n - 1; i >= 0; i--) if (Number.isFinite(tokens[i])) return tokens[i];
    return undefined;
  }

  private view(slot: Slot): Float64Array {
    const from = (slot !== VALUE || this.mirror) && this.rows ? this.rows.cols : this.cols;
    const col = slot === VALUE && this.mirror ? STEP : slot;
    const views = (this.views ??= [undefined, undefined, undefined, undefined]);
    const v = columnView(views[slot], from.has(col) ? from.col(col) : undefined, this.cols.n);
    views[slot] = v;
    return v;
  }

  private note(step: number, value: number): void {
    if (value - value !== 0 && this.nonfinite++ === 0) this.firstNonfinite = step;
    if (this.lastStep !== undefined && step < this.lastStep && this.backwards++ === 0) this.firstBackwards = step;
    this.lastStep = step;
  }

  /** Grows the columns (×4 up to maxPoints: fewer copies), or at the cap thins the kept points by half. */
  private makeRoom(): void {
    const c = this.cols;
    if (c.cap < this.maxPoints) {
      c.resize(Math.min(this.maxPoints, Math.max(INITIAL_CAPACITY, c.cap * 4)));
      return;
    }
    // Kept points sit at logged indices 0, s, 2s, …: keeping every other one leaves 0, 2s, 4s, …
    c.halve();
    this.stride *= 2;
  }
}

/** Series a table finds by scanning its list; past this many it keeps a Map as well. */
const LIST_LOOKUP = 12;

/**
 * The metrics of one run, by name, created on first use; `rows` is shared by the series of a record-based log. A run
 * has a handful of metrics: they are found in a short list, and only a run with many keeps a Map (a Map per run was
 * 10,000 hash tables more for the collector to trace).
 */
export class MetricTable {
  private readonly list: Series[] = [];
  private byName: Map<string, Series> | undefined;
  private shared: Rows;

  constructor(readonly maxPointsPerSeries = DEFAULT_MAX_POINTS) {
    this.shared = new Rows(maxPointsPerSeries);
  }

  /** The records of the run's log (see Rows): a reader pushes each record here, then each value with pushRow. */
  get rows(): Rows {
    return this.shared;
  }

  get(name: string): Series {
    let s = this.find(name);
    if (!s) {
      s = new Series(name, this.maxPointsPerSeries);
      this.list.push(s);
      if (this.byName) this.byName.set(name, s);
      else if (this.list.length > LIST_LOOKUP) this.byName = new Map(this.list.map((x) => [x.name, x]));
    }
    return s;
  }

  find(name: string): Series | undefined {
    if (this.byName) return this.byName.get(name);
    for (const s of this.list) if (s.name === name) return s;
    return undefined;
  }

  names(): string[] {
    return this.list.map((s) => s.name).sort();
  }

  /** The series in the order they were made, not copied: for a maximum or a sum, where order does not matter. */
  unordered(): readonly Series[] {
    return this.list;
  }

  all(): Series[] {
    return [...this.list].sort(byName);
  }

  /** Removes one series (a column that turned out to be a setting, not a metric). */
  delete(name: string): void {
    const at = this.list.findIndex((s) => s.name === name);
    if (at >= 0) this.list.splice(at, 1);
    this.byName?.delete(name);
  }

  clear(): void {
    this.list.length = 0;
    this.byName = undefined;
    this.shared = new Rows(this.maxPointsPerSeries);
  }
}
