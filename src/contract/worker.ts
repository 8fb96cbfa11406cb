/**
 * The host↔fit-worker contract: every message is a discriminated union on `type`, plain JSON data only.
 * The host sends `fit` and may cancel through the shared flag (a synchronous fit cannot read messages while it
 * runs); the worker answers with `progress`, then exactly one `result` or `error` per job id.
 */
import type { FitDataset, FitOptions, FitResult } from './fit';

export type HostToWorker = { type: 'fit'; id: number; dataset: FitDataset; options: FitOptions };

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'progress'; id: number; fraction: number; message: string }
  | { type: 'result'; id: number; result: FitResult }
  | { type: 'error'; id: number; reason: 'cancelled' | 'fit-error' | 'internal'; message: string };

/** Data handed to the worker at start: a shared Int32Array whose slot 0 holds the id of the job to cancel. */
export interface WorkerInit {
  cancel: SharedArrayBuffer;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

export function isHostToWorker(m: unknown): m is HostToWorker {
  return (
    isObject(m) &&
    m.type === 'fit' &&
    isId(m.id) &&
    isObject(m.dataset) &&
    Array.isArray(m.dataset.points) &&
    isObject(m.options) &&
    typeof m.options.law === 'string'
  );
}

export function isWorkerToHost(m: unknown): m is WorkerToHost {
  if (!isObject(m)) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'progress':
      return isId(m.id) && typeof m.fraction === 'number' && typeof m.message === 'string';
    case 'result':
      return isId(m.id) && isObject(m.result) && typeof m.result.law === 'string' && isObject(m.result.params);
    case 'error':
      return (
        isId(m.id) &&
        (m.reason === 'cancelled' || m.reason === 'fit-error' || m.reason === 'internal') &&
        typeof m.message === 'string'
      );
    default:
      return false;
  }
}
