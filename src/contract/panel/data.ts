/**
 * The data the Scaling panel's host (src/extension/panel) sends its webview (webview/): the view model and the
 * view options. Plain data only; both bundles compile this folder, which imports nothing of ours.
 */
import type { PlanView } from './planData';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One datum of a plot's named data set. */
export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;

/** The panel's plots, in tab order. */
export const CHART_IDS = ['scaling', 'curves', 'isoflop', 'residuals'] as const;
export type ChartId = (typeof CHART_IDS)[number];

export type AxisScale = 'log' | 'linear';
export interface AxisChoice {
  x: AxisScale;
  y: AxisScale;
}

/** View settings the host owns (they change what the host builds); the webview asks for changes with `setOptions`. */
export interface ViewOptions {
  axes: Record<ChartId, AxisChoice>;
  /** EMA weight of the learning-curve smoothing, 0 (raw) to 0.99. */
  smoothing: number;
  /** What the learning curves are drawn against. */
  curveX: 'tokens' | 'step';
  /** The variable on the scaling plot's x axis; undefined = the builder's default. */
  scalingX?: string;
  /** Extend the fitted law (dashed) to this x; undefined = one decade beyond the data. */
  target?: number;
}

export const MAX_SMOOTHING = 0.99;

export interface ChartModel {
  available: true;
  /** A Vega-Lite spec whose layers read named data sets (no inline data), so updates swap data only. */
  spec: JsonObject;
  /**
   * The spec compiled to Vega by the host (colours still theme tokens), so the page only parses it; absent while
   * the host's compiler loads, and then the page compiles `spec` itself.
   */
  vega?: JsonObject;
  /** The named data sets, already downsampled for drawing. */
  data: Record<string, Row[]>;
  /** Heading and sub-lines shown above the plot (kept out of the spec so a refit updates data, not the spec). */
  title: string;
  subtitle: string[];
  /** One sentence on what the plot shows, shown under it and used as its accessible label. */
  caption: string;
  /** Points drawn vs points in the input (they differ when long curves were downsampled). */
  drawn: number;
  total: number;
}

export interface ChartUnavailable {
  available: false;
  /** Why this plot cannot be drawn (no fit yet, the law has no N and D, ...), shown in its place. */
  reason: string;
}

export type ChartSlot = ChartModel | ChartUnavailable;

export interface ParamRow {
  name: string;
  value: number;
  /** 95% bootstrap interval, when the fit ran a bootstrap. */
  ci95?: [number, number];
  /** The optimum sits on this parameter's bound. */
  atBound: boolean;
}

export interface ComparisonRow {
  law: string;
  aic: number;
  bic: number;
  rmseLog: number;
  /** Mean absolute relative error on the held-out (largest) runs. */
  areMean?: number;
  chosen: boolean;
}

export interface PredictionRow {
  /** "N=7e9, D=1.4e12" */
  at: string;
  value: number;
  ci95?: [number, number];
  regime: 'interpolation' | 'extrapolation';
  decadesBeyond: number;
  /** Where a new run's observed value should fall (the mean's interval plus run-to-run noise). */
  pi95?: [number, number];
  /** Why it is an extrapolation, in words. */
  regimeReason?: string;
  /** At a compute budget whose N/D split these runs cannot determine: why (show it instead of the split). */
  splitNotIdentifiable?: string;
}

export interface HoldoutRow {
  runId: string;
  observed: number;
  predicted: number;
  /** Absolute relative error |predicted - observed| / observed. */
  are: number;
}

/** The numbers under the plots: parameters with intervals, metrics, law comparison, backtest and warnings. */
export interface FitSummary {
  law: string;
  formula: string;
  latex: string;
  yName: string;
  params: ParamRow[];
  metrics: { rmseLog: number; r2: number; aic: number; bic: number };
  nPoints: number;
  nRuns: number;
  comparison: ComparisonRow[];
  holdout?: { areMean: number; points: HoldoutRow[] };
  predictions: PredictionRow[];
  /** Compute-optimal allocation N_opt = G·(C/6)^a, D_opt = (C/6)^b / G; `identifiable` false: show the reason instead. */
  computeOptimal?: {
    a: number;
    b: number;
    G: number;
    ci95?: { a: [number, number]; b: [number, number]; G: [number, number] };
    identifiable: boolean;
    reason?: string;
  };
  /** With a bootstrap: whether its intervals can be read at face value (reasons are among the warnings). */
  intervalQuality?: 'ok' | 'rough' | 'unreliable';
  /** One line per weak aspect of the design (tokens/param spread, spans, conditioning, configurations). */
  designAdvice?: string[];
  /** lr_annealing: the fit failed its quality gate (reason among the warnings). */
  quality?: 'poor';
  warnings: string[];
  /** Solver facts worth a glance: starts reaching the best optimum, condition number, bootstrap mode. */
  diagnostics: string[];
  elapsedMs: number;
}

export type PanelStatus =
  | { kind: 'empty'; message: string }
  | { kind: 'fitting'; message: string }
  | { kind: 'ready'; message: string }
  | { kind: 'error'; message: string };

/** Everything the webview shows. Built by `buildPanelState` (src/core/view) in the host. */
export interface PanelState {
  title: string;
  status: PanelStatus;
  options: ViewOptions;
  /** Variables the scaling plot's x axis may show. */
  xChoices: string[];
  charts: Record<ChartId, ChartSlot>;
  summary?: FitSummary;
  /** Points the user excluded (drawn hollow on the scaling plot; clicking one includes it again). */
  excludedCount: number;
  /** Milliseconds since the epoch when the host built this state; lets tests and logs tell updates apart. */
  builtAt: number;
  /** The Plan view (absent while no fit can be planned from). */
  plan?: PlanView;
}

export type ExportKind = 'fit-json' | 'plot-svg' | 'plot-png' | 'data-csv';
export type CopyKind = 'vega-lite' | 'latex' | 'plan-config';
export type ImageFormat = 'svg' | 'png';

export function defaultViewOptions(): ViewOptions {
  return {
    axes: {
      scaling: { x: 'log', y: 'log' },
      curves: { x: 'log', y: 'log' },
      isoflop: { x: 'log', y: 'linear' },
      residuals: { x: 'log', y: 'linear' },
    },
    smoothing: 0.6,
    curveX: 'tokens',
  };
}
