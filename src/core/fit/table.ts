import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseScaleNumber } from '../config/values';
import { STEP_KEYS } from '../ingest/common';
import { splitCsvLine } from '../ingest/readers/csvLine';
import { parseColumn, SCALE_COLUMNS } from '../ingest/readers/summaryTable';
import { namesRuns, rowRunNamer, runColumns } from '../ingest/readers/tableRuns';
import {
  type DatasetBuild,
  DatasetError,
  type DatasetSelection,
  listNames,
  plural,
  Y_CANDIDATES,
} from './datasetCommon';
import type { FitPoint } from '../../contract/fit';

interface Column {
  name: string;
  base: string;
  scale: number;
}

/** A column by name: exact header, then case-insensitive, then without its unit, then (for N/D/C) the usual aliases. */
function findColumn(cols: Column[], name: string): number {
  const lower = name.trim().toLowerCase();
  let i = cols.findIndex((c) => c.name.trim() === name.trim());
  if (i < 0) i = cols.findIndex((c) => c.name.trim().toLowerCase() === lower);
  if (i < 0) i = cols.findIndex((c) => c.base === lower);
  if (i < 0 && (name === 'N' || name === 'D' || name === 'C')) {
    const aliases: readonly string[] = SCALE_COLUMNS[name];
    for (const a of aliases) {
      i = cols.findIndex((c) => c.base === a);
      if (i >= 0) break;
    }
  }
  return i;
}

export async function datasetFromTable(file: string, sel: DatasetSelection): Promise<DatasetBuild> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new DatasetError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  return datasetFromTableText(text, file, sel);
}

/**
 * A table given directly (CSV/TSV, one row per point): x and y are columns named by the selection, with header units
 * such as "(B)" applied. C, when asked for and absent, is 6·N·D from the N and D columns. Each row's run (the
 * bootstrap's cluster) is named as rowRunNamer says: run/seed columns name runs, a model/size column names sizes.
 * Rows with an empty or non-numeric cell in a needed column are skipped (tables often hold several metrics, one per
 * row).
 */
export function datasetFromTableText(text: string, file: string, sel: DatasetSelection): DatasetBuild {
  const name = basename(file);
  const lines = text.split(/\r?\n/);
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  if (lines.length < 2)
    throw new DatasetError(`${file}: no data rows (a header line and one row per point are expected)`);
  const delimiter = extname(file).toLowerCase() === '.tsv' || lines[0].includes('\t') ? '\t' : ',';
  const cols: Column[] = splitCsvLine(lines[0], delimiter).map(parseColumn);
  const available = () => cols.map((c) => `"${c.name}"`).join(', ');
  const warnings: string[] = [];
  const definitions: Record<string, string> = {};
  const describe = (c: number) =>
    `column "${cols[c].name}" of ${name}${cols[c].scale !== 1 ? ` (× ${cols[c].scale})` : ''}`;

  let yName = sel.y;
  let yCol: number;
  if (yName) {
    yCol = findColumn(cols, yName);
    if (yCol < 0) throw new DatasetError(`${file}: no column "${yName}" for y; columns: ${available()}`);
  } else {
    const hit = Y_CANDIDATES.find((c) => findColumn(cols, c) >= 0);
    if (!hit)
      throw new DatasetError(`${file}: no loss column found; name the metric with --y (columns: ${available()})`);
    yName = hit;
    yCol = findColumn(cols, hit);
    warnings.push(`no --y given: fitting column "${cols[yCol].name}"`);
  }
  definitions[yName] = describe(yCol);

  // Each x is a column, or C = 6·N·D from two columns.
  const getters: ((cells: string[]) => number)[] = [];
  const val = (cells: string[], c: number): number => {
    const v = parseScaleNumber(cells[c]);
    return v === undefined ? NaN : v * cols[c].scale;
  };
  for (const x of sel.x) {
    const c = findColumn(cols, x);
    if (c >= 0) {
      getters.push((cells) => val(cells, c));
      definitions[x] = describe(c);
      continue;
    }
    const n = findColumn(cols, 'N');
    const d = findColumn(cols, 'D');
    if (x === 'C' && n >= 0 && d >= 0) {
      getters.push((cells) => 6 * val(cells, n) * val(cells, d));
      definitions.C = `6·N·D from ${describe(n)} and ${describe(d)}`;
      continue;
    }
    throw new DatasetError(`${file}: no column "${x}" for x; columns: ${available()}`);
  }

  const filters: [number, string][] = [];
  for (const [k, v] of Object.entries(sel.where ?? {})) {
    const c = findColumn(cols, k);
    if (c < 0) throw new DatasetError(`${file}: no column "${k}" to filter on; columns: ${available()}`);
    filters.push([c, v]);
  }
  const runCols = runColumns(cols.map((c) => c.base));
  const stepCol = cols.findIndex((c) => STEP_KEYS.includes(c.base));
  const runOf = rowRunNamer(runCols);
  const points: FitPoint[] = [];
  let ragged = 0;
  let noY = 0;
  let badX = 0;
  const raggedLines: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = splitCsvLine(lines[i], delimiter);
    if (cells.length !== cols.length) {
      ragged++;
      if (raggedLines.length < 5) raggedLines.push(i + 1);
      continue;
    }
    if (filters.some(([c, v]) => cells[c].trim() !== v)) continue;
    const y = val(cells, yCol);
    if (!Number.isFinite(y)) {
      noY++;
      continue;
    }
    const x: Record<string, number> = {};
    sel.x.forEach((n, k) => {
      x[n] = getters[k](cells);
    });
    if (!Object.values(x).every((v) => Number.isFinite(v) && v > 0)) {
      badX++;
      continue;
    }
    const runId = runOf(cells) ?? `row${i + 1}`;
    const stepV = stepCol >= 0 ? val(cells, stepCol) : NaN;
    points.push({ x, y, runId, step: Number.isFinite(stepV) ? stepV : i });
  }
  if (ragged)
    warnings.push(
      `${name}: skipped ${plural(ragged, 'row')} whose cell count differs from the header (lines ${listNames(raggedLines.map(String))})`,
    );
  if (noY) warnings.push(`${name}: skipped ${plural(noY, 'row')} without a number in "${cols[yCol].name}"`);
  if (badX) warnings.push(`${name}: skipped ${plural(badX, 'row')} with an empty, zero or negative ${sel.x.join('/')}`);
  if (!points.length)
    throw new DatasetError(
      `${file}: no usable rows for ${yName} against ${sel.x.join(', ')}${warnings.length ? ` (${warnings.join('; ')})` : ''}`,
    );
  if (!namesRuns(runCols)) warnings.push(`${name}: no run/model column, so every row is its own run for the bootstrap`);
  else if (runCols.run < 0 && runCols.seed < 0 && runCols.progress.length)
    warnings.push(
      `${name}: no run or seed column: the rows of each "${cols[runCols.size].name}" are taken as one run's curve; add a run or seed column if a size has several runs`,
    );
  return { dataset: { points, xNames: [...sel.x], yName, definitions }, warnings };
}
