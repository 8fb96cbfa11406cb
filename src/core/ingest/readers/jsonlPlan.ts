import { NON_METRIC_KEYS, pickKey, TIME_KEYS, TOKEN_KEYS } from '../common';
import type { JsonLayout } from '../lines/jsonObject';
import type { LogTable } from '../lines/logTable';

/**
 * What to do with each value of one JSON-lines layout, decided once per layout instead of once per line:
 * which slot is the step, the tokens, the wall time, and which slots are metrics.
 * `generic` marks layouts the general path must handle (config records, W&B's {value, desc} wrappers, duplicate
 * names): the same rules as flattenConfig, applied to the whole record.
 */
export interface JsonlPlan {
  layout: JsonLayout;
  generic: boolean;
  stepSlot: number;
  tokSlot: number;
  timeSlot: number;
  metricSlots: number[];
}

/** Layouts kept per list of step fields; logs whose keys change every line would otherwise grow the cache forever. */
const MAX_PLANS = 1024;
const cache = new WeakMap<readonly string[], Map<string, JsonlPlan>>();

/**
 * The plan of a layout, shared by every log with that layout (10,000 runs of one trainer share two or three):
 * worked out once per process, not once per file. `stepKeys` must be the same array for the same step fields
 * (stepFields returns one per alias table).
 */
export function sharedPlan(layout: JsonLayout, stepKeys: readonly string[]): JsonlPlan {
  let bySignature = cache.get(stepKeys);
  if (!bySignature) cache.set(stepKeys, (bySignature = new Map<string, JsonlPlan>()));
  const sig = layout.signature();
  let plan = bySignature.get(sig);
  if (!plan) {
    if (bySignature.size >= MAX_PLANS) bySignature.clear();
    plan = planFor(layout, stepKeys);
    bySignature.set(sig, plan);
  }
  return plan;
}

/** `stepKeys`: the step fields in order of preference (see stepFields). */
export function planFor(layout: JsonLayout, stepKeys: readonly string[]): JsonlPlan {
  const names = layout.names;
  const slotOf = (candidates: readonly string[]): number => {
    const k = pickKey(names, candidates);
    return k === undefined ? -1 : names.indexOf(k);
  };
  const metricSlots: number[] = [];
  names.forEach((n, i) => {
    if (!NON_METRIC_KEYS.has(n.toLowerCase()) && !n.startsWith('_')) metricSlots.push(i);
  });
  return {
    layout,
    generic: needsGenericPath(layout),
    stepSlot: slotOf(stepKeys),
    tokSlot: slotOf(TOKEN_KEYS),
    timeSlot: slotOf(TIME_KEYS),
    metricSlots,
  };
}

/** Layouts whose meaning flattenConfig changes: leave them to the general path so both paths agree. */
function needsGenericPath(layout: JsonLayout): boolean {
  if (new Set(layout.names).size !== layout.names.length) return true; // "a.b" beside {"a": {"b"}}
  const isWrapper = (keys: readonly string[]) =>
    keys.includes('value') && keys.every((k) => k === 'value' || k === 'desc');
  if (isWrapper(layout.topKeys)) return true;
  return layout.hasKey((key, depth, children) => {
    if (key === '__proto__' || key === '_wandb') return true;
    if (children && depth === 1 && key === 'config') return true; // a {"config": {...}} record adds to the config
    return children !== undefined && isWrapper(children); // W&B's {"value": …, "desc": …} wrapper
  });
}

/**
 * What to do with each column of a LogTable (see JsonlReader.onTable): the same choices planFor makes for a line's
 * layout, made once for the table's keys. A table's lines may each lack some keys, so the step, tokens and time are
 * lists of columns in order of preference, and a line takes the first that has a value on it (as pickKey would
 * over that line's keys: a table's keys are numbers wherever present, and never differ only in case).
 */
export interface TablePlan {
  /**
   * The table's keys as first met: every table with these keys names its series with these strings, so 10,000 logs
   * keep one `loss` between them instead of the copy each worker message brings.
   */
  names: readonly string[];
  step: number[];
  tokens: number[];
  time: number[];
  /** Columns that are metrics, with their names. */
  metrics: number[];
}

interface TablePlans {
  byKeys: Map<string, TablePlan>;
  /** By the very list of keys: the I/O worker sends each list once, and the tables after it share that list. */
  byList: WeakMap<readonly string[], TablePlan>;
}
const tablePlans = new WeakMap<readonly string[], TablePlans>();

/** The plan of a table's keys, shared by every log with those keys (see sharedPlan). */
export function sharedTablePlan(table: LogTable, stepKeys: readonly string[]): TablePlan {
  let plans = tablePlans.get(stepKeys);
  if (!plans) tablePlans.set(stepKeys, (plans = { byKeys: new Map(), byList: new WeakMap() }));
  let plan = plans.byList.get(table.names);
  if (plan) return plan;
  const sig = JSON.stringify(table.names);
  plan = plans.byKeys.get(sig);
  if (!plan) {
    if (plans.byKeys.size >= MAX_PLANS) plans.byKeys.clear();
    plan = tablePlanFor(table.names, stepKeys);
    plans.byKeys.set(sig, plan);
  }
  plans.byList.set(table.names, plan);
  return plan;
}

function tablePlanFor(names: readonly string[], stepKeys: readonly string[]): TablePlan {
  const lower = new Map(names.map((n, i) => [n.toLowerCase(), i]));
  const columns = (candidates: readonly string[]): number[] =>
    candidates.map((c) => lower.get(c)).filter((c): c is number => c !== undefined);
  const metrics: number[] = [];
  names.forEach((n, i) => {
    if (!NON_METRIC_KEYS.has(n.toLowerCase()) && !n.startsWith('_')) metrics.push(i);
  });
  return { names, step: columns(stepKeys), tokens: columns(TOKEN_KEYS), time: columns(TIME_KEYS), metrics };
}
