/**
 * The fit worker (a worker_thread): runs fits off the extension host so a slow or diverging fit never blocks
 * the editor. One job at a time; the host serialises requests. Cancellation arrives through a shared flag
 * because a synchronous fit cannot receive messages while it runs.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { fitDataset } from '../core/fit/engine';
import { FitCancelledError, FitError, PlanError } from '../core/errors';
import { planRuns } from '../core/plan/plan';
import { warmUp } from './jitWarmUp';
import { isHostToWorker, type HostToWorker, type WorkerInit, type WorkerToHost } from '../contract/worker';

const port = parentPort;
if (!port) throw new Error('fitWorker must run as a worker thread');
const cancel = new Int32Array((workerData as WorkerInit).cancel);
const send = (m: WorkerToHost): void => {
  port.postMessage(m);
};

port.on('message', handle);

function handle(m: unknown): void {
  if (!isHostToWorker(m)) return; // the host is ours, but a malformed message must not kill the worker
  if (m.type === 'plan') {
    plan(m);
    return;
  }
  const { id, dataset, options } = m;
  let lastProgress = 0;
  try {
    const result = fitDataset(dataset, {
      ...options,
      isCancelled: () => Atomics.load(cancel, 0) === id,
      onProgress: (fraction, message) => {
        // At most ~20 progress messages a second: bootstrap loops report per resample.
        const now = Date.now();
        if (now - lastProgress < 50 && fraction < 1) return;
        lastProgress = now;
        send({ type: 'progress', id, fraction, message });
      },
    });
    send({ type: 'result', id, result });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const reason = e instanceof FitCancelledError ? 'cancelled' : e instanceof FitError ? 'fit-error' : 'internal';
    send({
      type: 'error',
      id,
      reason,
      message: reason === 'internal' ? `internal error in the fit engine: ${message}` : message,
    });
  }
}

/** The planner has no cancellation points; a cancelled plan ends when the host terminates the worker. */
function plan(m: Extract<HostToWorker, { type: 'plan' }>): void {
  try {
    send({ type: 'planResult', id: m.id, result: planRuns(m.artifact, m.request) });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const known = e instanceof PlanError || e instanceof FitError;
    send({
      type: 'error',
      id: m.id,
      reason: known ? 'fit-error' : 'internal',
      message: known ? message : `internal error in the planner: ${message}`,
    });
  }
}

send({ type: 'ready' });

/**
 * Idle until the first job: warm V8 up on a made-up fit (jitWarmUp.ts). A job that arrives meanwhile is taken off
 * the port at the warm-up's next start or resample, which stops it, and then runs as it would have.
 */
setImmediate(() => {
  const waiting: unknown[] = [];
  warmUp(() => {
    const m = receiveMessageOnPort(port);
    if (m) waiting.push(m.message);
    return waiting.length > 0;
  });
  for (const m of waiting) handle(m);
});
