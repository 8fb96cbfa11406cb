import * as vscode from 'vscode';
import { datasetFromRuns } from '../../core/fit/dataset';
import type { FitDataset, FitPoint, FitResult, FitSpec } from '../../contract/fit';
import { errorMessage } from '../../core/errors';
import type { Run } from '../../core/model/run';
import { FitJobError, type FitClient } from '../../worker/fitClient';
import type { Config } from '../config';
import { setContext } from '../context';
import { CONTEXT } from '../ids';
import type { Log } from '../log';
import type { WorkspaceRuns } from '../runs/workspaceRuns';
import { storedSpec, storedStrings } from './fitSpecInput';

export type { FitSpec } from '../../contract/fit';

export interface ActiveFit {
  /** What was asked; kept in workspace state so Refit and live refits repeat it. */
  spec: FitSpec;
  result: FitResult;
  /** The points fitted (without the ones the user excluded). */
  dataset: FitDataset;
  /** Points the user excluded one by one in the panel (runs excluded as a whole are not in the dataset at all). */
  excludedPoints: FitPoint[];
  /** Dataset warnings (skipped runs, dropped points) followed by the engine's. */
  warnings: string[];
  created: Date;
}

export type FitOutcome = { ok: true; fit: ActiveFit } | { ok: false; reason: string; message: string };

const SPEC_KEY = 'scalingLens.fitSpec';
const EXCLUDED_KEY = 'scalingLens.excludedRuns';
const EXCLUDED_POINTS_KEY = 'scalingLens.excludedPoints';

/** A point's identity across refits: its run and step (a run's final point may have no step). */
export function pointKey(runId: string, step: number | undefined): string {
  return `${runId}@${step === undefined ? 'final' : String(step)}`;
}

/**
 * Owns the fit worker and the workspace's active fit. Fits always run in the worker; a newer request supersedes an
 * older one; when the runs change (a log grew) the active fit is repeated once per coalesced change.
 */
