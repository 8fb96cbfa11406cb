import { parseScaleNumber } from '../core/config/values';
import { readArtifact } from '../core/fit/artifact';
import { PlanError } from '../core/errors';
import { DEFAULT_BUDGET_SHARE, DEFAULT_MAX_RUNS, planRuns, type PlanRequest } from '../core/plan/plan';
import type { PlannedRun, PlanObjective, PlanResult } from '../contract/plan';
import { parseArgs, UsageError } from './args';
import { formatReportNumber, parsePairs, table } from './format';

export const PLAN_USAGE =
  'scaling-lens plan <fit.json> --target C=<FLOPs> | --target N=…,D=… [--budget <FLOPs>] [--max-runs k] [--objective loss|n_opt|tokens_per_param] [--json]';

export const PLAN_HELP = `${PLAN_USAGE}
    Proposes up to k runs (N, D, C = 6·N·D) whose total compute stays within the budget and that minimise the
    expected width of the 95% interval of the objective at the target. <fit.json> is a chinchilla fit artifact with
    bootstrap draws (\`scaling-lens fit … --law chinchilla --bootstrap 200 --out fit.json\`).
    --target     C=1e23 (the compute-optimal split there) or N=7e9,D=1.4T (one run); values like 7B, 1.4T, 2**20
    --budget     total FLOPs of the proposed runs (default ${DEFAULT_BUDGET_SHARE * 100}% of the target's compute)
    --max-runs   at most this many runs (default ${DEFAULT_MAX_RUNS})
    --objective  loss (default), n_opt (compute-optimal N) or tokens_per_param (compute-optimal D/N) at the target
    Expected intervals come from refitting on simulated additions drawn from the fit's bootstrap draws; a
    Fisher-information screen picks the candidate sets first. Designs are ranked by the spread of the central 68%
    of their simulated draws (width_ratio: against the spread now), which is far less noisy than the 95% tails. When the runs cannot separate N from D, the plan
    aims at that first and says so.
    --json prints {"target","objective","budget","estimate","intervalNow","expectedInterval","proposals":[{"N","D","C",
    "tokens_per_param","expected_interval"}],"alternatives":[{"label","runs","C_total","expected_interval",
    "width_ratio","chosen","tokens_per_param_interval"? (when not identifiable)}],"identifiable","warnings"}`;

const OBJECTIVES: readonly PlanObjective[] = ['loss', 'n_opt', 'tokens_per_param'];

function positiveNumber(flag: string, text: string | true | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = typeof text === 'string' ? parseScaleNumber(text) : undefined;
  if (v === undefined || !(v > 0)) throw new UsageError(`--${flag} must be a positive number (like 1e21)`);
  return v;
}

function parseTarget(text: string): PlanRequest['target'] {
  const pairs = parsePairs(text, parseScaleNumber, '--target');
  const t: PlanRequest['target'] = {};
  for (const [k, v] of Object.entries(pairs)) {
    const key = k.toUpperCase();
    if (key !== 'C' && key !== 'N' && key !== 'D')
      throw new UsageError(`--target: "${k}" is not C, N or D (give C=<FLOPs>, or N=…,D=…)`);
    if (!(v > 0)) throw new UsageError(`--target: ${k} must be positive`);
    t[key] = v;
  }
  const hasC = t.C !== undefined,
    hasN = t.N !== undefined,
    hasD = t.D !== undefined;
  if (hasC ? hasN || hasD : !(hasN && hasD))
    throw new UsageError('--target takes C=<FLOPs> alone, or N=…,D=… together');
  return t;
}

function request(argv: string[]): { path: string; req: PlanRequest; json: boolean } {
  const args = parseArgs(argv, { booleans: ['json'], values: ['target', 'budget', 'max-runs', 'objective'] });
  if (args.positional.length !== 1) throw new UsageError(`give exactly one fit artifact\nusage: ${PLAN_USAGE}`);
  const targetText = args.flags.get('target');
  if (typeof targetText !== 'string') throw new UsageError(`--target is required\nusage: ${PLAN_USAGE}`);
  const req: PlanRequest = { target: parseTarget(targetText) };
  const budget = positiveNumber('budget', args.flags.get('budget'));
  if (budget !== undefined) req.budget = budget;
  const k = args.flags.get('max-runs');
  if (k !== undefined) {
    const n = typeof k === 'string' ? Number(k) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 10) throw new UsageError('--max-runs must be an integer from 1 to 10');
    req.maxRuns = n;
  }
  const o = args.flags.get('objective');
  if (o !== undefined) {
    if (typeof o !== 'string' || !(OBJECTIVES as readonly string[]).includes(o))
      throw new UsageError(`--objective must be one of ${OBJECTIVES.join(', ')}`);
    req.objective = o as PlanObjective;
  }
  return { path: args.positional[0], req, json: args.flags.has('json') };
}

