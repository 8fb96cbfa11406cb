/**
 * What the panel's webview asks the extension to do that the panel cannot do itself: exclude or include a point,
 * refit, export, plan. Each is an event the extension subscribes to (the panel never fits, writes files or plans);
 * `route` turns a validated webview message into its event.
 */
import * as vscode from 'vscode';
import type { ChartId, ExportKind, PlanChoice, WebviewMessage } from '../../contract/panel';

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

export class PanelRequests implements vscode.Disposable {
  private readonly togglePoint = new vscode.EventEmitter<TogglePointRequest>();
  private readonly refit = new vscode.EventEmitter<void>();
  private readonly exportRequest = new vscode.EventEmitter<ExportRequest>();
  private readonly planRequest = new vscode.EventEmitter<PlanChoice>();
  /** The user clicked a point: the extension excludes or includes it and refits. */
  readonly onDidTogglePoint = this.togglePoint.event;
  readonly onDidRequestRefit = this.refit.event;
  /** "Plan next runs" with the Plan tab's choices (target, budget, objective, max runs; absent = default). */
  readonly onDidRequestPlan = this.planRequest.event;
  /**
   * Export buttons. The extension owns file dialogs and writing: plots via the controller's `renderImage`, the
   * points via `pointsCsv` (src/core/view/exports), the fit via the artifact writer.
   */
  readonly onDidRequestExport = this.exportRequest.event;

  /** Fires the message's event; false when the message is not one of these requests. */
  route(m: WebviewMessage): boolean {
    switch (m.type) {
      case 'togglePoint':
        this.togglePoint.fire(
          m.step === undefined
            ? { runId: m.runId, excluded: m.excluded }
            : { runId: m.runId, step: m.step, excluded: m.excluded },
        );
        return true;
      case 'refit':
        this.refit.fire();
        return true;
      case 'export':
        this.exportRequest.fire(m.chart ? { kind: m.kind, chart: m.chart } : { kind: m.kind });
        return true;
      case 'plan': {
        const { type: _type, ...choice } = m;
        this.planRequest.fire(choice);
        return true;
      }
      default:
        return false;
    }
  }

  dispose(): void {
    for (const e of [this.togglePoint, this.refit, this.exportRequest, this.planRequest]) e.dispose();
  }
}
