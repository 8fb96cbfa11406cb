/**
 * The Scaling panel's host side: owns the panel's state (the latest input and the view options, in PanelModel),
 * opens and restores the panel (its page and handshake are connection.ts) and keeps the webview up to date: the
 * whole state after every `ready`, deltas after that. Requests it cannot serve itself (exclude a point, refit,
 * export, plan) surface as events for the extension to act on (requests.ts).
 */
import * as vscode from 'vscode';
import {
  applyOptionsPatch,
  type ChartId,
  type CopyKind,
  type HostMessage,
  type ImageFormat,
  type JsonObject,
  type PanelState,
  type PanelStatus,
  type ViewOptions,
  type WebviewMessage,
} from '../../contract/panel';
import { standaloneSpec } from '../../core/view/exports';
import { loadCompiler } from '../../core/view/compileSpecs';
import type { PanelInput } from '../../core/view/types';
import { DeferredPost } from './deferredPost';
import { lawLatex } from '../fit/fitText';
import { VIEW } from '../ids';
import { PanelConnection, webviewOptions, type ConnectionEvents } from './connection';
import { copyToClipboard } from './copy';
import { PanelModel, savedOptions } from './panelModel';
import { PendingReplies } from './pendingReplies';
import { PanelRequests } from './requests';

export const PANEL_VIEW_TYPE = VIEW.panel;
const OPTIONS_KEY = 'scalingLens.panel.options';
const IMAGE_TIMEOUT_MS = 20_000;

export interface PanelLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ScalingPanelDeps {
  extensionUri: vscode.Uri;
  log: PanelLog;
  /** Where the view options (axes, smoothing, target) persist; usually `context.workspaceState`. */
  memento?: vscode.Memento;
  /** Asked for the current input whenever the view is built and no input is held (first open, after `invalidate`). */
  provideInput?: () => PanelInput | undefined;
}

export class ScalingPanelController implements vscode.Disposable {
  private connection: PanelConnection | undefined;
  private readonly model: PanelModel;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The second half of a split first state (core/view/firstPaint.ts). */
  private readonly deferred = new DeferredPost<HostMessage>((m) => {
    this.post(m);
  });
  private readonly images = new PendingReplies<string>(IMAGE_TIMEOUT_MS);

  private readonly requests = new PanelRequests();
  private readonly optionsChanged = new vscode.EventEmitter<ViewOptions>();
  private readonly visibility = new vscode.EventEmitter<boolean>();
  /** Requests the extension acts on (requests.ts). */
  readonly onDidTogglePoint = this.requests.onDidTogglePoint;
  readonly onDidRequestRefit = this.requests.onDidRequestRefit;
  readonly onDidRequestPlan = this.requests.onDidRequestPlan;
  readonly onDidRequestExport = this.requests.onDidRequestExport;
  readonly onDidChangeOptions = this.optionsChanged.event;
  /** True when a panel opens or is restored, false when it closes. */
  readonly onDidChangeOpen = this.visibility.event;

  constructor(private readonly deps: ScalingPanelDeps) {
    this.model = new PanelModel(savedOptions(deps.memento?.get<unknown>(OPTIONS_KEY)), deps.provideInput, deps.log);
    // Loaded in the background: the first panel is usually opened seconds after activation.
    loadCompiler().catch((e: unknown) => {
      deps.log.warn(`panel: Vega-Lite could not be loaded on the host; the webview compiles its specs: ${String(e)}`);
    });
  }

  get isOpen(): boolean {
    return this.connection !== undefined;
  }

  private get panel(): vscode.WebviewPanel | undefined {
    return this.connection?.panel;
  }

  /** Opens the panel, or reveals it if it is open. */
  show(column: vscode.ViewColumn = vscode.ViewColumn.Active, preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(column, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Scaling Lens',
      { viewColumn: column, preserveFocus },
      webviewOptions(this.deps.extensionUri),
    );
    this.attach(panel);
  }

  /**
   * Shows the panel without taking the keyboard from a text editor: beside it when one is active, else in the
   * active group. An open panel that is already visible stays where it is.
   */
  showBeside(): void {
    if (this.panel?.visible) return;
    const editor = vscode.window.activeTextEditor;
    const column = this.panel?.viewColumn ?? (editor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    this.show(column, true);
  }

  /** Takes over a panel VS Code restored after a window reload (called by the serializer). */
  restore(panel: vscode.WebviewPanel): void {
    if (this.panel && this.panel !== panel) this.panel.dispose();
    this.attach(panel);
  }

  /**
   * New data (a refit, a log append, new exclusions). Calls in one burst coalesce into one rebuild on the next
   * turn of the event loop; nothing is built while no panel is open.
   */
  update(input: PanelInput): void {
    this.model.setInput(input);
    this.schedule();
  }

  /**
   * The input changed: it is asked for again (`provideInput`) when next needed, so nothing is assembled while no
   * panel is open, and a burst of changes assembles it once.
   */
  invalidate(): void {
    this.model.invalidate();
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer || !this.panel) return;
    this.flushTimer = setTimeout(() => {
      this.flush();
    }, 0);
  }

