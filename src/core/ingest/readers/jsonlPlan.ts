import type { Series } from '../../model/series';
import { NON_METRIC_KEYS, pickKey, TIME_KEYS, TOKEN_KEYS } from '../common';
import type { JsonLayout } from '../lines/jsonObject';

/**
 * What to do with each value of one JSON-lines layout, decided once per layout instead of once per line:
 * which slot is the step, the tokens, the wall time, and which slots are metrics (with their Series once created).
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
  /** Series of metricSlots[j], created on the first number (a key that is always text is no metric). */
  series: (Series | undefined)[];
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
    series: metricSlots.map(() => undefined),
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
