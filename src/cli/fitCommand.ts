import { parseScaleNumber } from '../core/config/values';
import { toArtifact, artifactText } from '../core/fit/artifact';
import { BOOTSTRAP_MODES, fitDataset } from '../core/fit/engine';
import { customFromFormula, LawFileError, readLawFile } from '../core/fit/lawFile';
import type { CustomLawSpec, DatasetSelection, FitDataset, FitOptions, FitResult, FitSpec } from '../contract/fit';
import { isLawName, LAWS, lawFor } from '../core/laws/registry';
import { scalingSpec } from '../core/plot/scalingSpec';
import { plotFormat, renderPlot } from '../core/plot/render';
import { writeFileAtomic } from '../core/util/atomicWrite';
import { parseArgs, UsageError } from './args';
import { loadDataset } from './fitInput';
import { fitJson, printFit } from './fitReport';
import { checkOutputPath } from './outputs';

export const FIT_USAGE =
  'scaling-lens fit <path...> --law <name|auto> [--x N,D | --x C | --x <column>] [--y <metric>] [--loss huber|lsq] [--delta <δ>] [--space log|linear] [--bootstrap <n>] [--bootstrap-mode <mode>] [--holdout <k>] [--checkpoints] [--json] [--out fit.json] [--plot out.svg|out.html|out.vl.json]';

export const FIT_HELP = `${FIT_USAGE}
    <path> is a results folder (runs found as by \`scaling-lens runs\`) or a CSV/TSV table with one row per point.
    --law         ${Object.keys(LAWS).join(', ')}, custom or auto (fit the laws the data supports, pick by backtest error then AIC;
                  without --x, auto compares laws over N, D)
    --y           default: each run's validation loss under its logger's name (val_loss, eval_loss, val/loss, …);
                  lr_annealing takes whole training-loss curves with the logged learning rate (results folders only)
    --law-file F  a scaling-laws.json declaring custom laws: {"laws": [{"name", "formula", "variables", "params": {"A": {"min", "max", "start": [lo, hi]}}}]};
                  --law <name> then picks one of them
    --custom 'E + A/N^alpha'  a one-off custom law over the --x variables; --bounds 'E=0:10,A=0:1e6,alpha=0:2' sets bounds/starts
    --breaks 1|2  breaks of a bnsl law (default 1)
    --bounded     sigmoid: keep floor and ceiling within [0, 1] (the default when every value lies in [0, 1])
    --bootstrap-mode auto|cluster|block|point|residual  what a resample draws (default auto: whole runs when runs hold
                  several points, single points when each run is one, and residuals onto the fitted values at the
                  fixed design when configurations are few); residual keeps every configuration in every resample
    --checkpoints fit every checkpoint after the first --drop fraction (default 0.1) of each run's tokens, not just final points
    --where col=value[,col=value]  keep only matching table rows (e.g. --where split=fit)
    --holdout-by V  variable ordering the backtest's held-out runs (default C, else the first x)
    --seed S, --plot-x V, --plot-target T, --force (replace an existing file not written by scaling-lens), --embeddings
    --json prints {"law","params":{"<name>":{"value","ci95"?}},"objective","n_points","n_runs","metrics":{"rmse_log","r2","aic","bic"},
                  "compute_optimal"?:{"a","b","G"},"holdout"?:{"are_mean","points"},"warnings","elapsed_ms"}`;

/** Everything `fit` was asked to do, validated: the FitSpec plus where the data is. Shared with `frontier --method parametric`. */
export interface FitRequest extends FitSpec {
  paths: string[];
  breaks?: 1 | 2;
  countEmbeddings: boolean;
}

function posInt(v: string | true | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0)
    throw new UsageError(`--${flag} must be a non-negative integer`);
  return n;
}

