/**
 * Files the panel exports, built from its state: the fitted points as CSV (with the excluded ones flagged) and a
 * plot's Vega-Lite spec with its data inlined (what "Copy Vega-Lite Spec" puts on the clipboard; it renders as is
 * in the Vega editor). Pure, so the round trip is unit-tested.
 */
import {
  NEUTRAL_COLORS,
  resolveThemeTokens,
  type ChartModel,
  type JsonObject,
  type JsonValue,
} from '../../contract/panel';
import type { FitDataset, FitPoint } from '../../contract/fit';

function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** run, step, each x variable, y, excluded: one row per point, numbers at full precision. */
export function pointsCsv(data: FitDataset, excluded: FitPoint[] = []): string {
  const xs = [...data.xNames];
  for (const p of [...data.points, ...excluded]) for (const k of Object.keys(p.x)) if (!xs.includes(k)) xs.push(k);
  const header = ['run', 'step', ...xs, data.yName, 'excluded'];
  const lines = [header.map(csvCell).join(',')];
  const row = (p: FitPoint, ex: boolean): string =>
    [p.runId, p.step, ...xs.map((k) => p.x[k]), p.y, ex ? 'true' : 'false'].map(csvCell).join(',');
  for (const p of data.points) lines.push(row(p, false));
  for (const p of excluded) lines.push(row(p, true));
  return lines.join('\n') + '\n';
}

/**
 * A chart's spec as a standalone Vega-Lite document: data inlined, title restored, a fixed width, and the theme
 * tokens replaced by Vega-Lite's default colours (outside the panel there is no editor theme to follow).
 */
export function standaloneSpec(chart: ChartModel, width = 720): JsonObject {
  const spec = resolveThemeTokens(chart.spec, NEUTRAL_COLORS) as JsonObject;
  spec.title = { text: chart.title, subtitle: chart.subtitle };
  spec.width = width;
  spec.autosize = { type: 'pad' };
  spec.datasets = JSON.parse(JSON.stringify(chart.data)) as JsonValue;
  return spec;
}
