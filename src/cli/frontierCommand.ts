import { readArtifact } from '../core/fit/artifact';
import type { DatasetSelection } from '../core/fit/dataset';
import { fitDataset } from '../core/fit/engine';
import {
  envelopeFrontier,
  groupBudgets,
  parametricFrontier,
  type FrontierMethod,
  type FrontierPoint,
  type FrontierResult,
} from '../core/fit/frontier';
import { isoflopFrontier, type IsoflopOptions } from '../core/fit/isoflop';
import { vpnlsFrontier } from '../core/fit/vpnls';
import type { FitDataset } from '../contract/fit';
import { parseArgs, UsageError } from './args';
import { compareCommand, COMPARE_HELP } from './compareCommand';
import {
  chinchillaAlloc,
  finalPerRun,
  FRONTIER_FLAGS,
  loadSized,
  numberFlag,
  parseWhere,
  str,
  type Flags,
} from './frontierInput';
import { loadDataset } from './fitInput';
import { formatReportNumber, table } from './format';

export const FRONTIER_USAGE =
  'scaling-lens frontier <path...> --method envelope|isoflop|parametric|vpnls|compare [--alloc N|D|<column>] [--c C|<column>] [--y <metric>] [--json]';

export const FRONTIER_HELP = `${FRONTIER_USAGE}
    The compute-optimal frontier x_opt(C) = coef·C^exponent of the allocated variable (--alloc, default N), C in the
    units of the --c column (default C: the runs' compute, 6·N·D at checkpoints).
    --method envelope   Approach 1: lower envelope of the runs' training curves (every checkpoint after --drop, default 0)
             isoflop    Approach 2: per compute budget (runs within --tolerance, default 0.1, of the same C) a parabola of
                        loss in ln(alloc) on the points within --window decades (default 0.5) of the lowest one; budgets
                        whose lowest loss is on the grid's edge are listed with "excluded"; then a power law through the
                        vertices, with opt.ci95 from --bootstrap resamples (default 200) of the points within budgets
             parametric from a chinchilla fit of the data (or of --fit fit.json); --alloc N or D, C = 6·N·D
             vpnls      L = E + A/N^α + B/D^β by least squares over every run's final point (E, A, B projected out on
                        a dense α, β grid, then refined); --alloc N or D, C = 6·N·D; budgets as for isoflop;
                        opt.ci95 from the fit's --bootstrap draws (default 100), as fit's bootstrap
             compare    all of the above side by side, each with its bias on this grid (see below)
    --budgets n (envelope, default 60), --where col=value (tables), --checkpoints (parametric), --seed S, --embeddings
    --json prints {"method","alloc","opt":{"exponent","coef","ci95"?:{"exponent","coef"}},"budgets":[{"C","x_opt","loss_opt","run"?,"excluded"?}],"loss_frontier":{"exponent","coef"},"warnings":[]}
${COMPARE_HELP}`;

/** The `frontier --json` contract (issue #3), plus the loss frontier through the same budgets. */
export interface FrontierJson {
  method: FrontierMethod;
  alloc: string;
  opt: { exponent: number; coef: number; ci95?: { exponent: [number, number]; coef: [number, number] } };
  budgets: { C: number; x_opt: number; loss_opt: number; run?: string; excluded?: string }[];
  loss_frontier: { exponent: number; coef: number };
  warnings: string[];
}

export function frontierJson(r: FrontierResult): FrontierJson {
  return {
    method: r.method,
    alloc: r.alloc,
    opt: { exponent: r.opt.exponent, coef: r.opt.coef, ...(r.opt.ci95 ? { ci95: r.opt.ci95 } : {}) },
    budgets: r.budgets.map((b) => ({
      C: b.C,
      x_opt: b.xOpt,
      loss_opt: b.lossOpt,
      ...(b.run === undefined ? {} : { run: b.run }),
      ...(b.excluded === undefined ? {} : { excluded: b.excluded }),
    })),
    loss_frontier: { exponent: r.loss.exponent, coef: r.loss.coef },
    warnings: r.warnings,
  };
}

/** Frontier points from a dataset whose x holds the compute column and the allocated variable. */
function toPoints(data: FitDataset, c: string, alloc: string): FrontierPoint[] {
  return data.points.map((p) => ({ runId: p.runId, C: p.x[c], x: p.x[alloc], loss: p.y, step: p.step }));
}

