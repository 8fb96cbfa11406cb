/**
 * The one typed contract between the Scaling panel's host (src/extension/panel) and its webview (webview/).
 * Plain data and validators only, no imports: both bundles compile this file.
 *
 * Flow: the webview posts `ready`; the host answers with the full `state` (specs built in the host plus their
 * data) and re-sends it after every `ready`, because the webview's iframe may have been recreated. The webview is
 * untrusted: every message it posts goes through `parseWebviewMessage` before the host acts on it.
 */

// ---------------------------------------------------------------------------------------------------------------
// Shared data shapes

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

/**
 * Colours in host-built specs are theme tokens ("theme:blue"), not hex values: the host does not know the theme.
 * The webview replaces each token with the matching --vscode-* colour before rendering, and again on theme change.
 */
export const THEME_COLORS = [
  'foreground',
  'muted',
  'grid',
  'background',
  'blue',
  'red',
  'green',
  'yellow',
  'orange',
  'purple',
] as const;
export type ThemeColor = (typeof THEME_COLORS)[number];
export const THEME_TOKEN_PREFIX = 'theme:';
export function themeToken(c: ThemeColor): string {
  return THEME_TOKEN_PREFIX + c;
}

/** Replaces every theme token in a spec with a colour (returns a copy). Unknown tokens are left as they are. */
export function resolveThemeTokens(v: JsonValue, colors: Record<ThemeColor, string>): JsonValue {
  if (typeof v === 'string') {
    if (!v.startsWith(THEME_TOKEN_PREFIX)) return v;
    const name = v.slice(THEME_TOKEN_PREFIX.length);
    return (THEME_COLORS as readonly string[]).includes(name) ? colors[name as ThemeColor] : v;
  }
  if (Array.isArray(v)) return v.map((x) => resolveThemeTokens(x, colors));
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = resolveThemeTokens(x, colors);
    return out;
  }
  return v;
}

/** Vega-Lite's own default look, for specs that leave the panel (clipboard, files): readable on white. */
export const NEUTRAL_COLORS: Record<ThemeColor, string> = {
  foreground: '#333333',
  muted: '#888888',
  grid: '#dddddd',
  background: '#ffffff',
  blue: '#4c78a8',
  red: '#e45756',
  green: '#54a24b',
  yellow: '#eeca3b',
  orange: '#f58518',
  purple: '#b279a2',
};

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
}

export type ExportKind = 'fit-json' | 'plot-svg' | 'plot-png' | 'data-csv';
export type CopyKind = 'vega-lite' | 'latex';
export type ImageFormat = 'svg' | 'png';

// ---------------------------------------------------------------------------------------------------------------
// Host -> webview

export type HostMessage =
  | { type: 'state'; state: PanelState }
  /** Progress of a running fit, without re-sending the whole state. */
  | { type: 'status'; status: PanelStatus }
  /** Request: render a chart to an image; the webview answers with `image` carrying the same requestId. */
  | { type: 'renderImage'; requestId: number; chart: ChartId; format: ImageFormat };

// ---------------------------------------------------------------------------------------------------------------
// Webview -> host

export type WebviewMessage =
  | { type: 'ready' }
  /**
   * The user clicked a data point: exclude it from the fit, or include it again. `excluded` says how the point is
   * drawn now (true: it is excluded and the click asks to include it); `step` names a checkpoint point.
   */
  | { type: 'togglePoint'; runId: string; step?: number; excluded: boolean }
  | { type: 'refit' }
  | { type: 'export'; kind: ExportKind; chart?: ChartId }
  | { type: 'copy'; kind: CopyKind; chart?: ChartId }
  | { type: 'setOptions'; options: OptionsPatch }
  | { type: 'image'; requestId: number; ok: true; format: ImageFormat; data: string }
  | { type: 'image'; requestId: number; ok: false; error: string }
  /** Errors inside the webview, forwarded to the output channel (the webview's console is hard to find). */
  | { type: 'log'; level: 'warn' | 'error'; message: string };

/** A change to some view options; `axes` may name one chart. */
export interface OptionsPatch {
  axes?: Partial<Record<ChartId, AxisChoice>>;
  smoothing?: number;
  curveX?: 'tokens' | 'step';
  scalingX?: string;
  /** null clears a user-set target. */
  target?: number | null;
}

export type WebviewMessageType = WebviewMessage['type'];

