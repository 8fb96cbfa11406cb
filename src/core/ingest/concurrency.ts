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
 * the last yield (then the event loop runs), else undefined. Use as `const pause = slice(); if (pause) await pause;`:
 * `await slice()` would still cost a microtask turn (and an async function's resumption) per item.
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

/** When the current slice of synchronous work began (see yieldWhenBusy). */
let sliceStart = performance.now();
/** Short: a slice stretches on a busy machine, and the host's event-loop delay should stay well under 50 ms. */
const SLICE_MS = 4;

/**
 * For work that resumes in bursts (a batch of reads answered at once wakes dozens of readers in one drain of the
 * microtask queue, and each then parses a file): undefined while the current slice is under SLICE_MS, else a promise
 * that resolves after the event loop has turned, once a new slice has begun. One slice for the whole process, so
 * readers that wake together take turns across loop iterations instead of running back to back.
 */
export function yieldWhenBusy(): Promise<void> | undefined {
  if (performance.now() - sliceStart < SLICE_MS) return undefined;
  return (async () => {
    while (performance.now() - sliceStart >= SLICE_MS) {
      const asked = performance.now();
      await yieldToEventLoop();
      // the first to come back after the loop turned starts the new slice; the others share it
      if (sliceStart < asked) sliceStart = performance.now();
    }
  })();
}
