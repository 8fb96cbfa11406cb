/**
 * The second half of a split first state (core/view/firstPaint.ts), held back until the page says it drew the
 * first half (`drawn`, the controller then flushes it), or `delayMs` at the latest. Sent 60 ms after the state, it
 * reached the page while its first plot was drawing and delayed that plot's paint by 0.1-0.2 s in code-server (the
 * ~700 KB message crosses the workbench first); posted in the same turn, both travelled as one. Anything newer goes
 * after it (`flush` first); a page that is gone or reset asks for the whole state again, so the pending half is
 * dropped.
 */
export class DeferredPost<M> {
  private pending: { message: M; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(
    private readonly post: (message: M) => void,
    private readonly delayMs = 3000,
  ) {}

  /** Posts `message` after the delay (a pending one goes out now). */
  schedule(message: M): void {
    this.flush();
    this.pending = {
      message,
      timer: setTimeout(() => {
        this.flush();
      }, this.delayMs),
    };
  }

  /** Posts the pending message now, if any. */
  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.drop();
    this.post(p.message);
  }

  drop(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }
}
