/**
 * Pieces every panel spec shares: typed Vega-Lite (the builders are checked against vega-lite's own types, which
 * are only imported as types here; the host compiles specs with it lazily, see compileSpecs.ts), axis formatting,
 * the zoom/pan selection and the conversion to the contract's JSON.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  AXIS_LABEL_EXPR,
  AXIS_LABEL_FORMAT,
  themeToken,
  type AxisScale,
  type JsonObject,
  type Row,
} from '../../contract/panel';

export type LayeredSpec = Extract<TopLevelSpec, { layer: unknown }>;
export type Layer = LayeredSpec['layer'][number];

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Chart height in pixels; the width follows the panel (`width: 'container'`). */
export const CHART_HEIGHT = 380;

/** Axis labels: one format for every panel plot (the contract's, which the webview's own charts use too). */
export const LABEL_FORMAT = AXIS_LABEL_FORMAT;
export const LABEL_EXPR = AXIS_LABEL_EXPR;
export function axis(title: string): {
  title: string;
  format: string;
  labelExpr: string;
  grid: boolean;
  labelOverlap: boolean;
} {
  return { title, format: LABEL_FORMAT, labelExpr: LABEL_EXPR, grid: true, labelOverlap: true };
}

/** Pixels kept free at each end of an axis, so points at the edge of the data are not cut in half by the frame. */
const EDGE_PADDING = 10;

export function scale(
  type: AxisScale,
  zero = false,
): { type: AxisScale; zero?: boolean; nice: boolean; padding: number } {
  return type === 'log'
    ? { type, nice: false, padding: EDGE_PADDING }
    : { type, zero, nice: false, padding: EDGE_PADDING };
}

/**
 * Drag to pan, wheel to zoom, double-click to reset: an interval selection bound to the scales. It lives on one
 * layer and drives the shared scales of all of them. The webview keeps its extent across data updates.
 */
export const ZOOM_PARAM = 'zoom';
export function zoomParam(): { name: string; select: { type: 'interval'; encodings: ('x' | 'y')[] }; bind: 'scales' } {
  return { name: ZOOM_PARAM, select: { type: 'interval', encodings: ['x', 'y'] }, bind: 'scales' };
}

/** A quantitative position channel: the field, its scale type and the axis titled for a person. */
export function quantitative(
  field: string,
  type: AxisScale,
  title: string,
): { field: string; type: 'quantitative'; scale: ReturnType<typeof scale>; axis: ReturnType<typeof axis> } {
  return { field, type: 'quantitative', scale: scale(type), axis: axis(title) };
}

/** Layout shared by every chart: full panel width, fixed height, a frame coloured by the theme. */
export function frame(): Pick<LayeredSpec, '$schema' | 'width' | 'height' | 'autosize'> {
  return {
    $schema: SCHEMA,
    width: 'container',
    height: CHART_HEIGHT,
    autosize: { type: 'fit-x', contains: 'padding' },
  };
}

export const token = themeToken;

/**
 * The contract carries specs as JSON. Specs are small (data travels separately), so a JSON round trip is the
 * honest conversion: it also drops `undefined` fields, which postMessage would otherwise carry as holes.
 */
export function toJson(spec: object): JsonObject {
  return JSON.parse(JSON.stringify(spec)) as JsonObject;
}

/** A chart's spec as the contract carries it: the shared frame around its layers, plus chart-wide settings. */
export function layeredSpec(layers: Layer[], extra: Omit<Partial<LayeredSpec>, 'layer'> = {}): JsonObject {
  const spec: LayeredSpec = { ...frame(), layer: layers, ...extra };
  return toJson(spec);
}

/** Numbers as the contract's cells: NaN and ±Infinity become null (JSON and Vega both treat null as missing). */
export function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

export function countRows(data: Record<string, Row[]>): number {
  let n = 0;
  for (const rows of Object.values(data)) n += rows.length;
  return n;
}
