/**
 * Building blocks of the panel's message validators. Hand-written (no schema library in the webview bundle): each
 * validator returns the typed value or a reason.
 */
import { CHART_IDS, type AxisScale, type Cell, type ChartId, type Row } from './data';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const MAX_STRING = 4096;
export const MAX_IMAGE = 64 * 1024 * 1024;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isShortString(v: unknown, max = MAX_STRING): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isChartId(v: unknown): v is ChartId {
  return typeof v === 'string' && (CHART_IDS as readonly string[]).includes(v);
}

export function isAxisScale(v: unknown): v is AxisScale {
  return v === 'log' || v === 'linear';
}

/** Rejects keys the message type does not declare, so a typo or an injected field is reported, not ignored. */
export function onlyKeys(m: Record<string, unknown>, allowed: string[]): string | undefined {
  const extra = Object.keys(m).filter((k) => !allowed.includes(k));
  return extra.length ? `unexpected field(s) ${extra.slice(0, 5).join(', ')}` : undefined;
}

export function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

function isCell(v: unknown): v is Cell {
  return v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

/** Rows of a data set: flat records of numbers, strings, booleans and nulls (what Vega reads as data). */
export function isRows(v: unknown): v is Row[] {
  if (!Array.isArray(v)) return false;
  for (const row of v) {
    if (!isRecord(row)) return false;
    for (const k in row) if (!isCell(row[k])) return false;
  }
  return true;
}

export function isStringList(v: unknown, max = MAX_STRING): v is string[] {
  return Array.isArray(v) && v.every((s) => isShortString(s, max));
}
