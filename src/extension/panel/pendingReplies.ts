/**
 * Requests to the webview that expect a reply (render this plot as an image), correlated by id. Each has a timeout,
 * and all are rejected when the panel goes away, so a caller never waits forever on a closed webview.
 * No vscode import: unit-tested on its own.
 */
export class PendingReplies<T> {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: T): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }
  >();

  constructor(private readonly timeoutMs: number) {}

  /** A new request id and the promise its reply settles. */
  open(what: string): { id: number; reply: Promise<T> } {
    const id = this.next++;
    const reply = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${what}: the panel did not answer within ${Math.round(this.timeoutMs / 1000)} s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    return { id, reply };
  }

  /** Settles a request; false for an unknown or already settled id (a late or forged reply). */
  settle(id: number, outcome: { ok: true; value: T } | { ok: false; error: string }): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (outcome.ok) p.resolve(outcome.value);
    else p.reject(new Error(outcome.error));
    return true;
  }

  rejectAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
      this.pending.delete(id);
    }
  }

  get size(): number {
    return this.pending.size;
  }
}
