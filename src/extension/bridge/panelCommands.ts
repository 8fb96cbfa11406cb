import * as vscode from 'vscode';
import { CHART_IDS, type ChartId, type ImageFormat } from '../../contract/panel';
import { errorMessage } from '../../core/errors';
import type { PanelPoint } from '../../core/hover/index';
import { FitCommands } from '../fit/fitCommands';
import { COMMAND } from '../ids';
import type { ExportRequest } from '../panel/register';
import type { PanelBridge } from './panelBridge';

const isChartId = (v: unknown): v is ChartId => typeof v === 'string' && (CHART_IDS as readonly string[]).includes(v);

function isPanelPoint(v: unknown): v is PanelPoint {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return (
    typeof p.file === 'string' &&
    ['N', 'D', 'C', 'loss'].every((k) => p[k] === undefined || (typeof p[k] === 'number' && Number.isFinite(p[k])))
  );
}

/** `{ format?, chart?, target? }` from a command argument; anything malformed is ignored. */
function plotArgument(arg: unknown): { format?: ImageFormat; chart: ChartId; target?: vscode.Uri } {
  const a = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>) : {};
  return {
    format: a.format === 'svg' || a.format === 'png' ? a.format : undefined,
    chart: isChartId(a.chart) ? a.chart : 'scaling',
    target: a.target instanceof vscode.Uri ? a.target : undefined,
  };
}

const workspaceFile = (name: string): vscode.Uri | undefined => {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  return base ? vscode.Uri.joinPath(base, name) : undefined;
};

/**
 * The panel's commands and the panel's own requests. Arguments come from command links in hovers (a markdown link
 * anyone can write), CodeLens, the palette and tests: each is validated, never trusted. Requests from the panel's
 * buttons call the same methods directly (no round trip through the command registry).
 */
export class PanelCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly bridge: PanelBridge,
    private readonly fitCommands: FitCommands,
    private readonly hasFit: () => boolean,
  ) {
    this.disposables = [
      vscode.commands.registerCommand(COMMAND.openPanel, (arg?: unknown) => {
        this.open(arg);
      }),
      vscode.commands.registerCommand(COMMAND.exportPlot, (arg?: unknown) => this.exportPlot(plotArgument(arg))),
      vscode.commands.registerCommand(COMMAND.exportData, (arg?: unknown) =>
        this.exportData(arg instanceof vscode.Uri ? arg : undefined),
      ),
      vscode.commands.registerCommand(COMMAND.copySpec, (arg?: unknown) =>
        this.bridge.panel.copy('vega-lite', isChartId(arg) ? arg : 'scaling'),
      ),
      vscode.commands.registerCommand(COMMAND.copyLatex, () => this.copyLatex()),
      bridge.panel.onDidRequestRefit(() => void fitCommands.refit()),
      bridge.panel.onDidRequestExport((r) => void this.onExportRequest(r)),
    ];
  }

  private open(arg: unknown): void {
    const mark = typeof arg === 'object' && arg !== null ? (arg as { mark?: unknown }).mark : undefined;
    this.bridge.open(isPanelPoint(mark) ? mark : undefined);
  }

  private async onExportRequest(r: ExportRequest): Promise<void> {
    const chart = r.chart ?? 'scaling';
    if (r.kind === 'fit-json') await this.fitCommands.exportFit();
    else if (r.kind === 'data-csv') await this.exportData();
    else await this.exportPlot({ format: r.kind === 'plot-png' ? 'png' : 'svg', chart });
  }

  /** The law with its fitted values, the same text the panel's Copy LaTeX button copies. */
  private async copyLatex(): Promise<string | undefined> {
    if (!this.hasFit()) {
      FitCommands.noFit();
      return undefined;
    }
    return this.bridge.panel.copy('latex');
  }

  /** Writes a plot as SVG or PNG; without a target, asks where. Returns the path written, if any. */
  async exportPlot(a: { format?: ImageFormat; chart: ChartId; target?: vscode.Uri }): Promise<string | undefined> {
    let format = a.format;
    const target =
      a.target ??
      (await vscode.window.showSaveDialog({
        title: 'Export Plot',
        filters: format ? { [format.toUpperCase()]: [format] } : { SVG: ['svg'], PNG: ['png'] },
        defaultUri: workspaceFile(`scaling-${a.chart}.${format ?? 'svg'}`),
      }));
    if (!target) return undefined;
    format ??= target.fsPath.toLowerCase().endsWith('.png') ? 'png' : 'svg';
    try {
      await this.bridge.exportPlot(target, format, a.chart);
      return target.fsPath;
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Scaling Lens: cannot export the plot to ${target.fsPath}: ${errorMessage(e)}`,
      );
      return undefined;
    }
  }

  /** Writes the plotted points as CSV; without a target, asks where. Returns the path written, if any. */
  async exportData(target?: vscode.Uri): Promise<string | undefined> {
    const chosen =
      target ??
      (await vscode.window.showSaveDialog({
        title: 'Export Data',
        filters: { CSV: ['csv'] },
        defaultUri: workspaceFile('scaling-points.csv'),
      }));
    if (!chosen) return undefined;
    try {
      this.bridge.exportData(chosen);
      return chosen.fsPath;
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Scaling Lens: cannot export the data to ${chosen.fsPath}: ${errorMessage(e)}`,
      );
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
