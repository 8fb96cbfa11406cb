/**
 * The host side of the fit worker, free of `vscode` so tests and the CLI can use it. One worker thread, one job
 * at a time; a newer request with the same key supersedes the older one (queued: dropped; running: cancelled).
 * A job that overruns its timeout is cancelled, and if the fit does not stop in time the worker is terminated;
 * a worker that crashes fails only the running job, and the next job starts a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import type { FitArtifact, FitDataset, FitOptions, FitResult } from '../contract/fit';
import type { PlanResult } from '../contract/plan';
import { isWorkerToHost, type HostToWorker, type PlanJobRequest, type WorkerInit } from '../contract/worker';

/** A job's message to the worker without its id (given when the job starts). */
type Work =
  | { type: 'fit'; dataset: FitDataset; options: FitOptions }
  | { type: 'plan'; artifact: FitArtifact; request: PlanJobRequest };

export type FitFailure = 'cancelled' | 'superseded' | 'timeout' | 'crash' | 'fit-error' | 'internal' | 'disposed';

export class FitJobError extends Error {
  constructor(
    readonly reason: FitFailure,
    message: string,
  ) {
    super(message);
    this.name = 'FitJobError';
  }
}

export interface FitClientOptions {
  /** The bundled worker script (dist/fitWorker.js); Node's workers need JavaScript. */
  script: string;
  execArgv?: string[];
  /** Per-job time limit; the default suits a bootstrap of a few thousand resamples. */
  timeoutMs?: number;
  /** How long a cancelled fit may take to notice before the worker is terminated. */
  killGraceMs?: number;
  log?: (message: string) => void;
}

interface Job {
  id: number;
  key: string;
  work: Work;
  onProgress?: (fraction: number, message: string) => void;
  /** A fit job resolves with a FitResult, a plan job with a PlanResult (the worker answers in kind). */
  resolve: (r: FitResult | PlanResult) => void;
  reject: (e: FitJobError) => void;
  /** Set when the job is being stopped, so the worker's answer is reported with the right reason. */
  stopping?: FitFailure;
  timers: ReturnType<typeof setTimeout>[];
}

export interface FitHandle<R = FitResult> {
  id: number;
  promise: Promise<R>;
  cancel(): void;
}

export class FitClient {
  private worker: Worker | undefined;
  private readonly cancelBuffer = new SharedArrayBuffer(4);
  private readonly cancelFlag = new Int32Array(this.cancelBuffer);
  private queue: Job[] = [];
  private running: Job | undefined;
  private nextId = 1;
  private disposed = false;
  private started = 0;

  constructor(private readonly opts: FitClientOptions) {}

  /** Workers started so far: a restart after a crash adds one. */
  get workersStarted(): number {
    return this.started;
  }

  fit(
    key: string,
    dataset: FitDataset,
    options: FitOptions,
    onProgress?: (fraction: number, message: string) => void,
  ): FitHandle {
    return this.submit<FitResult>(key, { type: 'fit', dataset, options }, onProgress);
  }

  /** Plans the next runs from a fit artifact (seconds of refits), off the caller's thread like a fit. */
  plan(key: string, artifact: FitArtifact, request: PlanJobRequest): FitHandle<PlanResult> {
    return this.submit<PlanResult>(key, { type: 'plan', artifact, request });
  }

  private submit<R extends FitResult | PlanResult>(
    key: string,
    work: Work,
    onProgress?: (fraction: number, message: string) => void,
  ): FitHandle<R> {
    const id = this.nextId++;
    let job!: Job;
    const promise = new Promise<R>((resolve, reject) => {
      job = { id, key, work, onProgress, resolve: resolve as (r: FitResult | PlanResult) => void, reject, timers: [] };
    });
    if (this.disposed) {
      job.reject(new FitJobError('disposed', 'the fit service has stopped'));
      return { id, promise, cancel: () => undefined };
    }
    // Newer supersedes older for the same key: the user only wants the latest data fitted.
    for (const old of this.queue.filter((j) => j.key === key))
      this.fail(old, new FitJobError('superseded', 'superseded by a newer fit request'));
    this.queue = this.queue.filter((j) => j.key !== key);
    if (this.running?.key === key) this.stop(this.running, 'superseded');
    this.queue.push(job);
    this.pump();
    return {
      id,
      promise,
      cancel: () => {
        this.cancel(id);
      },
    };
  }

  cancel(id: number): void {
    const queued = this.queue.find((j) => j.id === id);
    if (queued) {
      this.queue = this.queue.filter((j) => j !== queued);
      this.fail(queued, new FitJobError('cancelled', 'fit cancelled'));
    } else if (this.running?.id === id) this.stop(this.running, 'cancelled');
  }

  /** Cancels every queued and running job of a key. */
  cancelKey(key: string): void {
    for (const j of this.queue.filter((q) => q.key === key)) this.cancel(j.id);
    if (this.running?.key === key) this.cancel(this.running.id);
  }

  /** Terminates the worker as a crash would (tests; also the last resort for a fit that ignores cancellation). */
  async terminateWorker(): Promise<void> {
    await this.worker?.terminate();
  }

