/**
 * The link to one Scaling panel: its page (HTML with the strict CSP, resource roots), the `ready` handshake and
 * posting. A page holds nothing until it says `ready` (a new panel, or one shown again: without
 * retainContextWhenHidden a hidden panel's iframe is destroyed), so messages go out only while it listens, and
 * whoever waits for it learns when the panel closes first instead of waiting forever.
 */
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostMessage, type PanelState, type WebviewMessage } from '../../contract/panel';
import { makeNonce, panelHtml } from './html';

export interface ConnectionEvents {
  /** A valid message from the page (`ready` included, after the connection has marked itself ready). */
  message(m: WebviewMessage): void;
  /**
   * The page is new or gone: it holds none of the state sent before; only `held`, when it says it shows the state
   * its HTML carried.
   */
  reset(held?: PanelState): void;
  /** The panel was closed. */
  closed(): void;
  warn(message: string): void;
}

export function webviewOptions(root: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // The bundle and the stylesheet only: the webview can load nothing else from disk.
    localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')],
  };
}

export class PanelConnection implements vscode.Disposable {
  private ready = false;
  private waiters: { resolve(): void; reject(e: Error): void }[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private closed = false;

  /**
   * `initial`: a state for the page's HTML to carry (see PanelHtmlParts.initialState). Every load of this page, a
   * reload after the panel was hidden included, draws it first, so the page's `ready` may say it holds it.
   */
  constructor(
    readonly panel: vscode.WebviewPanel,
    root: vscode.Uri,
    private readonly events: ConnectionEvents,
    private readonly initial?: PanelState,
  ) {
    panel.webview.options = webviewOptions(root);
    panel.iconPath = vscode.Uri.joinPath(root, 'media', 'scaling-lens.svg');
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webview', 'main.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'panel.css')).toString(),
      nonce: makeNonce(),
      initialState: initial,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        this.receive(m);
      }),
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.lose();
      }),
      panel.onDidDispose(() => {
        this.close();
      }),
    );
  }

  /** Whether the page is listening (it said `ready` and has not been hidden or closed since). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Resolves once the page is listening; rejects if the panel closes first. */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('the Scaling panel was closed'));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Posts to the page if it is listening; a message the page did not take resets it (it asks again on `ready`). */
  post(message: HostMessage): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.lose();
      },
      (e: unknown) => {
        this.events.warn(`panel: a message could not be delivered: ${String(e)}`);
      },
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.closed = true;
    this.ready = false;
    for (const w of this.waiters.splice(0)) w.reject(new Error('the Scaling panel was closed before its page loaded'));
  }

  private lose(): void {
    this.ready = false;
    this.events.reset();
  }

  private close(): void {
    this.dispose();
    this.events.reset();
    this.events.closed();
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.events.warn(`panel: ignored an invalid message from the webview: ${parsed.error}`);
      return;
    }
    if (parsed.value.type === 'ready') {
      this.ready = true;
      // A new (or resynchronising) page holds nothing but the state its HTML carried, if it says it drew that.
      const holds = parsed.value.holds;
      this.events.reset(holds !== undefined && holds === this.initial?.builtAt ? this.initial : undefined);
    }
    this.events.message(parsed.value);
    if (parsed.value.type === 'ready') for (const w of this.waiters.splice(0)) w.resolve();
  }
}
