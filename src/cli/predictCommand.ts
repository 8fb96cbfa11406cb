import { parseScaleNumber } from '../core/config/values';
import { readArtifact } from '../core/fit/artifact';
import { computeOptimal, predict } from '../core/fit/predict';
import type { FitArtifact, Prediction } from '../contract/fit';
import { parseArgs, UsageError } from './args';
import { formatReportNumber, parsePairs } from './format';

export const PREDICT_USAGE = 'scaling-lens predict <fit.json> --at N=7e9,D=1.4e12 [--json]';

export const PREDICT_HELP = `${PREDICT_USAGE}
    <fit.json> is an artifact written by \`scaling-lens fit … --out fit.json\`.
    --at   the fit's variables, name=value, comma-separated; values like 7e9, 7B, 1.4T, 2**20.
           A chinchilla fit also takes --at C=1e23 alone: the compute-optimal N_opt, D_opt, tokens per parameter and
           the loss there (C = 6·N·D).
    Every prediction carries its 95% interval (when the fit was bootstrapped) and is labelled interpolation or
    extrapolation, with how many decades beyond the fitted data.
    ci95 is where the law's mean lies; pi95 where a new run's observed value should fall (adds run-to-run noise).
    --json prints {"law","y","at","value","ci95"?,"regime","decades_beyond","pi95"?,"regime_reason"?}, or for --at C=…
    {"law","y","C","N_opt","D_opt","tokens_per_param","loss","ci95"?,"regime","decades_beyond","pi95"?,"regime_reason"?,
     "N_opt_ci95"?,"D_opt_ci95"?,"tokens_per_param_ci95"?,"identifiable","identifiable_reason"?}`;

function regimeText(p: Prediction): string {
  return p.regime === 'interpolation'
    ? 'interpolation (inside the fitted data)'
    : `extrapolation, ${formatReportNumber(p.decadesBeyond, 2)} decade${p.decadesBeyond === 1 ? '' : 's'} beyond the fitted data${p.regimeReason ? ` (${p.regimeReason})` : ''}`;
}

function interval(ci?: [number, number]): string {
  return ci
    ? `  95% interval [${formatReportNumber(ci[0])}, ${formatReportNumber(ci[1])}]`
    : '  (no interval: fit without --bootstrap)';
}

function predictionInterval(pi?: [number, number]): string {
  return pi ? `; a new run: [${formatReportNumber(pi[0])}, ${formatReportNumber(pi[1])}]` : '';
}

/** Keys added by issue #11, after the original ones so existing readers see the same prefix. */
function additions(p: Prediction): Record<string, unknown> {
  return { ...(p.pi95 ? { pi95: p.pi95 } : {}), ...(p.regimeReason ? { regime_reason: p.regimeReason } : {}) };
}

/** Maps the user's names onto the fit's variables; a one-variable fit also takes `x=`. */
function resolveAt(fit: FitArtifact, at: Record<string, number>): Record<string, number> {
  const vars = fit.data.xNames;
  const outAt: Record<string, number> = {};
  for (const [k, v] of Object.entries(at)) {
    const name = vars.includes(k)
      ? k
      : vars.length === 1 && k === 'x'
        ? vars[0]
        : vars.find((n) => n.toLowerCase() === k.toLowerCase());
    if (!name)
      throw new UsageError(
        `--at: "${k}" is not a variable of this fit (its variables: ${vars.join(', ')}${fit.law === 'chinchilla' ? '; or C alone for the compute-optimal allocation' : ''})`,
      );
    outAt[name] = v;
  }
  const missing = vars.filter((n) => !(n in outAt));
  if (missing.length)
    throw new UsageError(
      `--at: give a value for ${missing.join(', ')} (e.g. --at ${vars.map((n) => `${n}=…`).join(',')})`,
    );
  return outAt;
}

