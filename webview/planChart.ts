/**
 * The Plan tab's chart: the fitted runs and the proposed ones in the (N, D) plane, log-log, proposals numbered in
 * the order to train them. A proposal is the same green hollow triangle the scaling and IsoFLOP plots draw
 * (src/core/view/proposalLayer.ts), so it looks the same wherever the user meets it.
 */
import { AXIS_LABEL_EXPR, AXIS_LABEL_FORMAT, decadeValues, type PlanView } from '../src/contract/panel';
import type { Palette } from './theme';

const KINDS = ['fitted', 'proposed'];

export function planSpec(plan: PlanView, palette: Palette): Record<string, unknown> {
  const proposals = (plan.result?.proposals ?? []).map((p, i) => ({ ...p, order: i + 1, kind: 'proposed' }));
  const runs = plan.runs.map((r) => ({ ...r, kind: 'fitted' }));
  const all = [...runs, ...proposals];
  // Labels at the powers of ten only: d3's log axis also labels 2 and 5 of a decade, which collide on a small chart.
  const axis = (title: string, field: 'N' | 'D') => ({
    field,
    type: 'quantitative',
    scale: { type: 'log' },
    title,
    axis: {
      format: AXIS_LABEL_FORMAT,
      labelExpr: AXIS_LABEL_EXPR,
      values: decadeValues(Math.min(...all.map((r) => r[field])), Math.max(...all.map((r) => r[field]))),
    },
  });
  const position = { x: axis('parameters N', 'N'), y: axis('tokens D', 'D') };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 420,
    height: 280,
    data: { values: all },
    layer: [
      {
        // Fill, outline and shape by kind in one layer, so the one legend draws each kind as the plot does.
        mark: { type: 'point', filled: false, strokeWidth: 2 },
        encoding: {
          ...position,
          shape: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: { domain: KINDS, range: ['circle', 'triangle-up'] },
          },
          color: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: { domain: KINDS, range: [palette.colors.muted, palette.colors.green] },
          },
          fill: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: { domain: KINDS, range: [palette.colors.muted, 'transparent'] },
          },
          size: { condition: { test: "datum.kind === 'proposed'", value: 120 }, value: 40 },
          tooltip: [
            { field: 'kind', type: 'nominal', title: 'run' },
            { field: 'N', type: 'quantitative', format: '.3~s' },
            { field: 'D', type: 'quantitative', format: '.3~s' },
          ],
        },
      },
      // Numbers beside the proposals; without any, the layer would have no data and Vega would warn of its extent.
      ...(proposals.length
        ? [
            {
              transform: [{ filter: "datum.kind === 'proposed'" }],
              mark: { type: 'text', dx: 10, dy: -10, color: palette.colors.foreground },
              encoding: { ...position, text: { field: 'order' } },
            },
          ]
        : []),
    ],
  };
}