export class FitService implements vscode.Disposable {
  private current: ActiveFit | undefined;
  private readonly changed = new vscode.EventEmitter<ActiveFit | undefined>();
  readonly onDidChangeFit = this.changed.event;
  private readonly busy = new vscode.EventEmitter<{ running: boolean; fraction?: number; message?: string }>();
  readonly onDidChangeBusy = this.busy.event;
  private readonly exclusions = new vscode.EventEmitter<void>();
  /** A run was excluded from fits or included again (from the runs view or the panel). */
  readonly onDidChangeExcludedRuns = this.exclusions.event;
  private readonly disposables: { dispose(): void }[] = [this.changed, this.busy, this.exclusions];
  private running = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runs: WorkspaceRuns,
    private readonly log: Log,
    private readonly config: Config,
    /** The worker's client (activate makes it); disposed with the service. */
    private readonly client: FitClient,
  ) {
    this.disposables.push(
      // Live: a grown log refits the active fit once per coalesced change (the runs queue already debounces).
      runs.onDidChange(() => {
        const spec = this.spec();
        if (spec && this.current && config.autoRefit()) void this.fit(spec, { interactive: false });
      }),
      this.onDidChangeFit((f) => void setContext(CONTEXT.hasFit, f !== undefined)),
      this.onDidChangeBusy((b) => void setContext(CONTEXT.fitRunning, b.running)),
    );
  }

  get active(): ActiveFit | undefined {
    return this.current;
  }

  /** The last fit asked for, read back from workspace state and checked like any other untrusted input. */
  spec(): FitSpec | undefined {
    const budget = { bootstrap: this.config.fitBootstrap(), holdout: this.config.fitHoldout() };
    return storedSpec(this.context.workspaceState.get<unknown>(SPEC_KEY), budget);
  }

  excludedRuns(): Set<string> {
    return new Set(storedStrings(this.context.workspaceState.get<unknown>(EXCLUDED_KEY)));
  }

  /** Keys (`pointKey`) of the single points the user excluded in the panel. */
  excludedPointKeys(): Set<string> {
    return new Set(storedStrings(this.context.workspaceState.get<unknown>(EXCLUDED_POINTS_KEY)));
  }

  /** Excludes one point from fits, or includes it again; the caller refits. */
  async setPointExcluded(runId: string, step: number | undefined, excluded: boolean): Promise<void> {
    const set = this.excludedPointKeys();
    const key = pointKey(runId, step);
    if (excluded) set.add(key);
    else set.delete(key);
    await this.context.workspaceState.update(EXCLUDED_POINTS_KEY, [...set]);
  }

  async setExcluded(runId: string, excluded: boolean): Promise<void> {
    const set = this.excludedRuns();
    if (excluded) set.add(runId);
    else set.delete(runId);
    await this.context.workspaceState.update(EXCLUDED_KEY, [...set]);
    this.exclusions.fire();
  }

  /** The runs a fit uses: every run of the workspace minus the ones the user excluded. */
  includedRuns(): Run[] {
    const excluded = this.excludedRuns();
    return this.runs
      .runs()
      .map((r) => r.run)
      .filter((r) => !excluded.has(r.id));
  }

  /**
   * Fits in the worker. Interactive fits show a notification with progress and Cancel and report errors in a
   * message; live refits only update the status bar and the log.
   */
  async fit(spec: FitSpec, opts: { interactive: boolean }): Promise<FitOutcome> {
    // Not awaited: the memento holds the new spec at once (spec() reads it back), while its write reaches the window
    // a round trip later (0.1-0.5 s in code-server), which held back the worker's start by as much.
    this.context.workspaceState.update(SPEC_KEY, spec).then(undefined, (e: unknown) => {
      this.log.error(`could not store the fit's settings (Refit will not repeat this fit): ${errorMessage(e)}`);
    });
    let build;
    try {
      build = datasetFromRuns(this.includedRuns(), spec.selection);
    } catch (e) {
      return this.report({ ok: false, reason: 'data', message: errorMessage(e) }, opts.interactive);
    }
    const { warnings } = build;
    const pointsOut = this.excludedPointKeys();
    const isOut = (p: FitPoint) => pointsOut.has(pointKey(p.runId, p.step));
    const excludedPoints = build.dataset.points.filter(isOut);
    const dataset = excludedPoints.length
      ? { ...build.dataset, points: build.dataset.points.filter((p) => !isOut(p)) }
      : build.dataset;
    if (dataset.points.length === 0) {
      return this.report(
        { ok: false, reason: 'data', message: `no points to fit: ${warnings.join('; ') || 'no runs found'}` },
        opts.interactive,
      );
    }
    const started = Date.now();
    const handle = this.client.fit('active', dataset, { ...spec.options, seed: 1 }, (fraction, message) => {
      this.busy.fire({ running: true, fraction, message });
    });
    this.running++;
    this.busy.fire({ running: true, fraction: 0, message: `fitting ${spec.options.law}` });
    const run = async (): Promise<FitOutcome> => {
      try {
        const result = await handle.promise;
        const fit: ActiveFit = {
          spec,
          result,
          dataset,
          excludedPoints,
          warnings: [...warnings, ...result.warnings],
          created: new Date(),
        };
        this.current = fit;
        this.log.info(
          `fitted ${result.law} on ${result.nPoints} points from ${result.nRuns} runs in ${Date.now() - started} ms (objective ${result.objective.toExponential(3)})`,
        );
        for (const w of fit.warnings) this.log.warn(`fit: ${w}`);
        this.changed.fire(fit);
        return { ok: true, fit };
      } catch (e) {
        const reason = e instanceof FitJobError ? e.reason : 'internal';
        const message = errorMessage(e);
        // A superseded fit is not a failure the user needs to hear about: the newer one answers.
        return this.report({ ok: false, reason, message }, opts.interactive && reason !== 'superseded');
      } finally {
        this.running--;
        if (this.running === 0) this.busy.fire({ running: false });
      }
    };
    if (!opts.interactive) return run();
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Scaling Lens: fitting ${spec.options.law}`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          handle.cancel();
        });
        let last = 0;
        const sub = this.onDidChangeBusy((b) => {
          if (b.fraction === undefined) return;
          const pct = Math.round(b.fraction * 100);
          progress.report({ increment: Math.max(0, pct - last), message: b.message });
          last = Math.max(last, pct);
        });
        try {
          return await run();
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** Starts the fit worker now (see FitClient.warm): called when the user begins a fit's prompts. */
  warmWorker(): void {
    this.client.warm();
  }

  cancel(): void {
    this.client.cancelKey('active');
  }

  private report(outcome: FitOutcome, show: boolean): FitOutcome {
    if (!outcome.ok) {
      this.log.error(`fit failed (${outcome.reason}): ${outcome.message}`);
      if (show && outcome.reason !== 'cancelled')
        void vscode.window.showErrorMessage(`Scaling Lens: the fit failed: ${outcome.message}`);
    }
    return outcome;
  }

  dispose(): void {
    this.client.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
