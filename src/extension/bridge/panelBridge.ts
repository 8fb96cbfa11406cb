import * as vscode from 'vscode';
import type { ChartId } from '../../contract/panel';
import { datasetFromRuns } from '../../core/fit/dataset';
import { predict } from '../../core/fit/predict';
import type { FitPoint, Prediction } from '../../contract/fit';
import type { PanelPoint } from '../../core/hover/index';
import { writeFileAtomic } from '../../core/util/atomicWrite';
import { pointsCsv } from '../../core/view/exports';
import { curveInputsFromRuns } from '../../core/view/runCurves';
import type { PanelInput } from '../../core/view/types';
import type { FitService } from '../fit/fitService';
import type { FitClient } from '../../worker/fitClient';
import { PanelPlanner } from '../panel/planRequest';
import type { Log } from '../log';
import { registerScalingPanel, type ScalingPanelController, type TogglePointRequest } from '../panel/register';
import type { WorkspaceRuns } from '../runs/workspaceRuns';

/**
 * Connects the Scaling panel to the rest of the extension: it feeds the panel the active fit, the runs' learning
 * curves, the excluded points and the user's predictions, and turns the panel's requests (toggle a point, refit,
 * export) into actions. The panel never reads files or fits; it only draws what this bridge gives it.
 */
export class PanelBridge implements vscode.Disposable {
  readonly panel: ScalingPanelController;
  private predictions: Prediction[] = [];
  private readonly planner: PanelPlanner;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    private readonly fits: FitService,
    private readonly runs: WorkspaceRuns,
    private readonly log: Log,
    worker: Pick<FitClient, 'plan'>,
  ) {
    this.planner = new PanelPlanner(
      worker,
      {
        fit: () => (fits.active ? { result: fits.active.result, dataset: fits.active.dataset } : undefined),
        runs: () => this.runs.runs().map((r) => r.run),
      },
      () => {
        this.panel.invalidate();
      },
      (m) => {
        log.info(m);
      },
    );
    this.panel = registerScalingPanel(context, { log, provideInput: () => this.input() });
    // The panel asks for its input (provideInput) only when it draws: a closed panel costs nothing on a log append.
    const update = () => {
      this.panel.invalidate();
    };
    this.disposables.push(
      fits.onDidChangeFit(() => {
        // Predictions were made with the previous fit: recompute them with the new one.
        const active = fits.active;
        this.predictions = active ? this.predictions.flatMap((p) => this.safePredict(p.at) ?? []) : [];
        update();
      }),
      runs.onDidChange(update),
      fits.onDidChangeBusy((b) => {
        if (b.running)
          this.panel.setStatus({
            kind: 'fitting',
            message: `${b.message ?? 'fitting'}${b.fraction !== undefined ? ` ${Math.round(b.fraction * 100)}%` : ''}`,
          });
        else update();
      }),
      this.panel.onDidTogglePoint((t) => void this.togglePoint(t)),
      this.panel.onDidRequestPlan((choice) => {
        this.planner.request(choice);
      }),
      new vscode.Disposable(() => {
        this.planner.dispose();
      }),
    );
  }

  /**
   * A click on a point excludes that point from the fit, or includes it again. A hollow point of a run excluded in
   * the runs view is included by including its run: the click asks for that point back, and it has no other way.
   */
  private async togglePoint(t: TogglePointRequest): Promise<void> {
    const include = t.excluded;
    const what = `${t.runId}${t.step === undefined ? '' : ` at step ${String(t.step)}`}`;
    await this.fits.setPointExcluded(t.runId, t.step, !include);
    if (include && this.fits.excludedRuns().has(t.runId)) await this.fits.setExcluded(t.runId, false);
    this.log.info(`${include ? 'included' : 'excluded'} the point of ${what} ${include ? 'in' : 'from'} the fit`);
    const spec = this.fits.spec();
    if (spec) await this.fits.fit(spec, { interactive: false });
    else this.panel.invalidate();
  }

  private safePredict(at: Record<string, number>): Prediction | undefined {
    const fit = this.fits.active?.result;
    if (!fit) return undefined;
    try {
      return predict(fit, at);
    } catch {
      return undefined;
    }
  }

  /** Adds a prediction to the scaling plot (Predict…, or a hover's "show in panel" link). */
  addPrediction(p: Prediction): void {
    this.predictions = [...this.predictions.filter((q) => JSON.stringify(q.at) !== JSON.stringify(p.at)), p].slice(-20);
    this.panel.invalidate();
  }

  /** Opens the panel; with a config point from a hover or CodeLens, marks that point's prediction. */
  open(mark?: PanelPoint): void {
    if (mark && this.fits.active) {
      const vars = this.fits.active.result.variables ?? this.fits.active.dataset.xNames;
      const at: Record<string, number> = {};
      for (const v of vars) {
        const value = mark[v as keyof PanelPoint];
        if (typeof value === 'number') at[v] = value;
      }
      const p = Object.keys(at).length === vars.length ? this.safePredict(at) : undefined;
      if (p) this.addPrediction(p);
    }
    this.panel.show();
  }

  /** An interactive fit started: the panel opens beside the editor (keeping its focus) to show the result. */
  /** The Plan view's target compute (FLOPs), if it has one: the hover plans for the same target. */
  planTargetC(): number | undefined {
    return this.planner.targetC();
  }

  openForFit(): void {
    this.panel.showBeside();
  }

  input(): PanelInput {
    const active = this.fits.active;
    const runs = this.runs.runs().map((r) => r.run);
    const excludedIds = this.fits.excludedRuns();
    let excluded: FitPoint[] = active?.excludedPoints ?? [];
    if (active && excludedIds.size) {
      try {
        excluded = [
          ...excluded,
          ...datasetFromRuns(
            runs.filter((r) => excludedIds.has(r.id)),
            active.spec.selection,
          ).dataset.points,
        ];
      } catch {
        // the excluded runs lack a variable: nothing more to draw hollow
      }
    }
    return {
      fit: active?.result,
      dataset: active?.dataset,
      excluded,
      predictions: this.predictions,
      curves: curveInputsFromRuns(runs),
      plan: this.planner.input(),
      status: active
        ? {
            kind: 'ready',
            message: `${active.result.law} on ${active.result.nPoints} points from ${active.result.nRuns} runs · ${active.created.toLocaleTimeString()}`,
          }
        : {
            kind: 'empty',
            message: runs.length
              ? 'No fit yet: run “Fit Scaling Law…” or press Refit.'
              : 'No runs found in this workspace yet.',
          },
    };
  }

  /** Writes the plotted points as CSV (the data of the active fit plus excluded points, flagged). */
  exportData(target: vscode.Uri): void {
    const active = this.fits.active;
    if (!active) throw new Error('no fit yet');
    writeFileAtomic(target.fsPath, pointsCsv(active.dataset, this.input().excluded));
  }

  async exportPlot(target: vscode.Uri, format: 'svg' | 'png', chart: ChartId): Promise<void> {
    const data = await this.panel.renderImage(chart, format);
    writeFileAtomic(
      target.fsPath,
      format === 'svg' ? data : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64'),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
