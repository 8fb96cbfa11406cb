import { readArtifact } from '../core/fit/artifact';
import type { DatasetSelection } from '../core/fit/dataset';
import { fitDataset } from '../core/fit/engine';
import {
  envelopeFrontier,
  groupBudgets,
  isoflopFrontier,
  parametricFrontier,
  type FrontierMethod,
  type FrontierPoint,
  type FrontierResult,
} from '../core/fit/frontier';
import type { FitDataset } from '../contract/fit';
import { parseArgs, UsageError } from './args';
import { loadDataset } from './fitInput';
import { formatReportNumber, table } from './format';

export const FRONTIER_USAGE =
  'scaling-lens frontier <path...> --method envelope|isoflop|parametric [--alloc N|D|<column>] [--c C|<column>] [--y <metric>] [--json]';

export const FRONTIER_HELP = `${FRONTIER_USAGE}
    The compute-optimal frontier x_opt(C) = coef·C^exponent of the allocated variable (--alloc, default N), C in the
    units of the --c column (default C: the runs' compute, 6·N·D at checkpoints).
    --method envelope   Approach 1: lower envelope of the runs' training curves (every checkpoint after --drop, default 0)
             isoflop    Approach 2: per compute budget (runs within --tolerance, default 0.1, of the same C) a parabola of
                        loss in ln(alloc), then a power law through the vertices; its known biases are named in the warnings
             parametric from a chinchilla fit of the data (or of --fit fit.json); --alloc N or D, C = 6·N·D
    --budgets n (envelope, default 60), --where col=value (tables), --checkpoints (parametric), --seed S, --embeddings
    --json prints {"method","alloc","opt":{"exponent","coef"},"budgets":[{"C","x_opt","loss_opt"}],"loss_frontier":{"exponent","coef"},"warnings":[]}`;

const FLAGS = {
  booleans: ['json', 'checkpoints', 'embeddings'],
  values: ['method', 'alloc', 'c', 'y', 'budgets', 'tolerance', 'drop', 'where', 'fit', 'seed'],
};

/** The `frontier --json` contract (issue #3), plus the loss frontier through the same budgets. */
export interface FrontierJson {
  method: FrontierMethod;
  alloc: string;
  opt: { exponent: number; coef: number };
  budgets: { C: number; x_opt: number; loss_opt: number; run?: string }[];
  loss_frontier: { exponent: number; coef: number };
  warnings: string[];
}

export function frontierJson(r: FrontierResult): FrontierJson {
  return {
    method: r.method,
    alloc: r.alloc,
    opt: { exponent: r.opt.exponent, coef: r.opt.coef },
    budgets: r.budgets.map((b) =>
      b.run === undefined
        ? { C: b.C, x_opt: b.xOpt, loss_opt: b.lossOpt }
        : { C: b.C, x_opt: b.xOpt, loss_opt: b.lossOpt, run: b.run },
    ),
    loss_frontier: { exponent: r.loss.exponent, coef: r.loss.coef },
    warnings: r.warnings,
  };
}

function str(v: string | true | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function numberFlag(
  flags: Map<string, string | true>,
  name: string,
  ok: (n: number) => boolean,
  what: string,
): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`--${name} must be ${what}`);
  return n;
}

