/**
 * Applies a delta's changes to the state they were computed from, giving the state the host built (up to the
 * order of rows, which no plot depends on: lines are drawn in x order). The webview keeps its copy of the state
 * current with it; the host's tests check that diff-then-apply round-trips.
 */
import type { ChartModel, PanelState, Row } from './data';
import type { DataChange, PanelDelta } from './messages';

function applyDataChange(rows: Row[], c: DataChange): Row[] {
  switch (c.type) {
    case 'datasetReplaced':
      return c.rows;
    case 'runsAdded':
      return rows.concat(c.rows);
    case 'runsRemoved':
    case 'seriesChanged': {
      const runs = new Set(c.runs);
      const kept = rows.filter((r) => !runs.has(r.run as string));
      return c.type === 'seriesChanged' ? kept.concat(c.rows) : kept;
    }
  }
}

/**
 * The new state; data sets that did not change keep their arrays (so a view can tell by identity what to redraw).
 * Throws when a change names a plot that is not drawn or a data set it does not have: the caller then asks for
 * the whole state.
 */
export function applyPanelDelta(state: PanelState, delta: PanelDelta): PanelState {
  const charts = { ...state.charts };
  const next: PanelState = { ...state, charts, builtAt: delta.builtAt };
  const model = (id: keyof typeof charts): ChartModel => {
    const slot = charts[id];
    if (!slot.available) throw new Error(`the ${id} plot is not drawn, so it cannot change`);
    if (slot === state.charts[id]) charts[id] = { ...slot, data: { ...slot.data } };
    return charts[id] as ChartModel;
  };
  for (const c of delta.changes) {
    switch (c.type) {
      case 'header':
        next.title = c.title;
        next.status = c.status;
        next.xChoices = c.xChoices;
        next.excludedCount = c.excludedCount;
        break;
      case 'fitReplaced':
        if (c.summary) next.summary = c.summary;
        else delete next.summary;
        break;
      case 'chartReplaced':
        charts[c.chart] = c.slot;
        break;
      case 'chartText': {
        const m = model(c.chart);
        m.title = c.title;
        m.subtitle = c.subtitle;
        m.caption = c.caption;
        m.drawn = c.drawn;
        m.total = c.total;
        break;
      }
      default: {
        const m = model(c.chart);
        const rows = m.data[c.dataset] as Row[] | undefined;
        if (!rows) throw new Error(`the ${c.chart} plot has no data set "${c.dataset}"`);
        m.data[c.dataset] = applyDataChange(rows, c);
      }
    }
  }
  return next;
}
