/**
 * The Scaling panel's host side: owns the panel's state (the latest input and the view options), builds the view
 * model with the pure builders, and talks to the webview through the typed contract. The webview is a projection:
 * after every `ready` (a new or reloaded iframe) it gets the whole state again. Requests it cannot serve itself
 * (exclude a point, refit, export) surface as events for the extension to act on.
 */
import * as vscode from 'vscode';
import {
  applyOptionsPatch,
  defaultViewOptions,
  parseWebviewMessage,
  type ChartId,
  type CopyKind,
  type ExportKind,
  type HostMessage,
  type ImageFormat,
  type JsonObject,
  type PanelState,
  type PanelStatus,
  type ViewOptions,
} from '../../contract/panel';
import { standaloneSpec } from '../../core/view/exports';
import { loadCompiler } from '../../core/view/compileSpecs';
import type { PanelInput } from '../../core/view/types';
import { lawLatex } from '../fit/fitText';
import { VIEW } from '../ids';
import { makeNonce, panelHtml } from './html';
import { PanelModel } from './panelModel';
import { PendingReplies } from './pendingReplies';

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

export interface TogglePointRequest {
  runId: string;
  step?: number;
  /** True when the point is excluded now (the click asks to include it again). */
  excluded: boolean;
}

export interface ExportRequest {
  kind: ExportKind;
  chart?: ChartId;
}

/** Options saved by an earlier session, checked by the same validator as the webview's requests. */
function savedOptions(saved: unknown): ViewOptions {
  if (saved === undefined) return defaultViewOptions();
  const parsed = parseWebviewMessage({ type: 'setOptions', options: saved });
  return parsed.ok && parsed.value.type === 'setOptions'
    ? applyOptionsPatch(defaultViewOptions(), parsed.value.options)
    : defaultViewOptions();
}

