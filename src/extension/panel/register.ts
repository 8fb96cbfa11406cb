/**
 * Wiring for activate(): one controller for the window's Scaling panel, and the serializer that brings the panel
 * back after a window reload (VS Code keeps only the webview's own UI state; the host rebuilds the rest).
 * package.json needs `"onWebviewPanel:scalingLens.panel"` in activationEvents for the restore to activate us.
 */
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE, ScalingPanelController, type ScalingPanelDeps } from './controller';

export function registerScalingPanel(
  context: vscode.ExtensionContext,
  deps: Omit<ScalingPanelDeps, 'extensionUri' | 'memento'> & Partial<Pick<ScalingPanelDeps, 'memento'>>,
): ScalingPanelController {
  const controller = new ScalingPanelController({
    extensionUri: context.extensionUri,
    memento: deps.memento ?? context.workspaceState,
    ...deps,
  });
  context.subscriptions.push(
    controller,
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        controller.restore(panel);
        return Promise.resolve();
      },
    }),
  );
  return controller;
}

export { PANEL_VIEW_TYPE, ScalingPanelController };
export type { PanelLog, ScalingPanelDeps } from './controller';
export type { ExportRequest, TogglePointRequest } from './requests';
