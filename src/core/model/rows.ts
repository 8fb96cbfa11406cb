import { Columns, copyColumn, type Slot, STEP, TIME, TOKENS } from './columns';
import { sharedColumn } from './sharedColumns';

/** A series that stores only its values and reads steps, tokens and times from the Rows it shares. */
export interface RowSharer {
  /** Points pushed: a sharer in step with its rows has one for every row. */
  readonly logged: number;
  /** Takes columns of its own (a copy of the rows' first points): it missed a row, or the rows stop sharing. */
  detach(from: Rows): void;
}

const INITIAL_CAPACITY = 16;

/**
 * The step, tokens and wall time of every record of one log (a JSON-lines line, a CSV row), stored once for all
 * the series that have a value on every record (`loss`, `lr`, `iter` of a nanoGPT log) instead of once per series:
 * for 10,000 small runs that is most of the memory. A series shares while it has had a value in every record since
 * the first (see Series.pushRow); one that misses a record takes its own copy and goes on alone (`val_loss` every
 * 20th line). Past `maxPoints` records the rows stop sharing (series thin on their own from there).
 */
export class Rows {
  readonly cols = new Columns([STEP]);
  /** Records pushed. */
  total = 0;
  lastStep = NaN;
  lastTokens = NaN;
  lastTime = NaN;
  private sharers: RowSharer[] = [];
  private sharing = true;
  /** Records a reader said are coming (see reserve). */
  private planned = 0;

  constructor(readonly maxPoints: number) {}

  /** Whether a series whose first value is in the record just pushed may share (see Series.pushRow). */
  get open(): boolean {
    return this.sharing && this.total === 1;
  }

  share(s: RowSharer): void {
    this.sharers.push(s);
  }

  /**
   * Room for the first `records` at once, when a reader knows how many lines it holds: the first record then lays
   * out the columns in one exact allocation (with the tokens and time columns if it has them) instead of growing
   * 16, 64, 256. Later growth stays geometric.
   */
  reserve(records: number): void {
    if (this.cols.cap === 0) this.planned = Math.min(this.maxPoints, records);
  }

  /** Starts a record; the series with a value in it then call pushRow. */
  push(step: number, tokens: number, time: number): void {
    // a sharer that had no value in the last record has points no longer the rows': it leaves with its copy
    if (this.sharers.length) {
      let kept = 0;
      for (const s of this.sharers) {
        if (s.logged === this.total) this.sharers[kept++] = s;
        else s.detach(this);
      }
      if (kept < this.sharers.length) this.sharers.length = kept;
    }
    this.total++;
    this.lastStep = step;
    this.lastTokens = tokens;
    this.lastTime = time;
    if (!this.sharing) return;
    const c = this.cols;
    if (c.n === c.cap) {
      if (c.cap >= this.maxPoints) {
        this.stopSharing();
        return;
      }
      const first: Slot[] = [];
      if (c.cap === 0 && tokens === tokens) first.push(TOKENS);
      if (c.cap === 0 && time === time) first.push(TIME);
      c.resize(
        c.cap === 0 && this.planned > 0
          ? this.planned
          : Math.min(this.maxPoints, Math.max(INITIAL_CAPACITY, c.cap * 4)),
        first,
      );
    }
    const i = c.n++;
    c.col(STEP)[i] = step;
    c.putAxes(i, tokens, time);
  }

  /**
   * The first records all at once, as that many calls of push would leave them (a table a worker parsed, see
   * LogTable): `tokens` and `time` NaN where a record had none. Only for fresh rows and at most maxPoints records.
   */
  load(step: Float64Array, tokens: Float64Array, time: Float64Array): void {
    const n = step.length;
    if (this.total !== 0 || n > this.maxPoints || n === 0) throw new RangeError('Rows.load: fresh rows only');
    const cols: (Float64Array | undefined)[] = [];
    // steps and tokens are often the same in every run of a sweep: kept once (see sharedColumn); wall times never are
    cols[STEP] = sharedColumn(step);
    if (anyNumber(tokens)) cols[TOKENS] = sharedColumn(tokens);
    if (anyNumber(time)) cols[TIME] = copyColumn(time);
    this.cols.adopt(n, cols);
    this.total = n;
    this.lastStep = step[n - 1];
    this.lastTokens = tokens[n - 1];
    this.lastTime = time[n - 1];
  }

  /** Every sharer takes its own columns and the rows keep only the last record (a log longer than maxPoints). */
  private stopSharing(): void {
    for (const s of this.sharers) s.detach(this);
    this.sharers = [];
    this.sharing = false;
    this.cols.clear([STEP]);
  }
}

/** Whether any entry is not NaN. */
function anyNumber(col: Float64Array): boolean {
  for (let i = 0; i < col.length; i++) if (col[i] === col[i]) return true;
  return false;
}
