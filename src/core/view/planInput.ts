/**
 * What the host holds for the Plan view: the user's choices (target, budget, objective, max runs; absent ones are
 * the planner's defaults), where the worker's planning job stands, its result, and the runs' architectures (from
 * their configs, which the fit artifact does not carry).
 */
import type { PlanChoice } from '../../contract/panel';
import type { PlanResult } from '../../contract/plan';
import type { RunArchitecture } from './planArchitecture';

/** targetC absent = the default (DEFAULT_TARGET_FACTOR × the largest run's); see PlanChoice for the others. */
export interface PlanInput extends PlanChoice {
  status: 'idle' | 'running' | 'ready' | 'error';
  result?: PlanResult;
  error?: string;
  architectures?: RunArchitecture[];
}
