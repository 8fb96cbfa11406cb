/**
 * A metric's points in columns. Columns (not an array of objects) because a long run has
 * hundreds of thousands of points and plain number arrays are ~5x smaller than point objects.
 * `tokens` and `time` are NaN where the log did not say.
 */
export class Series {
  readonly step: number[] = [];
  readonly value: number[] = [];
  readonly tokens: number[] = [];
  readonly time: number[] = [];

  constructor(readonly name: string) {}

  get count(): number {
    return this.step.length;
  }

  push(step: number, value: number, tokens = NaN, time = NaN): void {
    this.step.push(step);
    this.value.push(value);
    this.tokens.push(tokens);
    this.time.push(time);
  }

  /** Drops every point; readers call it when a file was truncated or rewritten and is read again. */
  clear(): void {
    this.step.length = 0;
    this.value.length = 0;
    this.tokens.length = 0;
    this.time.length = 0;
  }

  first(): { step: number; value: number } | undefined {
    return this.count ? { step: this.step[0], value: this.value[0] } : undefined;
  }

  last(): { step: number; value: number } | undefined {
    const i = this.count - 1;
    return i >= 0 ? { step: this.step[i], value: this.value[i] } : undefined;
  }
}

/** The metrics of one run, by name, created on first use. */
export class MetricTable {
  private readonly byName = new Map<string, Series>();

  get(name: string): Series {
    let s = this.byName.get(name);
    if (!s) {
      s = new Series(name);
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

  clear(): void {
    this.byName.clear();
  }
}
