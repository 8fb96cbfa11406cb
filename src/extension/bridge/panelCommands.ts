import * as vscode from 'vscode';
import type { ChartId } from '../../contract/panel';
import type { PanelPoint } from '../../core/hover/index';
import type { PanelBridge } from './panelBridge';

const CHARTS: ChartId[] = ['scaling', 'curves', 'isoflop', 'residuals'];

function isPanelPoint(v: unknown): v is PanelPoint {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return (
    typeof p.file === 'string' &&
    ['N', 'D', 'C', 'loss'].every((k) => p[k] === undefined || (typeof p[k] === 'number' && Number.isFinite(p[k])))
  );
}

/**
 * The panel's commands. Arguments come from command links in hovers (a markdown link anyone can write), CodeLens,
 * the panel and tests: each is validated, never trusted.
 */
export function registerPanelCommands(bridge: PanelBridge): vscode.Disposable {
  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('scalingLens.openPanel', (arg?: unknown) => {
      const mark =
        typeof arg === 'object' && arg !== null && isPanelPoint((arg as { mark?: unknown }).mark)
          ? (arg as { mark: PanelPoint }).mark
          : undefined;
      bridge.open(mark);
    }),
    vscode.commands.registerCommand('scalingLens.exportPlot', async (arg?: unknown): Promise<string | undefined> => {
      const a = (typeof arg === 'object' && arg !== null ? arg : {}) as {
        format?: unknown;
        chart?: unknown;
        target?: unknown;
      };
      const chart: ChartId = CHARTS.includes(a.chart as ChartId) ? (a.chart as ChartId) : 'scaling';
      let format: 'svg' | 'png' | undefined = a.format === 'svg' || a.format === 'png' ? a.format : undefined;
      let target = a.target instanceof vscode.Uri ? a.target : undefined;
      if (!target) {
        const base = folder();
        target = await vscode.window.showSaveDialog({
          title: 'Export Plot',
          filters: format ? { [format.toUpperCase()]: [format] } : { SVG: ['svg'], PNG: ['png'] },
          defaultUri: base ? vscode.Uri.joinPath(base, `scaling-${chart}.${format ?? 'svg'}`) : undefined,
        });
        if (!target) return undefined;
      }
      format ??= target.fsPath.toLowerCase().endsWith('.png') ? 'png' : 'svg';
      try {
        await bridge.exportPlot(target, format, chart);
        return target.fsPath;
      } catch (e) {
        void vscode.window.showErrorMessage(
          `Scaling Lens: cannot export the plot: ${e instanceof Error ? e.message : String(e)}`,
        );
        return undefined;
      }
    }),
    vscode.commands.registerCommand('scalingLens.exportData', async (arg?: unknown): Promise<string | undefined> => {
      const base = folder();
      const target =
        arg instanceof vscode.Uri
          ? arg
          : await vscode.window.showSaveDialog({
              title: 'Export Data',
              filters: { CSV: ['csv'] },
              defaultUri: base ? vscode.Uri.joinPath(base, 'scaling-points.csv') : undefined,
            });
      if (!target) return undefined;
      try {
        bridge.exportData(target);
        return target.fsPath;
      } catch (e) {
        void vscode.window.showErrorMessage(
          `Scaling Lens: cannot export the data: ${e instanceof Error ? e.message : String(e)}`,
        );
        return undefined;
      }
    }),
    vscode.commands.registerCommand('scalingLens.copySpec', async (arg?: unknown): Promise<string | undefined> => {
      const chart: ChartId = CHARTS.includes(arg as ChartId) ? (arg as ChartId) : 'scaling';
      const copied = await bridge.panel.copy('vega-lite', chart);
      if (!copied) void vscode.window.showWarningMessage('Scaling Lens: nothing to copy yet: fit a law first.');
      return copied;
    }),
  );
}