async function compute(
  method: FrontierMethod,
  paths: string[],
  flags: Flags,
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

  if (method === 'vpnls') {
    const a = chinchillaAlloc(flags, 'vpnls');
    const loaded = await loadSized(paths, flags, false, FRONTIER_USAGE);
    const finals = finalPerRun(loaded.points, loaded.warnings, 'vpnls');
    const boot = numberFlag(flags, 'bootstrap', (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
    const result = vpnlsFrontier(finals, a, {
      ...(tolerance !== undefined ? { tolerance } : {}),
      ...(boot !== undefined ? { bootstrap: boot } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
    result.warnings.unshift(...loaded.warnings);
    return { result, yName: loaded.yName, runs: finals.length };
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
    points = finalPerRun(points, pre, 'isoflop');
    const io: IsoflopOptions = {};
    if (tolerance !== undefined) io.tolerance = tolerance;
    const window = numberFlag(flags, 'window', (v) => v > 0, 'a positive number of decades');
    if (window !== undefined) io.window = window;
    const boot = numberFlag(flags, 'bootstrap', (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
    if (boot !== undefined) io.bootstrap = boot;
    if (seed !== undefined) io.seed = seed;
    result = isoflopFrontier(points, alloc, io);
  }
  result.warnings.unshift(...pre);
  return { result, yName: build.dataset.yName, runs: new Set(points.map((p) => p.runId)).size };
}

const TITLES: Record<FrontierMethod, string> = {
  envelope: 'lower envelope of training curves (Approach 1)',
  isoflop: 'IsoFLOP parabolas (Approach 2)',
  parametric: 'closed form of a chinchilla fit',
  vpnls: 'VPNLS over the IsoFLOP surface',
};

function printFrontier(r: FrontierResult, yName: string, runs: number, out: (s: string) => void): void {
  out(
    `compute-optimal ${r.alloc} by ${TITLES[r.method]}: ${yName} from ${runs} run${runs === 1 ? '' : 's'}, ${r.budgets.length} budgets`,
  );
  const ci = r.opt.ci95;
  out(
    `  ${r.alloc}_opt(C) = ${formatReportNumber(r.opt.coef)} · C^${formatReportNumber(r.opt.exponent)}${ci ? `  (95% interval: exponent [${formatReportNumber(ci.exponent[0])}, ${formatReportNumber(ci.exponent[1])}], coef [${formatReportNumber(ci.coef[0])}, ${formatReportNumber(ci.coef[1])}])` : ''}`,
  );
  out(`  ${yName} at the optimum ≈ ${formatReportNumber(r.loss.coef)} · C^${formatReportNumber(r.loss.exponent)}`);
  out('');
  // A long budget list is thinned for the terminal; --json has every budget.
  const shown =
    r.budgets.length <= 20
      ? r.budgets
      : Array.from({ length: 20 }, (_, i) => r.budgets[Math.round((i * (r.budgets.length - 1)) / 19)]);
  const withRun = r.budgets.some((b) => b.run !== undefined);
  const withExcluded = r.budgets.some((b) => b.excluded !== undefined);
  const rows = [
    ['C', `${r.alloc}_opt`, `${yName}_opt`, ...(withRun ? ['run'] : []), ...(withExcluded ? ['excluded'] : [])],
  ];
  for (const b of shown)
    rows.push([
      formatReportNumber(b.C),
      formatReportNumber(b.xOpt),
      formatReportNumber(b.lossOpt),
      ...(withRun ? [b.run ?? ''] : []),
      ...(withExcluded ? [b.excluded ?? ''] : []),
    ]);
  for (const line of table(rows)) out(line.trimEnd());
  if (shown.length < r.budgets.length)
    out(`  (${shown.length} of ${r.budgets.length} budgets shown; --json lists all)`);
  if (r.warnings.length) {
    out('');
    out(`warnings (${r.warnings.length}):`);
    for (const w of r.warnings) out(`  - ${w}`);
  }
}

/** `scaling-lens frontier`: the compute-optimal allocation from runs or a table, by one of four methods, or all side by side. */
export async function frontierCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, FRONTIER_FLAGS);
  const method = str(args.flags.get('method'));
  if (method === 'compare') return compareCommand(args.positional, args.flags, out);
  if (method !== 'envelope' && method !== 'isoflop' && method !== 'parametric' && method !== 'vpnls')
    throw new UsageError(`--method must be envelope, isoflop, parametric, vpnls or compare\nusage: ${FRONTIER_USAGE}`);
  const { result, yName, runs } = await compute(method, args.positional, args.flags);
  if (args.flags.has('json')) out(JSON.stringify(frontierJson(result), null, 1));
  else printFrontier(result, yName, runs, out);
  return 0;
}
