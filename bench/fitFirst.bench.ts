/**
 * The fit a user waits for after "Fit Scaling Law…" with every default (auto over N, D, 200 resamples) on the
 * bundled examples, as the first job of a fresh fit worker that was started when the prompts opened and sat idle
 * through them (1.6 s, four quick picks): the product's worker (which warms V8 up meanwhile, jitWarmUp.ts) against
 * the same-run baseline of a worker thread that only fits (the worker as it was). Wall times, median of 5 fresh
 * workers each, from posting the job to its result; both must give the same parameters.
 */
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { loadDataset } from '../src/cli/fitInput';
import type { FitOptions, FitResult } from '../src/contract/fit';
import { FitClient } from '../src/worker/fitClient';
import { bundleChild } from './bundleChild';

const PROMPTS_MS = 1600;
const REPS = 5;
const OPTIONS: FitOptions = { law: 'auto', bootstrap: 200, holdout: 0, seed: 1 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function run(): Promise<Record<string, unknown>> {
  const { dataset } = await loadDataset([resolve(__dirname, '../examples/results')], { x: ['N', 'D'] });
  const product = await bundleChild('../src/worker/fitWorker.ts');
  const plain = await bundleChild('fitFirstChild.ts');
  const warmed: number[] = [];
  const cold: number[] = [];
  let same = true;
  for (let i = 0; i < REPS; i++) {
    const client = new FitClient({ script: product });
    client.warm();
    await sleep(PROMPTS_MS);
    let t = performance.now();
    const ours = await client.fit('bench', dataset, OPTIONS).promise;
    warmed.push(performance.now() - t);
    client.dispose();

    const worker = new Worker(plain);
    await sleep(PROMPTS_MS);
    t = performance.now();
    const base = await new Promise<{ result: FitResult }>((done) => {
      worker.once('message', done);
      worker.postMessage({ dataset, options: OPTIONS });
    });
    cold.push(performance.now() - t);
    await worker.terminate();
    same &&= JSON.stringify(ours.params) === JSON.stringify(base.result.params);
  }
  return {
    problem: `default fit (auto over N, D; 200 resamples) on examples/ (${dataset.points.length} points), first job of a worker idle for ${PROMPTS_MS} ms`,
    first_fit_after_prompts_ms: Math.round(median(warmed)),
    baseline_first_fit_without_warm_up_ms: Math.round(median(cold)),
    same_parameters: same,
  };
}