function parseWhere(text: string | undefined): Record<string, string> {
  const where: Record<string, string> = {};
  for (const item of (text ?? '').split(',').filter((s) => s.trim())) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--where: "${item}" is not column=value`);
    where[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return where;
}

/** Frontier points from a dataset whose x holds the compute column and the allocated variable. */
function toPoints(data: FitDataset, c: string, alloc: string): FrontierPoint[] {
  return data.points.map((p) => ({ runId: p.runId, C: p.x[c], x: p.x[alloc], loss: p.y, step: p.step }));
}

/** IsoFLOP wants one point per run: a table of learning curves contributes each run's last (largest-C) row. */
function finalPerRun(points: FrontierPoint[], warnings: string[]): FrontierPoint[] {
  const last = new Map<string, FrontierPoint>();
  let extra = 0;
  for (const p of points) {
    const prev = last.get(p.runId);
    if (prev) extra++;
    if (!prev || p.C > prev.C) last.set(p.runId, p);
  }
  if (extra)
    warnings.push(`${extra} points were not a run's final one; isoflop uses each run's last point (largest C)`);
  return [...last.values()];
}

async function compute(
  method: FrontierMethod,
  paths: string[],
  flags: Map<string, string | true>,
): Promise<{ result: FrontierResult; yName: string; runs: number }> {
  const alloc = str(flags.get('alloc')) ?? 'N';
  const c = str(flags.get('c')) ?? 'C';
  if (alloc === c) throw new UsageError(`--alloc and --c name the same column "${c}"`);
  const where = parseWhere(str(flags.get('where')));
  const y = str(flags.get('y'));
  const opts = { countEmbeddings: flags.has('embeddings') };
  const tolerance = numberFlag(flags, 'tolerance', (n) => n > 0 && n < 1, 'a fraction in (0, 1)');
  const seed = numberFlag(flags, 'seed', Number.isInteger, 'an integer');

  if (method === 'parametric') {
    if (alloc !== 'N' && alloc !== 'D')
      throw new UsageError(`--method parametric allocates N or D (chinchilla's variables), not "${alloc}"`);
    if (c !== 'C') throw new UsageError('--method parametric takes C = 6·N·D; --c does not apply');
    const fitFile = str(flags.get('fit'));
    let fit;
    let data: FitDataset;
    const pre: string[] = [];
    if (fitFile) {
      if (paths.length) throw new UsageError('give either --fit <fit.json> or data paths, not both');
      const artifact = readArtifact(fitFile);
      fit = artifact;
      data = {
        points: artifact.data.points.map((p) => ({ ...p })),
        xNames: artifact.data.xNames,
        yName: artifact.data.yName,
        definitions: artifact.data.definitions,
      };
      if (!data.xNames.includes('N') || !data.xNames.includes('D'))
        throw new Error(
          `${fitFile}: a ${artifact.law} fit over ${data.xNames.join(', ')}; the parametric frontier needs a chinchilla fit over N and D`,
        );
    } else {
      if (!paths.length) throw new UsageError(`no path given (or --fit fit.json)\nusage: ${FRONTIER_USAGE}`);
      const sel: DatasetSelection = { x: ['N', 'D'], y, checkpoints: flags.has('checkpoints'), where };
      const build = await loadDataset(paths, sel, opts);
      data = build.dataset;
      pre.push(...build.warnings);
      fit = fitDataset(data, { law: 'chinchilla', ...(seed !== undefined ? { seed } : {}) });
    }
    // Budgets: the compute of the data's points (C = 6·N·D), one per IsoFLOP-like group.
    const pts = data.points
      .filter((p) => p.x.N > 0 && p.x.D > 0)
      .map((p) => ({ runId: p.runId, C: 6 * p.x.N * p.x.D, x: p.x.N, loss: p.y }));
    const budgets = groupBudgets(pts, tolerance ?? 0.1).map((g) =>
      Math.exp(g.reduce((s, p) => s + Math.log(p.C), 0) / g.length),
    );
    const result = parametricFrontier(fit, alloc, budgets);
    result.warnings.unshift(...pre);
    return { result, yName: data.yName, runs: new Set(data.points.map((p) => p.runId)).size };
  }

  if (!paths.length) throw new UsageError(`no path given\nusage: ${FRONTIER_USAGE}`);
  const envelope = method === 'envelope';
  const drop = numberFlag(flags, 'drop', (n) => n >= 0 && n < 1, 'a fraction in [0, 1)');
  const sel: DatasetSelection = { x: [c, alloc], y, checkpoints: envelope, dropFraction: drop ?? 0, where };
  const build = await loadDataset(paths, sel, opts);
  let points = toPoints(build.dataset, c, alloc);
  const pre = [...build.warnings];
  let result: FrontierResult;
  if (envelope) {
    const n = numberFlag(flags, 'budgets', (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2');
    result = envelopeFrontier(points, alloc, n !== undefined ? { budgets: n } : {});
  } else {
    points = finalPerRun(points, pre);
    result = isoflopFrontier(points, alloc, tolerance !== undefined ? { tolerance } : {});
  }
  result.warnings.unshift(...pre);
  return { result, yName: build.dataset.yName, runs: new Set(points.map((p) => p.runId)).size };
}

const TITLES: Record<FrontierMethod, string> = {
  envelope: 'lower envelope of training curves (Approach 1)',
  isoflop: 'IsoFLOP parabolas (Approach 2)',
  parametric: 'closed form of a chinchilla fit',
};

function printFrontier(r: FrontierResult, yName: string, runs: number, out: (s: string) => void): void {
  out(
    `compute-optimal ${r.alloc} by ${TITLES[r.method]}: ${yName} from ${runs} run${runs === 1 ? '' : 's'}, ${r.budgets.length} budgets`,
  );
  out(`  ${r.alloc}_opt(C) = ${formatReportNumber(r.opt.coef)} · C^${formatReportNumber(r.opt.exponent)}`);
  out(`  ${yName} at the optimum ≈ ${formatReportNumber(r.loss.coef)} · C^${formatReportNumber(r.loss.exponent)}`);
  out('');
  // A long budget list is thinned for the terminal; --json has every budget.
  const shown =
    r.budgets.length <= 20
      ? r.budgets
      : Array.from({ length: 20 }, (_, i) => r.budgets[Math.round((i * (r.budgets.length - 1)) / 19)]);
  const withRun = r.budgets.some((b) => b.run !== undefined);
  const rows = [['C', `${r.alloc}_opt`, `${yName}_opt`, ...(withRun ? ['run'] : [])]];
  for (const b of shown) rows.push([formatReportNumber(b.C), formatReportNumber(b.xOpt), formatReportNumber(b.lossOpt), ...(withRun ? [b.run ?? ''] : [])]);
  for (const line of table(rows)) out(line.trimEnd());
  if (shown.length < r.budgets.length)
    out(`  (${shown.length} of ${r.budgets.length} budgets shown; --json lists all)`);
  if (r.warnings.length) {
    out('');
    out(`warnings (${r.warnings.length}):`);
    for (const w of r.warnings) out(`  - ${w}`);
  }
}

/** `scaling-lens frontier`: the compute-optimal allocation from runs or a table, by one of three methods. */
export async function frontierCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  const method = str(args.flags.get('method'));
  if (method !== 'envelope' && method !== 'isoflop' && method !== 'parametric')
    throw new UsageError(`--method must be envelope, isoflop or parametric\nusage: ${FRONTIER_USAGE}`);
  const { result, yName, runs } = await compute(method, args.positional, args.flags);
  if (args.flags.has('json')) out(JSON.stringify(frontierJson(result), null, 1));
  else printFrontier(result, yName, runs, out);
  return 0;
}