/** `scaling-lens predict`: a prediction from a saved fit, with its interval and how far it extrapolates. */
export function predictCommand(argv: string[], out: (s: string) => void): number {
  const args = parseArgs(argv, { booleans: ['json'], values: ['at'] });
  if (args.positional.length !== 1) throw new UsageError(`give exactly one fit artifact\nusage: ${PREDICT_USAGE}`);
  const atText = args.flags.get('at');
  if (typeof atText !== 'string') throw new UsageError(`--at is required\nusage: ${PREDICT_USAGE}`);
  const at = parsePairs(atText, parseScaleNumber, '--at');
  for (const [k, v] of Object.entries(at)) if (!(v > 0)) throw new UsageError(`--at: ${k} must be positive`);
  const fit = readArtifact(args.positional[0]);
  const json = args.flags.has('json');
  const y = fit.data.yName;

  const keys = Object.keys(at);
  if (keys.length === 1 && keys[0] === 'C' && !fit.data.xNames.includes('C')) {
    if (fit.law !== 'chinchilla')
      throw new UsageError(
        `--at C=… (compute-optimal allocation) needs a chinchilla fit; this one is ${fit.law} over ${fit.data.xNames.join(', ')}`,
      );
    const C = at.C;
    const opt = computeOptimal(fit, C);
    // The regime of the optimum is that of its (N_opt, D_opt) point against the data.
    const p = predict(fit, at);
    const ci = p.ci95;
    if (json) {
      out(
        JSON.stringify(
          {
            law: fit.law,
            y,
            C,
            N_opt: opt.nOpt,
            D_opt: opt.dOpt,
            tokens_per_param: opt.tokensPerParam,
            loss: opt.loss,
            ...(ci ? { ci95: ci } : {}),
            regime: p.regime,
            decades_beyond: p.decadesBeyond,
            ...additions(p),
            ...(opt.nOptCi95 ? { N_opt_ci95: opt.nOptCi95 } : {}),
            ...(opt.dOptCi95 ? { D_opt_ci95: opt.dOptCi95 } : {}),
            ...(opt.tokensPerParamCi95 ? { tokens_per_param_ci95: opt.tokensPerParamCi95 } : {}),
            identifiable: opt.identifiable,
            ...(opt.reason ? { identifiable_reason: opt.reason } : {}),
          },
          null,
          1,
        ),
      );
      return 0;
    }
    out(`compute-optimal allocation at C = ${formatReportNumber(C)} FLOPs (C = 6·N·D):`);
    if (opt.identifiable) {
      const r = (ci?: [number, number]) => (ci ? ` [${formatReportNumber(ci[0])}, ${formatReportNumber(ci[1])}]` : '');
      out(
        `  N_opt ${formatReportNumber(opt.nOpt)}${r(opt.nOptCi95)} parameters, D_opt ${formatReportNumber(opt.dOpt)}${r(opt.dOptCi95)} tokens, ${formatReportNumber(opt.tokensPerParam, 3)}${r(opt.tokensPerParamCi95)} tokens per parameter`,
      );
    } else out(`  N_opt, D_opt: not identifiable from these runs (${opt.reason ?? 'vary tokens per parameter'})`);
    out(`  predicted ${y} ${formatReportNumber(opt.loss)}${interval(ci)}${predictionInterval(p.pi95)}`);
    out(`  ${regimeText(p)}`);
    return 0;
  }

  const resolved = resolveAt(fit, at);
  const p = predict(fit, resolved);
  if (json) {
    out(
      JSON.stringify(
        {
          law: fit.law,
          y,
          at: p.at,
          value: p.value,
          ...(p.ci95 ? { ci95: p.ci95 } : {}),
          regime: p.regime,
          decades_beyond: p.decadesBeyond,
          ...additions(p),
        },
        null,
        1,
      ),
    );
    return 0;
  }
  out(
    `${y} at ${Object.entries(resolved)
      .map(([k, v]) => `${k}=${formatReportNumber(v)}`)
      .join(', ')}: ${formatReportNumber(p.value)}${interval(p.ci95)}${predictionInterval(p.pi95)}`,
  );
  out(`  ${regimeText(p)}`);
  const domain = Object.entries(fit.domain).map(
    ([k, [lo, hi]]) => `${k} ${formatReportNumber(lo)}…${formatReportNumber(hi)}`,
  );
  if (domain.length)
    out(`  fitted on ${domain.join(', ')} (${fit.law}, ${fit.nPoints} points, created ${fit.created})`);
  return 0;
}
