/**
 * What the scaling plot's point tooltips say about each point's run besides the point itself: its log format, its
 * N, D and C, and the few config values the curve input keeps (model width, depth, learning rate, batch size).
 */
import type { JsonObject, Row } from '../../contract/panel';
import { formatCompact } from '../../contract/format';
import { finiteOrNull } from './specParts';
import type { CurveInput } from './types';

/** The run-level facts shown in point tooltips: format, N, D, C and the run's own config values. */
export interface RunFacts {
  rows: Map<string, Row>;
}

function configText(config: CurveInput['config']): string | null {
  const parts = Object.entries(config ?? {}).map(
    ([k, v]) => `${k}=${typeof v === 'number' ? formatCompact(v, 3) : String(v)}`,
  );
  return parts.length ? parts.join(', ') : null;
}

export function runFacts(curves: CurveInput[]): RunFacts {
  const rows = new Map<string, Row>();
  for (const c of curves) {
    rows.set(c.runId, {
      format: c.format ?? null,
      runN: finiteOrNull(c.N),
      runD: finiteOrNull(c.D),
      runC: finiteOrNull(c.C ?? (c.N && c.D ? 6 * c.N * c.D : undefined)),
      config: configText(c.config),
    });
  }
  return { rows };
}

/** The tooltip lines for the facts (fields of the point rows). */
export function tooltipFields(): JsonObject[] {
  return [
    { field: 'format', type: 'nominal', title: 'format' },
    { field: 'runN', type: 'quantitative', title: 'N', format: '.3~s' },
    { field: 'runD', type: 'quantitative', title: 'D', format: '.3~s' },
    { field: 'runC', type: 'quantitative', title: 'C', format: '.3~e' },
    { field: 'config', type: 'nominal', title: 'config' },
  ];
}
