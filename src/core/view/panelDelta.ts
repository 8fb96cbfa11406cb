/**
 * What changed between two panel states, as the contract's delta changes, so the host sends a log append as one
 * run's new rows instead of the whole 2.5 MB state, and the webview updates its Vega views in place. A plot whose
 * spec changed (or that appeared or went away) is sent whole; new options return undefined: the caller then sends
 * the full state.
 */
import type { ChartId, ChartModel, DataChange, PanelChange, PanelState, Row } from '../../contract/panel';
import { CHART_IDS } from '../../contract/panel';

/**
 * Above this share of the new state's rows a delta saves little over the full state (a new fit redraws most
 * marks anyway) and the full state is simpler for the webview.
 */
const MAX_CHANGED_SHARE = 0.6;

/** One run's rows of a data set; their JSON is made only when an identity check cannot tell (see sameRows). */
interface RunGroup {
  rows: Row[];
  json?: string;
}

/** Rows of a data set grouped by run; undefined when a row has no run. Cached per array (states are immutable). */
const groupCache = new WeakMap<Row[], Map<string, RunGroup> | null>();

function groupByRun(rows: Row[]): Map<string, RunGroup> | undefined {
  const cached = groupCache.get(rows);
  if (cached !== undefined) return cached ?? undefined;
  const parts = new Map<string, RunGroup>();
  let ok = rows.length > 0;
  for (const r of rows) {
    if (typeof r.run !== 'string') {
      ok = false;
      break;
    }
    let group = parts.get(r.run);
    if (!group) parts.set(r.run, (group = { rows: [] }));
    group.rows.push(r);
  }
  const out = ok ? parts : null;
  groupCache.set(rows, out);
  return out ?? undefined;
}

/**
 * Whether a run's rows are the same. The builders reuse an unchanged run's row objects (curveRows.ts), so at 1,000
 * runs nearly every run is settled by identity; rows built afresh are compared as JSON.
 */
function sameRows(a: RunGroup, b: RunGroup): boolean {
  if (a.rows.length === b.rows.length && a.rows.every((r, i) => r === b.rows[i])) return true;
  a.json ??= JSON.stringify(a.rows);
  b.json ??= JSON.stringify(b.rows);
  return a.json === b.json;
}

/** JSON of specs and other small objects, cached per object (states are immutable once built). */
const jsonCache = new WeakMap<object, string>();
function json(v: object): string {
  let s = jsonCache.get(v);
  if (s === undefined) jsonCache.set(v, (s = JSON.stringify(v)));
  return s;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return json(a) === json(b);
}

/** Changes that turn one data set into the other, and how many rows they carry. */
function datasetChanges(chart: ChartId, dataset: string, prev: Row[], next: Row[]): DataChange[] {
  if (prev === next) return [];
  const before = groupByRun(prev);
  const after = groupByRun(next);
  if (!before || !after) return sameJson(prev, next) ? [] : [{ type: 'datasetReplaced', chart, dataset, rows: next }];
  const changedRuns: string[] = [];
  const changedRows: Row[] = [];
  const added: Row[] = [];
  for (const [run, part] of after) {
    const old = before.get(run);
    if (!old) added.push(...part.rows);
    else if (!sameRows(old, part)) {
      changedRuns.push(run);
      changedRows.push(...part.rows);
    }
  }
  const removed = [...before.keys()].filter((run) => !after.has(run));
  const out: DataChange[] = [];
  if (changedRuns.length) out.push({ type: 'seriesChanged', chart, dataset, runs: changedRuns, rows: changedRows });
  if (added.length) out.push({ type: 'runsAdded', chart, dataset, rows: added });
  if (removed.length) out.push({ type: 'runsRemoved', chart, dataset, runs: removed });
  // Most runs changed (a new fit moves every run's law curve): one replacement is cheaper to apply.
  if (changedRows.length + added.length > MAX_CHANGED_SHARE * next.length)
    return [{ type: 'datasetReplaced', chart, dataset, rows: next }];
  return out;
}

function chartChanges(id: ChartId, prev: ChartModel, next: ChartModel): PanelChange[] {
  const out: PanelChange[] = [];
  if (
    prev.title !== next.title ||
    prev.caption !== next.caption ||
    prev.drawn !== next.drawn ||
    prev.total !== next.total ||
    !sameJson(prev.subtitle, next.subtitle)
  )
    out.push({
      type: 'chartText',
      chart: id,
      title: next.title,
      subtitle: next.subtitle,
      caption: next.caption,
      drawn: next.drawn,
      total: next.total,
    });
  for (const name of Object.keys(next.data)) out.push(...datasetChanges(id, name, prev.data[name], next.data[name]));
  return out;
}

/** Rows a change carries (what it costs to send and apply). */
export function changedRows(changes: PanelChange[]): number {
  let n = 0;
  for (const c of changes) {
    if ('rows' in c) n += c.rows.length;
    else if (c.type === 'chartReplaced' && c.slot.available)
      for (const rows of Object.values(c.slot.data)) n += rows.length;
  }
  return n;
}

function totalRows(state: PanelState): number {
  let n = 0;
  for (const id of CHART_IDS) {
    const slot = state.charts[id];
    if (slot.available) for (const rows of Object.values(slot.data)) n += rows.length;
  }
  return n;
}

/**
 * The changes from `prev` to `next`, or undefined when the webview needs the full state: the options changed (the
 * toolbars follow them) or the changes would carry most of the state anyway. A plot whose spec changed is sent
 * whole (`chartReplaced`); the others as changes to their data.
 */
export function diffPanelState(prev: PanelState, next: PanelState): PanelChange[] | undefined {
  // The Plan view changes rarely (a plan request, its answer) and is small: it comes with a full state.
  if (!sameJson(prev.options, next.options) || !sameJson(prev.plan ?? null, next.plan ?? null)) return undefined;
  const changes: PanelChange[] = [];
  if (
    prev.title !== next.title ||
    prev.excludedCount !== next.excludedCount ||
    !sameJson(prev.status, next.status) ||
    !sameJson(prev.xChoices, next.xChoices)
  )
    changes.push({
      type: 'header',
      title: next.title,
      status: next.status,
      xChoices: next.xChoices,
      excludedCount: next.excludedCount,
    });
  if (!sameJson(prev.summary ?? null, next.summary ?? null))
    changes.push({ type: 'fitReplaced', summary: next.summary ?? null });
  for (const id of CHART_IDS) {
    const a = prev.charts[id];
    const b = next.charts[id];
    if (!a.available || !b.available) {
      if (a.available !== b.available || (!a.available && !b.available && a.reason !== b.reason))
        changes.push({ type: 'chartReplaced', chart: id, slot: b });
      continue;
    }
    const names = Object.keys(b.data);
    if (!sameJson(a.spec, b.spec) || names.length !== Object.keys(a.data).length || names.some((n) => !(n in a.data)))
      changes.push({ type: 'chartReplaced', chart: id, slot: b });
    else changes.push(...chartChanges(id, a, b));
  }
  return changedRows(changes) > MAX_CHANGED_SHARE * totalRows(next) ? undefined : changes;
}
