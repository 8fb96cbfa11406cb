/**
 * The second half of a split first state (core/view/firstPaint.ts), posted a moment after the first: posted in the
 * same turn, VS Code carried both together and the page got its first plot no sooner (measured in code-server:
 * the ~700 KB state took ~170 ms from post to page). Anything newer goes after it (`flush` first); a page that is
 * gone or reset asks for the whole state again, so the pending half is dropped.
 */
export class DeferredPost<M> {
  private pending: { message: M; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(
    private readonly post: (message: M) => void,
    private readonly delayMs = 60,
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
