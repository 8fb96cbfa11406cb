/**
 * The slice of Vega-Lite (v5/v6) the scaling plot uses, as plain types. Kept here instead of importing vega-lite's
 * own types so the spec builder stays dependency-free for the webview; render.ts checks at compile time that these
 * specs are assignable to vega-lite's TopLevelSpec.
 */
export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;

export type FieldType = 'quantitative' | 'nominal' | 'ordinal';

export interface ScaleDef {
  type?: 'log' | 'linear' | 'symlog';
  zero?: boolean;
  nice?: boolean;
  domain?: (number | string)[];
  range?: (string | number | number[])[];
  scheme?: 'viridis' | 'tableau10' | 'category20' | 'plasma';
}

export interface LegendDef {
  title?: string | null;
  orient?: 'right' | 'left' | 'top' | 'bottom' | 'none';
  format?: string;
}

export interface AxisDef {
  title?: string;
  format?: string;
  grid?: boolean;
  tickCount?: number;
  /** Explicit tick values (decades on a log axis: the minor 2…9 grid lines are noise on a scaling plot). */
  values?: number[];
}

export interface FieldDef {
  field: string;
  type: FieldType;
  title?: string;
  scale?: ScaleDef;
  legend?: LegendDef | null;
  axis?: AxisDef;
  format?: string;
}

export interface ColorValue {
  value: string;
}

export interface Encoding {
  x?: FieldDef;
  y?: FieldDef;
  y2?: { field: string };
  color?: FieldDef | ColorValue;
  shape?: FieldDef;
  size?: FieldDef;
  strokeDash?: FieldDef;
  detail?: { field: string; type: FieldType };
  tooltip?: FieldDef[];
}

export interface MarkDef {
  type: 'point' | 'line' | 'area';
  filled?: boolean;
  size?: number;
  opacity?: number;
  strokeWidth?: number;
  color?: string;
  clip?: boolean;
  interpolate?: 'linear' | 'monotone';
}

export interface Layer {
  name?: string;
  data: { name: string };
  mark: MarkDef;
  encoding: Encoding;
}

export interface ScalingSpec {
  $schema: string;
  title?: { text: string; subtitle?: string | string[] };
  width: number;
  height: number;
  datasets?: Record<string, Row[]>;
  layer: Layer[];
  resolve?: { scale?: { color?: 'shared' | 'independent' } };
  config?: { legend?: { symbolLimit?: number }; view?: { stroke?: string | null } };
  usermeta?: Record<string, string>;
}

/** A plot: the spec (data sets referenced by name), the named data beside it, and a one-sentence description. */
export interface ScalingPlot {
  spec: ScalingSpec;
  data: { points: Row[]; curve: Row[]; band: Row[] };
  /** What the plot shows in a sentence ("loss vs C with the compute-optimal frontier"); for captions and logs. */
  description: string;
}
