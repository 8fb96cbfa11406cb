/** `scaling-lens frontier --method compare`: every frontier method on the same runs, with its bias on this design. */
import { compareFrontiers, type CompareOptions, type CompareResult } from '../core/fit/compare';
import type { FrontierMethod } from '../core/fit/frontier';
import { chinchillaAlloc, loadSized, numberFlag, type Flags } from './frontierInput';
import { formatReportNumber, table } from './format';

const COMPARE_USAGE = 'scaling-lens frontier <path...> --method compare [--alloc N|D] [--y <metric>] [--json]';

export const COMPARE_HELP = `    --method compare runs envelope (when the runs have training curves), isoflop, parametric and vpnls on the same
    runs (C = 6·N·D) and estimates each one's bias on this grid: the VPNLS law simulated without noise at the runs'
    (N, D), every method rerun on it, bias = its exponent there − the simulated law's. --json prints
    {"method":"compare","alloc","truth":{"exponent","law":{"E","A","B","alpha","beta"}}?,"methods":[{"method","opt":{"exponent","coef","ci95"?},"bias","warnings":[]}],"warnings":[]}
    (bias null when it could not be measured; truth absent when VPNLS failed)`;

const LABEL: Record<FrontierMethod, string> = {
  envelope: 'envelope (Approach 1)',
  isoflop: 'isoflop (Approach 2)',
  parametric: 'parametric (Approach 3)',
  vpnls: 'vpnls',
};

export interface CompareJson {
  method: 'compare';
  alloc: string;
  truth?: { exponent: number; law: { E: number; A: number; B: number; alpha: number; beta: number } };
  methods: {
    method: FrontierMethod;
    opt: { exponent: number; coef: number; ci95?: { exponent: [number, number]; coef: [number, number] } };
    bias: number | null;
    warnings: string[];
  }[];
  warnings: string[];
}

export function compareJson(r: CompareResult): CompareJson {
  return {
    method: 'compare',
    alloc: r.alloc,
    ...(r.truth ? { truth: { exponent: r.truth.exponent, law: r.truth.law } } : {}),
    methods: r.methods.map((m) => ({
      method: m.method,
      opt: {
        exponent: m.result.opt.exponent,
        coef: m.result.opt.coef,
        ...(m.result.opt.ci95 ? { ci95: m.result.opt.ci95 } : {}),
      },
      bias: m.bias ?? null,
      warnings: m.result.warnings,
    })),
    warnings: r.warnings,
  };
}

/** A bias with its sign; rounding noise of an unbiased method (1e-16) reads as 0. */
const signed = (b: number): string => (Math.abs(b) < 1e-9 ? '0' : `${b > 0 ? '+' : ''}${formatReportNumber(b)}`);

function printCompare(r: CompareResult, yName: string, runs: number, out: (s: string) => void): void {
  const f = formatReportNumber;
  out(`compute-optimal ${r.alloc}_opt(C) = coef·C^exponent by every method: ${yName} from ${runs} runs`);
  if (r.truth)
    out(
      `  bias: each method on the VPNLS law simulated at these runs (its exponent ${f(r.truth.exponent)}), minus that`,
    );
  out('');
  const rows = [['method', 'exponent', '95% interval', 'bias on this grid', 'coef']];
  for (const m of r.methods) {
    const ci = m.result.opt.ci95?.exponent;
    rows.push([
      LABEL[m.method],
      f(m.result.opt.exponent),
      ci ? `[${f(ci[0])}, ${f(ci[1])}]` : '—',
      m.bias === undefined ? '—' : signed(m.bias),
      f(m.result.opt.coef),
    ]);
  }
  for (const line of table(rows)) out(line.trimEnd());
  const all = [...r.warnings, ...r.methods.flatMap((m) => m.result.warnings.map((w) => `${m.method}: ${w}`))];
  if (all.length) {
    out('');
    out(`warnings (${all.length}):`);
    for (const w of all) out(`  - ${w}`);
  }
}

export async function compareCommand(paths: string[], flags: Flags, out: (s: string) => void): Promise<number> {
  const alloc = chinchillaAlloc(flags, 'compare');
  const loaded = await loadSized(paths, flags, true, COMPARE_USAGE);
  const opts: CompareOptions = {};
  const tolerance = numberFlag(flags, 'tolerance', (n) => n > 0 && n < 1, 'a fraction in (0, 1)');
  if (tolerance !== undefined) opts.tolerance = tolerance;
  const window = numberFlag(flags, 'window', (v) => v > 0, 'a positive number of decades');
  if (window !== undefined) opts.window = window;
  const boot = numberFlag(flags, 'bootstrap', (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
  if (boot !== undefined) opts.bootstrap = boot;
  const seed = numberFlag(flags, 'seed', Number.isInteger, 'an integer');
  if (seed !== undefined) opts.seed = seed;
  const budgets = numberFlag(flags, 'budgets', (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2');
  if (budgets !== undefined) opts.budgets = budgets;
  const r = compareFrontiers(loaded.points, alloc, opts);
  r.warnings.unshift(...loaded.warnings);
  if (flags.has('json')) out(JSON.stringify(compareJson(r), null, 1));
  else printCompare(r, loaded.yName, new Set(loaded.points.map((p) => p.runId)).size, out);
  return 0;
}
