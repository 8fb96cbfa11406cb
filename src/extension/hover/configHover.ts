import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  ConfigAnalysisCache,
  codeLensFor,
  hoverAt,
  optimalityCheck,
  type ConfigAnalysis,
  type EditorRange,
  type FitContext,
  type PanelPoint,
} from '../../core/hover/index';
import type { Config } from '../config';
import { COMMAND } from '../ids';
import type { FitSource } from './fitSource';

const NO_FIT =
  'No scaling fit yet: run **Scaling Lens: Fit Scaling Law…**, or point `scalingLens.fitArtifact` at a fit JSON.';

const toRange = (r: EditorRange) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** Base configs are read from disk; a file that cannot be read is simply not followed. */
const readFile = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** The link in a hover or CodeLens: opens the panel with this config's point marked. */
export function panelLink(point: PanelPoint): string {
  return `command:${COMMAND.openPanel}?${encodeURIComponent(JSON.stringify([{ mark: point }]))}`;
}

/**
 * Hover, CodeLens and the optional "far from compute-optimal" hint on training configs. The pure core does the
 * work from a per-version cached analysis; documents are analysed shortly after each edit so a hover only looks up.
 */
export class ConfigHover implements vscode.HoverProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly cache = new ConfigAnalysisCache(64);
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('scalingLens');
  private readonly disposables: { dispose(): void }[] = [this.lensChanged, this.diagnostics];
  private readonly warmTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private registrations: vscode.Disposable | undefined;

  constructor(
    private readonly config: Config,
    private readonly fits: FitSource,
    /** The Plan view's target compute, when it has one: the "training this would narrow…" line uses the same. */
    private readonly planTargetC: () => number | undefined = () => undefined,
  ) {
    this.registerProviders();
    this.disposables.push(
      fits.onDidChange(() => {
        this.lensChanged.fire();
        this.refreshDiagnostics();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        this.warm(e.document);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        this.warm(d);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cache.invalidate(d.fileName);
        this.diagnostics.delete(d.uri);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.cache.invalidateDependents(d.fileName)) this.lensChanged.fire();
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.warm(d);
  }

  /** Settings changed (Config decides when): analyses, lenses and hints are recomputed. */
  refresh(): void {
    this.cache.invalidate();
    this.lensChanged.fire();
    this.refreshDiagnostics();
  }

  /** (Re)registers the providers for the configured document selector (again when `hover.languages` changes). */
  registerProviders(): void {
    this.registrations?.dispose();
    const selector = this.config.hoverLanguages().map((language) => ({ language, scheme: 'file' }));
    this.registrations = vscode.Disposable.from(
      vscode.languages.registerHoverProvider(selector, this),
      vscode.languages.registerCodeLensProvider(selector, this),
    );
  }

  private analysis(document: vscode.TextDocument): ConfigAnalysis | undefined {
    if (!this.config.hoverLanguages().includes(document.languageId)) return undefined;
    return this.cache.get(
      {
        text: document.getText(),
        fileName: document.fileName,
        languageId: document.languageId,
        version: document.version,
      },
      {
        settings: {
          aliases: this.config.aliases(document.uri),
          countEmbeddings: this.config.countEmbeddings(document.uri),
        },
        readFile,
      },
    );
  }

  /** Analyses a document shortly after it changes, so the first hover does not pay for parsing. */
  private warm(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || !this.config.hoverLanguages().includes(document.languageId)) return;
    const key = document.uri.toString();
    clearTimeout(this.warmTimers.get(key));
    this.warmTimers.set(
      key,
      setTimeout(() => {
        this.warmTimers.delete(key);
        if (!document.isClosed) {
          this.analysis(document);
          this.refreshDiagnostic(document);
        }
      }, 250),
    );
  }

  private context(document: vscode.TextDocument): FitContext {
    const chosen = this.fits.fitFor(document.uri);
    return {
      fit: chosen?.fit,
      fitLabel: chosen?.label,
      panelLink,
      noFitMessage: NO_FIT,
      planTargetC: this.planTargetC(),
    };
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const analysis = this.analysis(document);
    if (!analysis) return undefined;
    const result = hoverAt(analysis, { line: position.line, character: position.character }, this.context(document));
    if (!result) return undefined;
    const md = new vscode.MarkdownString(result.markdown);
    md.isTrusted = { enabledCommands: [COMMAND.openPanel] };
    return new vscode.Hover(md, toRange(result.range));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.config.codeLensEnabled(document.uri)) return [];
    const analysis = this.analysis(document);
    if (!analysis) return [];
    const lens = codeLensFor(analysis, this.context(document));
    if (!lens) return [];
    return [
      new vscode.CodeLens(toRange(lens.range), {
        title: lens.title,
        command: COMMAND.openPanel,
        arguments: [{ mark: lens.point }],
        tooltip: 'Open the Scaling panel with this config marked',
      }),
    ];
  }

  private refreshDiagnostics(): void {
    for (const d of vscode.workspace.textDocuments) this.refreshDiagnostic(d);
  }

  /** The optional Information diagnostic when a config is far from compute-optimal (off unless a threshold is set). */
  private refreshDiagnostic(document: vscode.TextDocument): void {
    const threshold = this.config.optimalityThreshold(document.uri);
    const analysis = threshold > 1 ? this.analysis(document) : undefined;
    const hint = analysis ? optimalityCheck(analysis, this.context(document), threshold) : undefined;
    if (!hint) {
      this.diagnostics.delete(document.uri);
      return;
    }
    const diagnostic = new vscode.Diagnostic(toRange(hint.range), hint.message, vscode.DiagnosticSeverity.Information);
    diagnostic.source = 'Scaling Lens';
    this.diagnostics.set(document.uri, [diagnostic]);
  }

  dispose(): void {
    for (const t of this.warmTimers.values()) clearTimeout(t);
    this.registrations?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
