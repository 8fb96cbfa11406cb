/**
 * Baseline for bench/fitFirst: a worker thread that fits exactly as the fit worker did before its JIT warm-up
 * (src/worker/jitWarmUp.ts): idle until the job, then one fitDataset call. Replies with the fit's wall time.
 */
import { parentPort } from 'node:worker_threads';
import { fitDataset } from '../src/core/fit/engine';
import type { FitDataset, FitOptions } from '../src/contract/fit';

const port = parentPort;
if (!port) throw new Error('fitFirstChild must run as a worker thread');
port.on('message', (m: { dataset: FitDataset; options: FitOptions }) => {
  const t = performance.now();
  const result = fitDataset(m.dataset, m.options);
  port.postMessage({ ms: performance.now() - t, result });
});
