/**
 * What the host holds for the Plan view: the user's target (if any), where the worker's planning job stands, its
 * result, and the runs' architectures (from their configs, which the fit artifact does not carry).
 */
import type { PlanResult } from '../../contract/plan';
import type { RunArchitecture } from './planArchitecture';

export interface PlanInput {
  status: 'idle' | 'running' | 'ready' | 'error';
  /** The compute the user typed; absent = the default (DEFAULT_TARGET_FACTOR × the largest run's). */
  targetC?: number;
  result?: PlanResult;
  error?: string;
  architectures?: RunArchitecture[];
}