  /**
   * Starts the worker thread ahead of its first job (loading and compiling the engine's bundle), e.g. while the user
   * answers the fit prompts, so the fit they ask for does not wait for it. True when it started one.
   */
  warm(): boolean {
    if (this.disposed || this.worker) return false;
    this.ensureWorker();
    return true;
  }

  dispose(): void {
    this.disposed = true;
    for (const j of this.queue.splice(0)) this.fail(j, new FitJobError('disposed', 'the fit service has stopped'));
    if (this.running) this.fail(this.running, new FitJobError('disposed', 'the fit service has stopped'));
    this.running = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    Atomics.store(this.cancelFlag, 0, 0);
    const worker = this.ensureWorker();
    job.timers.push(
      setTimeout(() => {
        this.stop(job, 'timeout');
      }, this.opts.timeoutMs ?? 120_000),
    );
    const message: HostToWorker = { ...job.work, id: job.id };
    worker.postMessage(message);
  }

  /** Asks the running fit to stop; terminates the worker if it does not within the grace period. */
  private stop(job: Job, reason: FitFailure): void {
    if (job.stopping) return;
    job.stopping = reason;
    Atomics.store(this.cancelFlag, 0, job.id);
    job.timers.push(
      setTimeout(() => {
        if (this.running !== job) return;
        this.opts.log?.(
          `fit ${job.id} did not stop within ${this.opts.killGraceMs ?? 2000} ms; restarting the fit worker`,
        );
        void this.restartAfter(job, this.failure(job, reason));
      }, this.opts.killGraceMs ?? 2000),
    );
  }

  private failure(job: Job, reason: FitFailure, detail?: string): FitJobError {
    switch (reason) {
      case 'timeout':
        return new FitJobError(
          'timeout',
          `fit timed out after ${Math.round((this.opts.timeoutMs ?? 120_000) / 1000)} s; try fewer bootstrap resamples or fewer points`,
        );
      case 'superseded':
        return new FitJobError('superseded', 'superseded by a newer fit request');
      case 'cancelled':
        return new FitJobError('cancelled', 'fit cancelled');
      default:
        return new FitJobError(reason, detail ?? `fit ${job.id} failed`);
    }
  }

  private async restartAfter(job: Job, error: FitJobError): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    w?.removeAllListeners();
    await w?.terminate();
    this.finish(job, error);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const init: WorkerInit = { cancel: this.cancelBuffer };
    const worker = new Worker(this.opts.script, {
      workerData: init,
      execArgv: this.opts.execArgv,
      resourceLimits: { maxOldGenerationSizeMb: 4096 },
    });
    this.started++;
    // A replacement after a crash or a kill is worth a line in the output channel.
    if (this.started > 1) this.opts.log?.(`started fit worker #${String(this.started)} (the previous one stopped)`);
    worker.on('message', (m: unknown) => {
      this.onMessage(m);
    });
    worker.on('error', (e) => {
      this.onCrash(worker, `the fit worker crashed: ${e.message}`);
    });
    worker.on('exit', (code) => {
      this.onCrash(worker, `the fit worker stopped unexpectedly (exit code ${code})`);
    });
    this.worker = worker;
    return worker;
  }

  private onCrash(worker: Worker, message: string): void {
    if (this.worker !== worker) return; // an old worker we already replaced
    this.worker = undefined;
    worker.removeAllListeners();
    this.opts.log?.(message);
    const job = this.running;
    if (job) this.finish(job, new FitJobError('crash', `${message}; the next fit starts a fresh worker`));
  }

  private onMessage(m: unknown): void {
    if (!isWorkerToHost(m)) {
      this.opts.log?.('ignored a malformed message from the fit worker');
      return;
    }
    if (m.type === 'ready') return;
    const job = this.running;
    if (!job || job.id !== m.id) return; // an answer for a job already failed (timeout, supersede)
    if (m.type === 'progress') job.onProgress?.(m.fraction, m.message);
    // A fit that finished before it noticed the cancel still counts as stopped: the caller moved on.
    else if ((m.type === 'result') !== (job.work.type === 'fit') && m.type !== 'error')
      this.finish(job, new FitJobError('internal', `the worker answered a ${job.work.type} job with a ${m.type}`));
    else if (m.type === 'result' || m.type === 'planResult')
      this.finish(job, job.stopping ? this.failure(job, job.stopping) : undefined, m.result);
    else
      this.finish(
        job,
        m.reason === 'cancelled' && job.stopping
          ? this.failure(job, job.stopping)
          : new FitJobError(m.reason, m.message),
      );
  }

  private finish(job: Job, error: FitJobError | undefined, result?: FitResult | PlanResult): void {
    for (const t of job.timers) clearTimeout(t);
    if (this.running === job) this.running = undefined;
    if (error) job.reject(error);
    else if (result) job.resolve(result);
    this.pump();
  }

  private fail(job: Job, error: FitJobError): void {
    for (const t of job.timers) clearTimeout(t);
    job.reject(error);
  }
}
