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
  for (let r = 0; r < n; r++) axes.step[r] = rowIndex + r;
  axes.tokens.fill(NaN);
  axes.time.fill(NaN);
  fillAxis(axes.step, values, plan.step);
  fillAxis(axes.tokens, values, plan.tokens);
  fillAxis(axes.time, values, plan.time);
  const rows = metrics.rows;
  if (rows.total === 0 && rowIndex === 0 && n <= rows.maxPoints) loadTable(metrics, table, plan, axes);
  else pushTable(metrics, table, plan, axes);
  return plan.metrics.length > 0;
}

/**
 * Each line's value of the first of `columns` (in order of preference) that has one on that line; lines with none
 * keep what `axis` holds. Column by column from the least preferred, so that a preferred value overwrites.
 */
function fillAxis(axis: Float64Array, values: Float64Array, columns: readonly number[]): void {
  const n = axis.length;
  for (let j = columns.length - 1; j >= 0; j--) {
    const from = columns[j] * n;
    for (let r = 0; r < n; r++) {
      const v = values[from + r];
      if (v === v) axis[r] = v;
    }
  }
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