// ---------------------------------------------------------------------------------------------------------------
// Validators. Hand-written (no schema library in the webview bundle): each returns the typed message or a reason.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_STRING = 4096;
const MAX_IMAGE = 64 * 1024 * 1024;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isShortString(v: unknown, max = MAX_STRING): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isChartId(v: unknown): v is ChartId {
  return typeof v === 'string' && (CHART_IDS as readonly string[]).includes(v);
}

function isAxisScale(v: unknown): v is AxisScale {
  return v === 'log' || v === 'linear';
}

/** Rejects keys the message type does not declare, so a typo or an injected field is reported, not ignored. */
function onlyKeys(m: Record<string, unknown>, allowed: string[]): string | undefined {
  const extra = Object.keys(m).filter((k) => !allowed.includes(k));
  return extra.length ? `unexpected field(s) ${extra.slice(0, 5).join(', ')}` : undefined;
}

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

function parseOptionsPatch(v: unknown): Parsed<OptionsPatch> {
  if (!isRecord(v)) return fail('options must be an object');
  const extra = onlyKeys(v, ['axes', 'smoothing', 'curveX', 'scalingX', 'target']);
  if (extra) return fail(`options: ${extra}`);
  const out: OptionsPatch = {};
  if (v.axes !== undefined) {
    if (!isRecord(v.axes)) return fail('options.axes must be an object');
    const axes: Partial<Record<ChartId, AxisChoice>> = {};
    for (const [chart, choice] of Object.entries(v.axes)) {
      if (!isChartId(chart)) return fail(`options.axes: unknown chart "${chart.slice(0, 40)}"`);
      if (!isRecord(choice) || !isAxisScale(choice.x) || !isAxisScale(choice.y) || onlyKeys(choice, ['x', 'y'])) {
        return fail(`options.axes.${chart} must be {x: 'log'|'linear', y: 'log'|'linear'}`);
      }
      axes[chart] = { x: choice.x, y: choice.y };
    }
    out.axes = axes;
  }
  if (v.smoothing !== undefined) {
    if (!isFiniteNumber(v.smoothing) || v.smoothing < 0 || v.smoothing > MAX_SMOOTHING)
      return fail(`options.smoothing must be a number in [0, ${MAX_SMOOTHING}]`);
    out.smoothing = v.smoothing;
  }
  if (v.curveX !== undefined) {
    if (v.curveX !== 'tokens' && v.curveX !== 'step') return fail("options.curveX must be 'tokens' or 'step'");
    out.curveX = v.curveX;
  }
  if (v.scalingX !== undefined) {
    if (!isShortString(v.scalingX, 200)) return fail('options.scalingX must be a variable name');
    out.scalingX = v.scalingX;
  }
  if (v.target !== undefined) {
    if (v.target !== null && !(isFiniteNumber(v.target) && v.target > 0))
      return fail('options.target must be a positive number or null');
    out.target = v.target;
  }
  return { ok: true, value: out };
}

const EXPORT_KINDS: readonly ExportKind[] = ['fit-json', 'plot-svg', 'plot-png', 'data-csv'];
const COPY_KINDS: readonly CopyKind[] = ['vega-lite', 'latex'];