export class ScalingPanelController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly model: PanelModel;
  private ready = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readyWaiters: (() => void)[] = [];
  private readonly images = new PendingReplies<string>(IMAGE_TIMEOUT_MS);

  private readonly togglePoint = new vscode.EventEmitter<TogglePointRequest>();
  private readonly refit = new vscode.EventEmitter<void>();
  private readonly exportRequest = new vscode.EventEmitter<ExportRequest>();
  private readonly optionsChanged = new vscode.EventEmitter<ViewOptions>();
  private readonly visibility = new vscode.EventEmitter<boolean>();
  private readonly planRequest = new vscode.EventEmitter<number | undefined>();
  /** The user clicked a point: the extension excludes or includes it and refits. */
  readonly onDidTogglePoint = this.togglePoint.event;
  readonly onDidRequestRefit = this.refit.event;
  /** "Plan next runs": the target compute the user typed, or undefined for the default. */
  readonly onDidRequestPlan = this.planRequest.event;
  /**
   * Export buttons. The extension owns file dialogs and writing: plots via `renderImage`, the points via
   * `pointsCsv` (src/core/view/exports), the fit via the artifact writer.
   */
  readonly onDidRequestExport = this.exportRequest.event;
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
    return this.panel !== undefined;
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
      this.webviewOptions(),
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
   * A hidden panel has no live webview (no retainContextWhenHidden), so it is revealed first.
   */
  async renderImage(chart: ChartId, format: ImageFormat): Promise<string> {
    const slot = this.model.current()?.charts[chart];
    if (!slot || !slot.available)
      throw new Error(`the ${chart} plot cannot be exported: ${slot ? slot.reason : 'no data yet'}`);
    if (!this.panel) this.show();
    if (!this.panel?.visible) this.panel?.reveal(undefined, true);
    await this.whenReady();
    const { id, reply } = this.images.open(`rendering the ${chart} plot as ${format.toUpperCase()}`);
    this.post({ type: 'renderImage', requestId: id, chart, format });
    return reply;
  }

  /** Copies a plot's spec or the law's LaTeX to the clipboard; returns what was copied, or undefined if nothing. */
  async copy(kind: CopyKind, chart: ChartId = 'scaling'): Promise<string | undefined> {
    let text: string | undefined;
    if (kind === 'latex') {
      const fit = this.model.currentInput()?.fit;
      text = fit ? lawLatex(fit) : undefined;
    } else if (kind === 'plan-config') {
      text = this.model.current()?.plan?.snippet;
    } else {
      const spec = this.vegaLiteSpec(chart);
      text = spec ? JSON.stringify(spec, null, 2) : undefined;
    }
    if (text === undefined) {
      void vscode.window.showWarningMessage(
        kind === 'latex'
          ? 'Scaling Lens: no fit to copy yet.'
          : kind === 'plan-config'
            ? 'Scaling Lens: no plan to copy yet.'
            : `Scaling Lens: the ${chart} plot has nothing to copy yet.`,
      );
      return undefined;
    }
    await vscode.env.clipboard.writeText(text);
    this.deps.log.info(
      kind === 'latex'
        ? 'copied the law and its fitted values as LaTeX'
        : kind === 'plan-config'
          ? 'copied the planned runs as a config snippet'
          : `copied the ${chart} plot's Vega-Lite spec (${text.length} characters)`,
    );
    return text;
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.panel?.dispose();
    this.detach();
    for (const e of [
      this.togglePoint,
      this.refit,
      this.exportRequest,
      this.optionsChanged,
      this.visibility,
      this.planRequest,
    ])
      e.dispose();
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const root = this.deps.extensionUri;
    return {
      enableScripts: true,
      // The bundle and the stylesheet only: the webview can load nothing else from disk.
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.detach();
    this.panel = panel;
    this.ready = false;
    const root = this.deps.extensionUri;
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(root, 'media', 'scaling-lens.svg');
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webview', 'main.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'panel.css')).toString(),
      nonce: makeNonce(),
    });
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        this.receive(m);
      }),
      // Hidden without retainContextWhenHidden, the iframe is destroyed; it posts `ready` again when shown.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.ready = false;
        if (!e.webviewPanel.visible) this.model.webviewReset();
      }),
      panel.onDidDispose(() => {
        this.detach();
        this.visibility.fire(false);
      }),
    );
    this.rebuild();
    this.visibility.fire(true);
  }

  private detach(): void {
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
    this.panel = undefined;
    this.ready = false;
    this.model.webviewReset();
    this.images.rejectAll('the Scaling panel was closed');
  }

  private whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Brings the webview up to date if it is listening. While its page loads, the state is built ahead, so the
   * answer to its `ready` is only a postMessage away.
   */
  private rebuild(): void {
    if (!this.panel) return;
    if (!this.ready) {
      this.model.current();
      return;
    }
    const message = this.model.messageForWebview();
    if (message) this.post(message);
  }

  private post(message: HostMessage): void {
    if (!this.panel || !this.ready) return;
    void this.panel.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) {
          this.ready = false;
          this.model.webviewReset();
        }
      },
      (e: unknown) => {
        this.deps.log.warn(`panel: a message could not be delivered: ${String(e)}`);
      },
    );
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`panel: ignored an invalid message from the webview: ${parsed.error}`);
      return;
    }
    const m = parsed.value;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        // A new (or resynchronising) page holds nothing: it gets the whole state.
        this.model.webviewReset();
        this.rebuild();
        for (const w of this.readyWaiters.splice(0)) w();
        break;
      case 'togglePoint':
        this.togglePoint.fire(
          m.step === undefined
            ? { runId: m.runId, excluded: m.excluded }
            : { runId: m.runId, step: m.step, excluded: m.excluded },
        );
        break;
      case 'refit':
        this.refit.fire();
        break;
      case 'export':
        this.exportRequest.fire(m.chart ? { kind: m.kind, chart: m.chart } : { kind: m.kind });
        break;
      case 'copy':
        void this.copy(m.kind, m.chart);
        break;
      case 'plan':
        this.planRequest.fire(m.targetC);
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
