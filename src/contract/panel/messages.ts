/**
 * The messages between the Scaling panel's host and its webview.
 *
 * Flow: the webview posts `ready`; the host answers with the full `state` (specs built in the host plus their
 * data) and re-sends it after every `ready`, because the webview's iframe may have been recreated. After that the
 * host sends only what changed (`delta`): a log that grew replaces that run's rows, a new run adds rows, a new fit
 * replaces the fit's data sets and numbers. A changed spec (axes, law, options) comes as a full `state` again.
 * The webview is untrusted: every message it posts goes through `parseWebviewMessage` before the host acts on it;
 * the host's messages go through `parseHostMessage` in the webview.
 */
import type {
  ChartId,
  ChartSlot,
  ExportKind,
  CopyKind,
  FitSummary,
  ImageFormat,
  PanelState,
  PanelStatus,
  Row,
  AxisChoice,
} from './data';
import type { PlanChoice } from './planData';

/**
 * A change to one named data set of one chart. Sets whose rows carry a `run` change per run, so Vega recomputes
 * only those runs' marks; others are replaced whole.
 */
export type DataChange =
  /** Runs whose rows changed (their log grew, so their thinned series is new): their old rows out, `rows` in. */
  | { type: 'seriesChanged'; chart: ChartId; dataset: string; runs: string[]; rows: Row[] }
  | { type: 'runsAdded'; chart: ChartId; dataset: string; rows: Row[] }
  | { type: 'runsRemoved'; chart: ChartId; dataset: string; runs: string[] }
  /** Every row replaced: a set without runs (the fitted law's line, its band) or one where most runs changed. */
  | { type: 'datasetReplaced'; chart: ChartId; dataset: string; rows: Row[] };

export type DataChangeType = DataChange['type'];

/** The words around a chart, sent when they changed (drawn and total counts, the caption's notes). */
export interface ChartTextChange {
  type: 'chartText';
  chart: ChartId;
  title: string;
  subtitle: string[];
  caption: string;
  drawn: number;
  total: number;
}

export type PanelChange =
  | DataChange
  | ChartTextChange
  /**
   * A plot whose spec changed (the IsoFLOP view's axes follow the fit), or that appeared or went away: sent whole,
   * and embedded afresh when shown.
   */
  | { type: 'chartReplaced'; chart: ChartId; slot: ChartSlot }
  /** A new fit: the numbers under the plots (its data sets come as DataChanges in the same delta). */
  | { type: 'fitReplaced'; summary: FitSummary | null }
  | { type: 'header'; title: string; status: PanelStatus; xChoices: string[]; excludedCount: number };

/**
 * Changes that turn the state built at `base` (its `builtAt`) into the one built at `builtAt`. A webview holding
 * another state cannot apply them and posts `ready` to get the whole state again.
 */
export interface PanelDelta {
  type: 'delta';
  base: number;
  builtAt: number;
  changes: PanelChange[];
}

/**
 * The id of the JSON data block in a new page's HTML that holds the state it draws as it loads (the host's state
 * when it had one built); the page then says `ready` with `holds` set to that state's `builtAt`.
 */
export const INITIAL_STATE_ID = 'scaling-lens-initial-state';

export type HostMessage =
  | { type: 'state'; state: PanelState }
  /** What changed since the state the webview holds (see PanelDelta); the host sends a full `state` otherwise. */
  | PanelDelta
  /** Progress of a running fit, without re-sending the whole state. */
  | { type: 'status'; status: PanelStatus }
  /** Request: render a chart to an image; the webview answers with `image` carrying the same requestId. */
  | { type: 'renderImage'; requestId: number; chart: ChartId; format: ImageFormat };

// ---------------------------------------------------------------------------------------------------------------
// Webview -> host

export type WebviewMessage =
  /**
   * The page listens. `holds`: the `builtAt` of the state it already shows, the one its HTML carried (a new page draws
   * that at once instead of waiting a round trip for it); the host then sends only what changed since.
   */
  | { type: 'ready'; holds?: number }
  /**
   * The page drew the shown plot of the whole state it got (or had none to draw): what the host held back so that
   * plot came first (the large learning curves of a split state) may come now.
   */
  | { type: 'drawn' }
  /**
   * The user clicked a data point: exclude it from the fit, or include it again. `excluded` says how the point is
   * drawn now (true: it is excluded and the click asks to include it); `step` names a checkpoint point.
   */
  | { type: 'togglePoint'; runId: string; step?: number; excluded: boolean }
  | { type: 'refit' }
  | { type: 'export'; kind: ExportKind; chart?: ChartId }
  | { type: 'copy'; kind: CopyKind; chart?: ChartId }
  | { type: 'setOptions'; options: OptionsPatch }
  /**
   * "Plan next runs" with the Plan tab's choices: target compute, budget (FLOPs), objective, max runs; each absent
   * one is the default (see PlanChoice).
   */
  | ({ type: 'plan' } & PlanChoice)
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