/** Validates one message from the webview. Anything malformed is an error naming the problem, never a guess. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  if (!isRecord(raw)) return fail('message is not an object');
  const m = raw;
  const keys = (allowed: string[]): string | undefined => onlyKeys(m, ['type', ...allowed]);
  switch (m.type) {
    case 'ready':
    case 'refit': {
      const extra = keys([]);
      return extra ? fail(`${m.type}: ${extra}`) : { ok: true, value: { type: m.type } };
    }
    case 'togglePoint': {
      const extra = keys(['runId', 'step', 'excluded']);
      if (extra) return fail(`togglePoint: ${extra}`);
      if (!isShortString(m.runId)) return fail('togglePoint: runId must be a non-empty string');
      if (m.step !== undefined && !isFiniteNumber(m.step)) return fail('togglePoint: step must be a finite number');
      if (typeof m.excluded !== 'boolean') return fail('togglePoint: excluded must be a boolean');
      const value: WebviewMessage = { type: 'togglePoint', runId: m.runId, excluded: m.excluded };
      if (m.step !== undefined) value.step = m.step;
      return { ok: true, value };
    }
    case 'export':
    case 'copy': {
      const extra = keys(['kind', 'chart']);
      if (extra) return fail(`${m.type}: ${extra}`);
      if (m.chart !== undefined && !isChartId(m.chart)) return fail(`${m.type}: unknown chart`);
      const chart = m.chart;
      if (m.type === 'export') {
        if (!EXPORT_KINDS.includes(m.kind as ExportKind))
          return fail(`export: kind must be one of ${EXPORT_KINDS.join(', ')}`);
        return {
          ok: true,
          value: chart
            ? { type: 'export', kind: m.kind as ExportKind, chart }
            : { type: 'export', kind: m.kind as ExportKind },
        };
      }
      if (!COPY_KINDS.includes(m.kind as CopyKind)) return fail(`copy: kind must be one of ${COPY_KINDS.join(', ')}`);
      return {
        ok: true,
        value: chart ? { type: 'copy', kind: m.kind as CopyKind, chart } : { type: 'copy', kind: m.kind as CopyKind },
      };
    }
    case 'setOptions': {
      const extra = keys(['options']);
      if (extra) return fail(`setOptions: ${extra}`);
      const options = parseOptionsPatch(m.options);
      return options.ok
        ? { ok: true, value: { type: 'setOptions', options: options.value } }
        : fail(`setOptions: ${options.error}`);
    }
    case 'image': {
      if (!Number.isSafeInteger(m.requestId)) return fail('image: requestId must be an integer');
      const requestId = m.requestId as number;
      if (m.ok === true) {
        const extra = keys(['requestId', 'ok', 'format', 'data']);
        if (extra) return fail(`image: ${extra}`);
        if (m.format !== 'svg' && m.format !== 'png') return fail("image: format must be 'svg' or 'png'");
        if (!isShortString(m.data, MAX_IMAGE)) return fail('image: data must be a non-empty string');
        return { ok: true, value: { type: 'image', requestId, ok: true, format: m.format, data: m.data } };
      }
      if (m.ok === false) {
        const extra = keys(['requestId', 'ok', 'error']);
        if (extra) return fail(`image: ${extra}`);
        if (!isShortString(m.error)) return fail('image: error must be a non-empty string');
        return { ok: true, value: { type: 'image', requestId, ok: false, error: m.error } };
      }
      return fail('image: ok must be a boolean');
    }
    case 'log': {
      const extra = keys(['level', 'message']);
      if (extra) return fail(`log: ${extra}`);
      if (m.level !== 'warn' && m.level !== 'error') return fail("log: level must be 'warn' or 'error'");
      if (typeof m.message !== 'string') return fail('log: message must be a string');
      // Truncated rather than rejected: a long stack trace is still worth logging.
      return { ok: true, value: { type: 'log', level: m.level, message: m.message.slice(0, MAX_STRING) } };
    }
    default:
      return fail(
        `unknown message type ${typeof m.type === 'string' ? `"${m.type.slice(0, 40)}"` : `(${typeof m.type})`}`,
      );
  }
}

/**
 * Checks a host message's outer shape in the webview. The host is trusted, but a stale webview bundle after an
 * update could receive a shape it does not know; it should say so instead of throwing deep inside rendering.
 */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  if (!isRecord(raw)) return fail('message is not an object');
  switch (raw.type) {
    case 'state':
      if (!isRecord(raw.state) || !isRecord(raw.state.charts) || !isRecord(raw.state.options))
        return fail('state: missing state.charts or state.options');
      return { ok: true, value: raw as unknown as HostMessage };
    case 'status':
      if (!isRecord(raw.status) || typeof raw.status.kind !== 'string' || typeof raw.status.message !== 'string')
        return fail('status: malformed status');
      return { ok: true, value: raw as unknown as HostMessage };
    case 'renderImage':
      if (
        !Number.isSafeInteger(raw.requestId) ||
        !isChartId(raw.chart) ||
        (raw.format !== 'svg' && raw.format !== 'png')
      )
        return fail('renderImage: malformed request');
      return { ok: true, value: raw as unknown as HostMessage };
    default:
      return fail(
        `unknown host message type ${typeof raw.type === 'string' ? `"${raw.type.slice(0, 40)}"` : `(${typeof raw.type})`}`,
      );
  }
}

/** Merges a validated patch into options; unknown scalingX values are kept (the builder falls back with a note). */
export function applyOptionsPatch(options: ViewOptions, patch: OptionsPatch): ViewOptions {
  const next: ViewOptions = { ...options, axes: { ...options.axes } };
  if (patch.axes) for (const id of CHART_IDS) if (patch.axes[id]) next.axes[id] = { ...patch.axes[id] };
  if (patch.smoothing !== undefined) next.smoothing = patch.smoothing;
  if (patch.curveX !== undefined) next.curveX = patch.curveX;
  if (patch.scalingX !== undefined) next.scalingX = patch.scalingX;
  if (patch.target !== undefined) {
    if (patch.target === null) delete next.target;
    else next.target = patch.target;
  }
  return next;
}

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
