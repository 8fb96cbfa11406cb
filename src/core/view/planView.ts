/**
 * The Plan view's model from the active fit and the host's planning state: the target, the interval now and after
 * each proposed run, each run's cost as a share of the target compute, and a config snippet to copy. Planning
 * needs a chinchilla fit over N and D with bootstrap draws; otherwise the view says why it is unavailable.
 */
import { PLAN_OBJECTIVE_NAMES, type PlanRunRow, type PlanView } from '../../contract/panel';
import type { FitDataset, FitResult } from '../../contract/fit';
import type { PlanResult } from '../../contract/plan';
import { DEFAULT_BUDGET_SHARE, DEFAULT_MAX_RUNS } from '../plan/plan';
import { architectureFor, architecturePattern, type ArchitecturePattern } from './planArchitecture';
import type { PlanInput } from './planInput';

/** The default target: this many times the compute of the largest fitted run. */
export const DEFAULT_TARGET_FACTOR = 100;
/** The planner refuses fewer draws than this (src/core/plan/plan.ts checkFit). */
const MIN_DRAWS = 20;

const fmt = (v: number): string => v.toPrecision(3);
const fmtInterval = (ci: [number, number]): string => `[${fmt(ci[0])}, ${fmt(ci[1])}]`;

function fittedRuns(dataset: FitDataset | undefined): { N: number; D: number }[] {
  return (dataset?.points ?? []).filter((p) => p.x.N > 0 && p.x.D > 0).map((p) => ({ N: p.x.N, D: p.x.D }));
}

function unavailableReason(fit: FitResult, runs: { N: number; D: number }[]): string | undefined {
  if (fit.law !== 'chinchilla')
    return `Planning needs a chinchilla fit over N and D (it weighs runs by their N and D); this fit is ${fit.law}.`;
  if ((fit.draws?.length ?? 0) < MIN_DRAWS)
    return `Planning needs the fit's bootstrap draws (it has ${fit.draws?.length ?? 0}); refit with a bootstrap of 200 or more.`;
  if (runs.length === 0) return 'The fit holds no points with both N and D.';
  return undefined;
}

function rows(result: PlanResult, pattern: ArchitecturePattern | undefined): PlanRunRow[] {
  return result.proposals.map((p) => {
    const row: PlanRunRow = {
      N: p.N,
      D: p.D,
      C: p.C,
      tokensPerParam: p.tokensPerParam,
      costShare: p.C / result.target.C,
      expectedInterval: p.expectedInterval,
    };
    return pattern ? { ...row, ...architectureFor(p.N, pattern) } : row;
  });
}

/** YAML a user can paste into a sweep config: one entry per proposed run. */
export function planSnippet(result: PlanResult, proposals: readonly PlanRunRow[]): string {
  const head = [
    `# Scaling Lens plan: target C=${result.target.C.toExponential(2)} FLOPs, ${result.objective}`,
    `# 95% interval ${fmtInterval(result.intervalNow)} now, ${fmtInterval(result.expectedInterval)} expected after these runs`,
    'runs:',
  ];
  const body = proposals.flatMap((r) => [
    `  - n_params: ${Math.round(r.N)}`,
    `    n_tokens: ${Math.round(r.D)}`,
    ...(r.dModel !== undefined && r.nLayers !== undefined
      ? [`    d_model: ${r.dModel}`, `    n_layers: ${r.nLayers}`]
      : []),
  ]);
  return [...head, ...body, ''].join('\n');
}

function readyMessage(result: PlanResult, budgetIsDefault: boolean): string {
  const n = result.proposals.length;
  const budget = `${result.budget.toExponential(2)} FLOPs${budgetIsDefault ? ` (the default, ${100 * DEFAULT_BUDGET_SHARE}% of the target)` : ''}`;
  return `${n} run${n === 1 ? '' : 's'} within a budget of ${budget}: the 95% interval of the ${PLAN_OBJECTIVE_NAMES[result.objective]} at the target goes from ${fmtInterval(result.intervalNow)} to ${fmtInterval(result.expectedInterval)} (expected).`;
}

export function buildPlanView(
  fit: FitResult | undefined,
  dataset: FitDataset | undefined,
  input: PlanInput | undefined,
): PlanView | undefined {
  if (!fit) return undefined;
  const runs = fittedRuns(dataset);
  const largest = Math.max(0, ...runs.map((r) => 6 * r.N * r.D));
  const targetC = input?.targetC ?? DEFAULT_TARGET_FACTOR * largest;
  const base = {
    targetC,
    targetIsDefault: input?.targetC === undefined,
    budget: input?.budget ?? DEFAULT_BUDGET_SHARE * targetC,
    budgetIsDefault: input?.budget === undefined,
    objective: input?.objective ?? 'loss',
    maxRuns: input?.maxRuns ?? DEFAULT_MAX_RUNS,
    runs,
    warnings: [] as string[],
  };
  const unavailable = unavailableReason(fit, runs);
  if (unavailable) return { ...base, status: 'unavailable', message: unavailable };
  const status = input?.status ?? 'idle';
  if (status === 'running')
    return { ...base, status, message: `Planning the next runs for C=${targetC.toExponential(2)} FLOPs…` };
  if (status === 'error') return { ...base, status, message: `Planning failed: ${input?.error ?? 'unknown error'}` };
  const result = input?.result;
  if (status === 'idle' || !result)
    return {
      ...base,
      status: 'idle',
      message: 'Press “Plan next runs” to find the runs that narrow the prediction at the target most.',
    };
  const proposals = rows(result, architecturePattern(input.architectures ?? []));
  return {
    ...base,
    // What the plan used, which is what the user chose unless the choices changed while it ran.
    targetC: result.target.C,
    budget: result.budget,
    objective: result.objective,
    status: 'ready',
    message: readyMessage(result, base.budgetIsDefault),
    warnings: result.warnings,
    result: {
      objective: result.objective,
      estimate: result.estimate,
      budget: result.budget,
      intervalNow: result.intervalNow,
      expectedInterval: result.expectedInterval,
      identifiable: result.identifiable,
      proposals,
      alternatives: result.alternatives.length,
    },
    snippet: planSnippet(result, proposals),
  };
}
