/**
 * Turns bursts of change events into one job. Keys (file paths) arriving within `debounceMs` of each other
 * are collected; when the burst goes quiet the job runs once with all of them. A burst that arrives while
 * the job runs is queued as ONE follow-up run, never several: a training run appending to its log every
 * 50 ms triggers one re-read per quiet period, not hundreds. `maxWaitMs` bounds how long a never-ending
 * burst can postpone the job, so a live run still updates.
 */
export class CoalescingQueue<K> {
  private pending = new Set<K>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstPendingAt = 0;
  private running: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly job: (keys: K[]) => Promise<void>,
    private readonly debounceMs: number,
    private readonly maxWaitMs = Math.max(debounceMs * 10, 2000),
    /** Where a failed job's error goes (the queue survives it and keeps running later bursts). */
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  push(key: K): void {
    if (this.disposed) return;
    if (this.pending.size === 0) this.firstPendingAt = Date.now();
    this.pending.add(key);
    if (this.timer) clearTimeout(this.timer);
    const waited = Date.now() - this.firstPendingAt;
    const delay = waited >= this.maxWaitMs ? 0 : Math.min(this.debounceMs, this.maxWaitMs - waited);
    this.timer = setTimeout(() => void this.flush(), delay);
  }

  /** Runs the job now with whatever is pending (and waits for it). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
    if (this.pending.size === 0 || this.disposed) return;
    const keys = [...this.pending];
    this.pending.clear();
    this.running = this.job(keys)
      .catch((e: unknown) => {
        this.onError(e);
      })
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }

  /** Resolves when nothing is pending or running. */
  async idle(): Promise<void> {
    while (this.timer || this.running || this.pending.size) {
      if (this.timer) await this.flush();
      else if (this.running) await this.running;
      else await this.flush();
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
  }
}
