/**
 * A first-in first-out queue whose take is O(1) however long it grows. `Array.prototype.shift` moves every element
 * once an array is large, and `slice(next).concat(more)` copies what waits: a scan of 100,000 runs queues that many
 * early reads and files to read ahead, and either made it quadratic.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Every item of `items`, in order (a loop, not a spread: a spread of 100,000 arguments overflows the stack). */
  pushAll(items: readonly T[]): void {
    for (const item of items) this.items.push(item);
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T; // let it go
    this.head++;
    // drop the taken prefix once it is most of the array: each item is moved at most a few times
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
