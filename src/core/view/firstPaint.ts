/**
 * A new panel page draws its first plot sooner when its first message is small. The learning curves hold most of
 * the state's bytes (thousands of rows for a handful of runs; ~590 of ~700 KB on the examples) while the scaling
 * plot, the tab a page opens on, needs a tenth of that: a whole state with large learning curves goes out as the
 * state without them, then (a moment later, so the two do not travel as one batch) a delta that puts them in.
 */
import type { HostMessage, PanelState } from '../../contract/panel';
import { countRows } from './specParts';

/** Below this many rows the curves go with the state: splitting saves less than a second message costs. */
export const DEFER_CURVES_ABOVE_ROWS = 2_000;

export const CURVES_PENDING = 'Drawing the learning curves…';

/** The message to post now and, when the curves are deferred, the one to post right after. */
export function firstPaintMessages(state: PanelState): { now: HostMessage; next?: HostMessage } {
  const curves = state.charts.curves;
  if (!curves.available || countRows(curves.data) <= DEFER_CURVES_ABOVE_ROWS) return { now: { type: 'state', state } };
  // The lighter state is older than the real one by half a millisecond, so the delta's build times increase
  // (build times are whole milliseconds and strictly increasing: no other state can sit between them).
  const light: PanelState = {
    ...state,
    builtAt: state.builtAt - 0.5,
    charts: { ...state.charts, curves: { available: false, reason: CURVES_PENDING } },
  };
  return {
    now: { type: 'state', state: light },
    next: {
      type: 'delta',
      base: light.builtAt,
      builtAt: state.builtAt,
      changes: [{ type: 'chartReplaced', chart: 'curves', slot: curves }],
    },
  };
}