function str(v: string | true | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Law, variables and options from the flags; usage errors (exit 2) for anything malformed. */
export function fitRequest(flags: Map<string, string | true>, paths: string[]): FitRequest {
  if (!paths.length) throw new UsageError(`no path given\nusage: ${FIT_USAGE}`);
  const xFlag = str(flags.get('x'));
  let x = xFlag
    ? xFlag
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  let lawName = str(flags.get('law'));
  let custom: CustomLawSpec | undefined;
  const lawFile = str(flags.get('law-file'));
  const formula = str(flags.get('custom'));
  if (formula !== undefined) {
    if (!x) throw new UsageError("--custom needs --x naming the formula's variables (e.g. --x N,D)");
    try {
      custom = customFromFormula(formula, x, str(flags.get('bounds')));
    } catch (e) {
      // A formula typed on the command line is a usage error (exit 2); a broken --law-file is a failure (exit 1).
      throw e instanceof LawFileError ? new UsageError(e.message) : e;
    }
    if (lawName && lawName !== 'custom') throw new UsageError('--custom and --law name different laws; give one');
    lawName = 'custom';
  } else if (lawFile) {
    const laws = readLawFile(lawFile);
    const pick = lawName && laws.has(lawName) ? lawName : !lawName && laws.size === 1 ? [...laws.keys()][0] : undefined;
    if (pick) {
      custom = laws.get(pick);
      lawName = 'custom';
      x = x ?? custom?.variables;
    } else if (!lawName || !isLawName(lawName))
      throw new UsageError(`--law: ${lawFile} declares ${[...laws.keys()].join(', ')}; choose one with --law <name>`);
  }
  if (!lawName) throw new UsageError(`--law is required: one of ${Object.keys(LAWS).join(', ')}, custom or auto`);
  if (lawName !== 'auto' && !isLawName(lawName))
    throw new UsageError(`unknown law "${lawName}"; known: ${Object.keys(LAWS).join(', ')}, custom, auto`);
  if (lawName === 'custom' && !custom)
    throw new UsageError('law custom needs --custom <formula> or --law-file <scaling-laws.json>');
  const breaksFlag = str(flags.get('breaks'));
  if (breaksFlag !== undefined && breaksFlag !== '1' && breaksFlag !== '2')
    throw new UsageError('--breaks must be 1 or 2');
  const breaks = breaksFlag === '2' ? 2 : breaksFlag === '1' ? 1 : undefined;
  if (!x) {
    // Laws with named variables (chinchilla: N, D) need no --x; single-variable laws take whichever x the user chooses.
    // auto without --x compares the laws of loss in N and D (chinchilla, kaplan, loglinear…), the usual question.
    const vars = lawName !== 'auto' ? lawFor(lawName, custom, { breaks }).variables : ['N', 'D'];
    if (!vars.length || (vars.length === 1 && vars[0] === 'x'))
      throw new UsageError(`--x is required for law ${lawName}: name the variable (N, D, C or a column), e.g. --x C`);
    x = vars;
  }
  const loss = str(flags.get('loss'));
  if (loss !== undefined && loss !== 'huber' && loss !== 'lsq') throw new UsageError('--loss must be huber or lsq');
  const space = str(flags.get('space'));
  if (space !== undefined && space !== 'log' && space !== 'linear')
    throw new UsageError('--space must be log or linear');
  const num = (flag: string, ok: (n: number) => boolean, what: string): number | undefined => {
    const v = flags.get(flag);
    if (v === undefined) return undefined;
    const n = typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`--${flag} must be ${what}`);
    return n;
  };
  const delta = num('delta', (n) => n > 0, 'a positive number');
  const drop = num('drop', (n) => n >= 0 && n < 1, 'a fraction in [0, 1)');
  const seed = num('seed', Number.isInteger, 'an integer');
  const where: Record<string, string> = {};
  for (const item of (str(flags.get('where')) ?? '').split(',').filter((s) => s.trim())) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--where: "${item}" is not column=value`);
    where[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  const options: FitOptions = { law: lawName };
  if (loss) options.loss = loss;
  if (space) options.space = space;
  if (delta !== undefined) options.delta = delta;
  const bootstrap = posInt(flags.get('bootstrap'), 'bootstrap');
  if (bootstrap !== undefined) options.bootstrap = bootstrap;
  const bootMode = str(flags.get('bootstrap-mode'));
  if (bootMode !== undefined) {
    const mode = BOOTSTRAP_MODES.find((m) => m === bootMode);
    if (!mode) throw new UsageError(`--bootstrap-mode must be ${BOOTSTRAP_MODES.join(', ')}`);
    options.bootstrapMode = mode;
  }
  const holdout = posInt(flags.get('holdout'), 'holdout');
  if (holdout !== undefined) options.holdout = holdout;
  const holdoutBy = str(flags.get('holdout-by'));
  if (holdoutBy) options.holdoutBy = holdoutBy;
  if (seed !== undefined) options.seed = seed;
  if (custom) options.custom = custom;
  if (flags.has('bounded')) options.bounded = true;
  const selection: DatasetSelection = {
    x,
    y: str(flags.get('y')),
    checkpoints: flags.has('checkpoints'),
    where,
    curves: lawName === 'lr_annealing',
  };
  if (drop !== undefined) selection.dropFraction = drop;
  return { paths, selection, options, breaks, countEmbeddings: flags.has('embeddings') };
}

/** Reads the data and fits; dataset warnings come first in the result's warnings. */
export async function runFit(req: FitRequest): Promise<{ result: FitResult; dataset: FitDataset }> {
  const { dataset, warnings } = await loadDataset(req.paths, req.selection, { countEmbeddings: req.countEmbeddings });
  const result = fitDataset(dataset, req.breaks ? { ...req.options, breaks: req.breaks } : req.options);
  result.warnings = [...warnings, ...result.warnings];
  return { result, dataset };
}

export const FIT_FLAGS = {
  booleans: ['json', 'checkpoints', 'force', 'embeddings', 'bounded'],
  values: [
    'law',
    'x',
    'y',
    'loss',
    'delta',
    'space',
    'bootstrap',
    'bootstrap-mode',
    'holdout',
    'holdout-by',
    'seed',
    'out',
    'plot',
    'plot-x',
    'plot-target',
    'law-file',
    'custom',
    'bounds',
    'breaks',
    'drop',
    'where',
  ],
};

/** `scaling-lens fit`: fit a law to runs or a table; print it, and optionally write the artifact and a plot. */
export async function fitCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, FIT_FLAGS);
  const req = fitRequest(args.flags, args.positional);
  const force = args.flags.has('force');
  const outPath = str(args.flags.get('out'));
  const plotPath = str(args.flags.get('plot'));
  if (plotPath && !plotFormat(plotPath))
    throw new UsageError(`--plot ${plotPath}: use a .svg, .html or .vl.json file name`);
  const plotTargetFlag = str(args.flags.get('plot-target'));
  const plotTarget = plotTargetFlag === undefined ? undefined : parseScaleNumber(plotTargetFlag);
  if (plotTargetFlag !== undefined && !(plotTarget !== undefined && plotTarget > 0))
    throw new UsageError('--plot-target must be a positive number (e.g. 1e23, 70B)');
  const plotX = str(args.flags.get('plot-x'));
  const xs = req.selection.x;
  if (plotX && !xs.includes(plotX) && !(plotX === 'C' && xs.includes('N') && xs.includes('D')))
    throw new UsageError(
      `--plot-x ${plotX}: plot against one of the fit's variables (${xs.join(', ')}${xs.includes('N') && xs.includes('D') ? ', or C' : ''})`,
    );
  if (outPath) checkOutputPath(outPath, 'artifact', force);
  if (plotPath) checkOutputPath(plotPath, 'plot', force);

  const { result, dataset } = await runFit(req);
  // Render before writing anything, so a plot that cannot be drawn (say, --plot-x naming no variable) leaves no
  // artifact behind from a command that failed.
  const format = plotPath ? plotFormat(plotPath) : undefined;
  const plot = format ? scalingSpec(result, dataset, { x: plotX, target: plotTarget }) : undefined;
  const plotText = plot && format ? await renderPlot(plot, format) : undefined;
  const written: string[] = [];
  if (outPath) {
    writeFileAtomic(outPath, artifactText(toArtifact(result, dataset)));
    written.push(`fit artifact: ${outPath}`);
  }
  if (plotPath && plot && plotText !== undefined) {
    writeFileAtomic(plotPath, plotText);
    written.push(`plot: ${plotPath} (${plot.description})`);
  }
  if (args.flags.has('json')) out(JSON.stringify(fitJson(result), null, 1));
  else {
    printFit(result, dataset, out);
    for (const w of written) out(`wrote ${w}`);
  }
  return 0;
}
