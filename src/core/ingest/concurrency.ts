/**
 * File I/O a few operations at a time. One at a time leaves the disk and libuv's thread pool idle between calls
 * (a folder of 10,000 small runs is then mostly waiting); all at once opens thousands of files and holds their
 * buffers together. A bounded number in flight keeps the pool busy and memory flat.
 */
export const IO_CONCURRENCY = 32;

/** `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Lets timers and I/O callbacks run (a microtask would not): long synchronous stretches call it now and then. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * For loops over thousands of runs: returns a promise to await when `sliceMs` of synchronous work have passed since
 * the last yield (then the event loop runs), else undefined (nothing to await, no microtask either).
 */
export function timeSlicer(sliceMs = 8): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    if (performance.now() - last < sliceMs) return undefined;
    return yieldToEventLoop().then(() => {
      last = performance.now();
    });
  };
}