const runJson = (r: PlannedRun): Record<string, number> => ({
  N: r.N,
  D: r.D,
  C: r.C,
  tokens_per_param: r.tokensPerParam,
});

/** The `--json` document: the plan in the CLI's snake_case names (part of the CLI contract). */
export function planJson(r: PlanResult): Record<string, unknown> {
  return {
    target: r.target,
    objective: r.objective,
    budget: r.budget,
    estimate: r.estimate,
    interval_now: r.intervalNow,
    expected_interval: r.expectedInterval,
    proposals: r.proposals.map((p) => ({ ...runJson(p), expected_interval: p.expectedInterval })),
    alternatives: r.alternatives.map((a) => ({
      label: a.label,
      runs: a.runs.map(runJson),
      C_total: a.cTotal,
      expected_interval: a.expectedInterval,
      width_ratio: a.widthRatio,
      chosen: a.chosen,
      ...(a.tokensPerParamInterval ? { tokens_per_param_interval: a.tokensPerParamInterval } : {}),
    })),
    identifiable: r.identifiable,
    warnings: r.warnings,
  };
}

const ci = (c: readonly [number, number]): string => `[${formatReportNumber(c[0])}, ${formatReportNumber(c[1])}]`;
const share = (C: number, of: number): string => `${formatReportNumber((100 * C) / of, 2)}%`;

function report(r: PlanResult, yName: string, budgetGiven: boolean): string[] {
  const what =
    r.objective === 'loss' ? yName : r.objective === 'n_opt' ? 'compute-optimal N' : 'compute-optimal tokens/param';
  const at =
    r.target.N !== undefined && r.target.D !== undefined
      ? `N=${formatReportNumber(r.target.N)}, D=${formatReportNumber(r.target.D)} (C = ${formatReportNumber(r.target.C)} FLOPs)`
      : `C = ${formatReportNumber(r.target.C)} FLOPs${r.objective === 'loss' ? ' (compute-optimal split)' : ''}`;
  const lines = [
    `plan: ${what} at ${at}`,
    `  budget ${formatReportNumber(r.budget)} FLOPs (${share(r.budget, r.target.C)} of the target${budgetGiven ? '' : '; --budget to change'})`,
    `  now ${formatReportNumber(r.estimate)}, 95% interval ${ci(r.intervalNow)}`,
  ];
  for (const w of r.warnings) lines.push(`  ${w}`);
  lines.push('', 'proposed runs (expected 95% interval once this run and those above it are added):');
  const rows = [['#', 'N', 'D', 'tokens/param', 'C', 'share of target', 'expected interval']];
  r.proposals.forEach((p, i) => {
    rows.push([
      String(i + 1),
      formatReportNumber(p.N),
      formatReportNumber(p.D),
      formatReportNumber(p.tokensPerParam, 3),
      formatReportNumber(p.C),
      share(p.C, r.target.C),
      ci(p.expectedInterval),
    ]);
  });
  lines.push(...table(rows));
  const ratio = r.alternatives.find((a) => a.chosen)?.widthRatio;
  lines.push(
    `  expected 95% interval after all: ${ci(r.expectedInterval)}${ratio === undefined ? '' : ` (spread ${formatReportNumber(ratio, 2)}× of now)`}`,
    '',
    r.identifiable
      ? 'designs weighed (narrowest expected interval first):'
      : 'designs weighed (narrowest expected interval of the compute-optimal tokens/param first: N and D must be told apart before the rest can be trusted):',
  );
  const alt = [['design', 'runs (N @ tokens/param)', 'C total', 'expected interval', 'spread vs now']];
  if (!r.identifiable) alt[0].push('optimal tokens/param');
  for (const a of r.alternatives) {
    const row = [
      `${a.chosen ? '* ' : '  '}${a.label}`,
      a.runs.map((x) => `${formatReportNumber(x.N, 3)}@${formatReportNumber(x.tokensPerParam, 3)}`).join(' '),
      formatReportNumber(a.cTotal),
      ci(a.expectedInterval),
      `${formatReportNumber(a.widthRatio, 2)}×`,
    ];
    if (a.tokensPerParamInterval) row.push(ci(a.tokensPerParamInterval));
    alt.push(row);
  }
  lines.push(...table(alt));
  return lines;
}

/** `scaling-lens plan`: which runs to train next so the prediction at the target is tight. */
export function planCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { path, req, json } = request(argv);
  const fit = readArtifact(path);
  let result: PlanResult;
  try {
    result = planRuns(fit, req);
  } catch (e) {
    if (e instanceof PlanError) throw new Error(`${path}: ${e.message}`);
    throw e;
  }
  if (json) out(JSON.stringify(planJson(result), null, 1));
  else for (const line of report(result, fit.data.yName, req.budget !== undefined)) out(line);
  return Promise.resolve(0);
}
