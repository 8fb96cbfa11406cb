/**
 * The runs the Plan view proposes, drawn on the scaling and IsoFLOP plots where the user weighs them against the
 * runs they have: each at its (N, D, C) and the loss the fit predicts for it, as a hollow triangle, with its cost as
 * a share of the target and the interval at the target once it (and the proposals before it) are trained.
 */
import type { Row } from '../../contract/panel';
import type { PlanProposal, PlanResult } from '../../contract/plan';
import { formatCompact } from '../../contract/format';
import type { Evaluator } from './lawEval';
import { token, type Layer } from './specParts';

type PositionDef = { field: string; type: 'quantitative' } & Record<string, unknown>;

export const PROPOSALS_DATASET = 'proposals';

/** A proposal's row; `x` is the caller's axis value for it (C, N or D), undefined = not drawable on that axis. */
export function proposalRows(
  plan: PlanResult | undefined,
  evaluate: Evaluator,
  xOf: (p: PlanProposal) => number,
): Row[] {
  if (!plan) return [];
  const rows: Row[] = [];
  for (const [i, p] of plan.proposals.entries()) {
    const x = xOf(p);
    const y = evaluate({ N: p.N, D: p.D, C: p.C });
    if (!(x > 0) || !Number.isFinite(y)) continue;
    rows.push({
      x,
      y,
      N: p.N,
      D: p.D,
      C: p.C,
      proposal: `proposed run ${String(i + 1)} of ${String(plan.proposals.length)}`,
      tokensPerParam: p.tokensPerParam,
      share: p.C / plan.target.C,
      after: `[${formatCompact(p.expectedInterval[0], 4)}, ${formatCompact(p.expectedInterval[1], 4)}]`,
    });
  }
  return rows;
}

/** The layer that draws proposalRows; `x`/`y` are the chart's own encodings, so scales and axes are shared. */
export function proposalLayer(x: PositionDef, y: PositionDef, yName: string): Layer {
  return {
    name: 'proposals',
    data: { name: PROPOSALS_DATASET },
    mark: {
      type: 'point',
      shape: 'triangle-up',
      filled: false,
      size: 120,
      strokeWidth: 2,
      color: token('green'),
      clip: true,
    },
    encoding: {
      x,
      y,
      tooltip: [
        { field: 'proposal', type: 'nominal', title: 'Plan' },
        { field: 'N', type: 'quantitative', format: '.3~s' },
        { field: 'D', type: 'quantitative', format: '.3~s' },
        { field: 'C', type: 'quantitative', format: '.3~e' },
        { field: 'tokensPerParam', type: 'quantitative', title: 'tokens/param', format: '.1f' },
        { field: 'y', type: 'quantitative', title: `predicted ${yName}`, format: '.4f' },
        { field: 'share', type: 'quantitative', title: 'cost (share of target)', format: '.2~%' },
        { field: 'after', type: 'nominal', title: '95% interval at target once trained' },
      ],
    },
  };
}

export const PROPOSALS_CAPTION = 'green triangles: the runs the Plan view proposes, at the loss the fit predicts';
