import type { LogTable } from '../lines/logTable';
import type { MetricTable, Series } from '../../model/series';
import type { TablePlan } from './jsonlPlan';

/** The step, tokens and time of each line of a table. */
interface TableAxes {
  step: Float64Array;
  tokens: Float64Array;
  time: Float64Array;
}
let scratch: TableAxes = { step: new Float64Array(0), tokens: new Float64Array(0), time: new Float64Array(0) };

/** Axes for `n` lines, cut from buffers reused by every reader (a table is stored synchronously, one at a time). */
function tableAxes(n: number): TableAxes {
  if (scratch.step.length < n) {
    const size = Math.max(n, 2 * scratch.step.length, 1024);
    scratch = { step: new Float64Array(size), tokens: new Float64Array(size), time: new Float64Array(size) };
  }
  return {
    step: scratch.step.subarray(0, n),
    tokens: scratch.tokens.subarray(0, n),
    time: scratch.time.subarray(0, n),
  };
}

/**
 * Stores a small log's lines as the I/O worker parsed them (see LogTable): the records JsonlReader.apply would push
 * line by line, with the same step, tokens and time for each. A fresh log's table is loaded whole (Rows.load,
 * Series.loadShared) and its series come out as from the lines, point for point and with the same sharing of rows,
 * so appends go on as after a line-by-line read. `rowIndex`: the records before it (a line without a step field
 * is stepped by its index). Returns whether any metric got a value.
 */
export function storeTable(metrics: MetricTable, table: LogTable, plan: TablePlan, rowIndex: number): boolean {
  const { values, lines: n } = table;
  const axes = tableAxes(n);
  const at = (columns: readonly number[], r: number, fallback: number): number => {
    for (const c of columns) {
      const v = values[c * n + r];
      if (v === v) return v;
    }
    return fallback;
  };
  for (let r = 0; r < n; r++) {
    axes.step[r] = at(plan.step, r, rowIndex + r);
    axes.tokens[r] = at(plan.tokens, r, NaN);
    axes.time[r] = at(plan.time, r, NaN);
  }
  const rows = metrics.rows;
  if (rows.total === 0 && rowIndex === 0 && n <= rows.maxPoints) loadTable(metrics, table, plan, axes);
  else pushTable(metrics, table, plan, axes);
  return plan.metrics.length > 0;
}

/** Every record of a fresh log at once: dense metrics share the rows, the others are pushed point by point. */
function loadTable(metrics: MetricTable, table: LogTable, plan: TablePlan, axes: TableAxes): void {
  const { values, lines: n } = table;
  const { metrics: columns, names } = plan;
  const rows = metrics.rows;
  rows.load(axes.step, axes.tokens, axes.time);
  for (const c of columns) {
    const column = values.subarray(c * n, (c + 1) * n);
    const series = metrics.get(names[c]);
    let present = 0;
    for (let r = 0; r < n; r++) if (column[r] === column[r]) present++;
    if (present === n) series.loadShared(rows, column);
    else
      for (let r = 0; r < n; r++)
        if (column[r] === column[r]) series.push(axes.step[r], column[r], axes.tokens[r], axes.time[r]);
  }
}

/** The records of a table pushed one by one, as JsonlReader.apply does (a log that has records already). */
function pushTable(metrics: MetricTable, table: LogTable, plan: TablePlan, axes: TableAxes): void {
  const { values, lines: n } = table;
  const { metrics: columns, names } = plan;
  const rows = metrics.rows;
  rows.reserve(n);
  const series: (Series | undefined)[] = [];
  for (let r = 0; r < n; r++) {
    rows.push(axes.step[r], axes.tokens[r], axes.time[r]);
    for (let j = 0; j < columns.length; j++) {
      const v = values[columns[j] * n + r];
      if (v === v) (series[j] ??= metrics.get(names[columns[j]])).pushRow(rows, v);
    }
  }
}
