/**
 * The host↔fit-worker contract: every message is a discriminated union on `type`, plain JSON data only.
 * The host sends `fit` (or `plan`: the run planner, which takes seconds) and may cancel through the shared flag (a synchronous fit cannot read messages while it
 * runs); the worker answers with `progress`, then exactly one `result` or `error` per job id.
 */
import type { FitArtifact, FitDataset, FitOptions, FitResult } from './fit';
import type { PlanObjective, PlanResult } from './plan';

/** What to plan for: the planner's request (src/core/plan/plan.ts PlanRequest) as plain data. */
export interface PlanJobRequest {
  target: { C?: number; N?: number; D?: number };
  budget?: number;
  maxRuns?: number;
  objective?: PlanObjective;
}

export type HostToWorker =
  | { type: 'fit'; id: number; dataset: FitDataset; options: FitOptions }
  | { type: 'plan'; id: number; artifact: FitArtifact; request: PlanJobRequest };

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'progress'; id: number; fraction: number; message: string }
  | { type: 'result'; id: number; result: FitResult }
  | { type: 'planResult'; id: number; result: PlanResult }
  | { type: 'error'; id: number; reason: 'cancelled' | 'fit-error' | 'internal'; message: string };

/** Data handed to the worker at start: a shared Int32Array whose slot 0 holds the id of the job to cancel. */
export interface WorkerInit {
  cancel: SharedArrayBuffer;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

export function isHostToWorker(m: unknown): m is HostToWorker {
  if (!isObject(m) || !isId(m.id)) return false;
  if (m.type === 'plan')
    return (
      isObject(m.artifact) &&
      typeof m.artifact.law === 'string' &&
      isObject(m.artifact.data) &&
      isObject(m.request) &&
      isObject(m.request.target)
    );
  return (
    m.type === 'fit' &&
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
    case 'planResult':
      return (
        isId(m.id) &&
        isObject(m.result) &&
        Array.isArray(m.result.intervalNow) &&
        Array.isArray(m.result.proposals) &&
        Array.isArray(m.result.warnings)
      );
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