  /** Builds and sends a pending update now (tests and benchmarks use it to avoid waiting for the timer). */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.panel) this.rebuild();
  }

  /** Progress of a running fit, shown in the header without rebuilding the plots. */
  setStatus(status: PanelStatus): void {
    this.model.setStatus(status);
    this.post({ type: 'status', status });
  }

  currentState(): PanelState | undefined {
    return this.model.current();
  }

  currentOptions(): ViewOptions {
    return this.model.options;
  }

  /** A plot's Vega-Lite spec with its data inlined (for "Copy Vega-Lite Spec"); undefined when not drawable. */
  vegaLiteSpec(chart: ChartId = 'scaling'): JsonObject | undefined {
    const slot = this.model.current()?.charts[chart];
    return slot?.available ? standaloneSpec(slot) : undefined;
  }

  /**
   * Renders a plot to SVG (the text) or PNG (a data: URL) in the webview, which has the fonts and the canvas.
   * A hidden panel has no live webview (no retainContextWhenHidden), so it is revealed first. Rejects when the
   * panel is closed before its page loads or before it answers.
   */
  async renderImage(chart: ChartId, format: ImageFormat): Promise<string> {
    const slot = this.model.current()?.charts[chart];
    if (!slot || !slot.available)
      throw new Error(`the ${chart} plot cannot be exported: ${slot ? slot.reason : 'no data yet'}`);
    if (!this.connection) this.show();
    if (!this.panel?.visible) this.panel?.reveal(undefined, true);
    const connection = this.connection;
    if (!connection) throw new Error(`the ${chart} plot cannot be exported: the Scaling panel did not open`);
    try {
      await connection.whenReady();
    } catch (e) {
      throw new Error(`the ${chart} plot was not exported: ${e instanceof Error ? e.message : String(e)}`);
    }
    const { id, reply } = this.images.open(`rendering the ${chart} plot as ${format.toUpperCase()}`);
    this.post({ type: 'renderImage', requestId: id, chart, format });
    return reply;
  }

  /** Copies a plot's spec, the law's LaTeX or the plan's config to the clipboard; returns what was copied. */
  copy(kind: CopyKind, chart: ChartId = 'scaling'): Promise<string | undefined> {
    return copyToClipboard(kind, chart, {
      latex: () => {
        const fit = this.model.currentInput()?.fit;
        return fit ? lawLatex(fit) : undefined;
      },
      planConfig: () => this.model.current()?.plan?.snippet,
      spec: () => this.vegaLiteSpec(chart),
      log: this.deps.log,
    });
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.deferred.drop();
    const connection = this.connection;
    this.connection = undefined;
    connection?.panel.dispose();
    connection?.dispose();
    this.images.rejectAll('the Scaling panel was closed');
    for (const e of [this.requests, this.optionsChanged, this.visibility]) e.dispose();
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private attach(panel: vscode.WebviewPanel): void {
    if (this.connection) {
      // A restored panel takes over: the old page will not answer.
      this.connection.dispose();
      this.images.rejectAll('the Scaling panel was reloaded');
    }
    this.deferred.drop();
    this.model.webviewReset();
    const events: ConnectionEvents = {
      message: (m) => {
        this.receive(m);
      },
      reset: (held) => {
        this.deferred.drop();
        this.model.webviewReset(held);
      },
      closed: () => {
        this.deferred.drop();
        this.connection = undefined;
        this.images.rejectAll('the Scaling panel was closed');
        this.visibility.fire(false);
      },
      warn: (m) => {
        this.deps.log.warn(m);
      },
    };
    // A state already built goes in the page's HTML, so the page draws as it loads instead of a round trip later.
    this.connection = new PanelConnection(panel, this.deps.extensionUri, events, this.model.initialState());
    // The state is built ahead while the page loads, on the next turn: built here, it would hold back the panel's
    // HTML (posted to the renderer when this turn ends) by the build's time. Not while a fit runs: its result
    // replaces that state, and the build would only take CPU from the page loading beside it (a page ready before
    // the fit ends gets a state then, with the fit's progress).
    if (!this.model.awaitingFit) this.schedule();
    this.visibility.fire(true);
  }

  /**
   * Brings the webview up to date if it is listening. While its page loads, the state is built ahead, so the
   * answer to its `ready` is only a postMessage away.
   */
  private rebuild(): void {
    if (!this.connection) return;
    if (!this.connection.isReady) {
      this.model.current();
      return;
    }
    const { now, next } = this.model.messagesForWebview();
    // Anything newer applies on top of the whole state, so its deferred half goes first.
    if (now || next) this.deferred.flush();
    if (now) this.post(now);
    if (next) this.deferred.schedule(next);
  }

  private post(message: HostMessage): void {
    this.connection?.post(message);
  }

  private receive(m: WebviewMessage): void {
    if (this.requests.route(m)) return;
    switch (m.type) {
      case 'ready':
        this.rebuild();
        break;
      case 'drawn':
        this.deferred.flush();
        break;
      case 'copy':
        void this.copy(m.kind, m.chart);
        break;
      case 'setOptions':
        this.model.setOptions(applyOptionsPatch(this.model.options, m.options));
        void this.deps.memento?.update(OPTIONS_KEY, this.model.options);
        this.optionsChanged.fire(this.model.options);
        this.rebuild();
        break;
      case 'image':
        if (!this.images.settle(m.requestId, m.ok ? { ok: true, value: m.data } : { ok: false, error: m.error })) {
          this.deps.log.warn(`panel: an image reply for unknown request ${m.requestId} was ignored`);
        }
        break;
      case 'log':
        if (m.level === 'error') this.deps.log.error(`panel webview: ${m.message}`);
        else this.deps.log.warn(`panel webview: ${m.message}`);
        break;
    }
  }
}
