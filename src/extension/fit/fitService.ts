import * as vscode from 'vscode';
import { datasetFromRuns, DatasetError } from '../../core/fit/dataset';
import type { FitDataset, FitResult, LawName, LossKind } from '../../contract/fit';
import type { Run } from '../../core/model/run';
import { FitClient, FitJobError } from '../../worker/fitClient';
import type { Log } from '../log';
import type { WorkspaceRuns } from '../runs/workspaceRuns';

/** What the user asked to fit; kept in workspace state so Refit and live refits repeat it. */
export interface FitSpec {
  law: LawName | 'auto';
  x: string[];
  y?: string;
  checkpoints?: boolean;
  bootstrap: number;
  holdout: number;
  loss?: LossKind;
  delta?: number;
}

export interface ActiveFit {
  spec: FitSpec;
  result: FitResult;
  dataset: FitDataset;
  /** Dataset warnings (skipped runs, dropped points) followed by the engine's. */
  warnings: string[];
  created: Date;
}

export type FitOutcome = { ok: true; fit: ActiveFit } | { ok: false; reason: string; message: string };

const SPEC_KEY = 'scalingLens.fitSpec';
const EXCLUDED_KEY = 'scalingLens.excludedRuns';

/**
 * Owns the fit worker and the workspace's active fit. Fits always run in the worker; a newer request supersedes an
 * older one; when the runs change (a log grew) the active fit is repeated once per coalesced change.
 */
export class FitService implements vscode.Disposable {
  private readonly client: FitClient;
  private current: ActiveFit | undefined;
  private readonly changed = new vscode.EventEmitter<ActiveFit | undefined>();
  readonly onDidChangeFit = this.changed.event;
  private readonly busy = new vscode.EventEmitter<{ running: boolean; fraction?: number; message?: string }>();
  readonly onDidChangeBusy = this.busy.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.busy];
  private running = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runs: WorkspaceRuns,
    private readonly log: Log,
    autoRefit: () => boolean,
  ) {
    this.client = new FitClient({
      script: context.asAbsolutePath('dist/fitWorker.js'),
      log: (m) => {
        log.warn(m);
      },
    });
    this.disposables.push(
      // Live: a grown log refits the active fit once per coalesced change (the runs queue already debounces).
      runs.onDidChange(() => {
        const spec = this.spec();
        if (spec && this.current && autoRefit()) void this.fit(spec, { interactive: false });
      }),
      this.onDidChangeFit(
        (f) => void vscode.commands.executeCommand('setContext', 'scalingLens.hasFit', f !== undefined),
      ),
      this.onDidChangeBusy(
        (b) => void vscode.commands.executeCommand('setContext', 'scalingLens.fitRunning', b.running),
      ),
    );
  }

  get active(): ActiveFit | undefined {
    return this.current;
  }

  spec(): FitSpec | undefined {
    return this.context.workspaceState.get<FitSpec>(SPEC_KEY);
  }

  excludedRuns(): Set<string> {
    return new Set(this.context.workspaceState.get<string[]>(EXCLUDED_KEY, []));
  }

  async setExcluded(runId: string, excluded: boolean): Promise<void> {
    const set = this.excludedRuns();
    if (excluded) set.add(runId);
    else set.delete(runId);
    await this.context.workspaceState.update(EXCLUDED_KEY, [...set]);
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
    await this.context.workspaceState.update(SPEC_KEY, spec);
    let build;
    try {
      build = datasetFromRuns(this.includedRuns(), { x: spec.x, y: spec.y, checkpoints: spec.checkpoints });
    } catch (e) {
      return this.report(
        { ok: false, reason: 'data', message: e instanceof DatasetError || e instanceof Error ? e.message : String(e) },
        opts.interactive,
      );
    }
    const { dataset, warnings } = build;
    if (dataset.points.length === 0) {
      return this.report(
        { ok: false, reason: 'data', message: `no points to fit: ${warnings.join('; ') || 'no runs found'}` },
        opts.interactive,
      );
    }
    const started = Date.now();
    const handle = this.client.fit(
      'active',
      dataset,
      { law: spec.law, bootstrap: spec.bootstrap, holdout: spec.holdout, loss: spec.loss, delta: spec.delta, seed: 1 },
      (fraction, message) => {
        this.busy.fire({ running: true, fraction, message });
      },
    );
    this.running++;
    this.busy.fire({ running: true, fraction: 0, message: `fitting ${spec.law}` });
    const run = async (): Promise<FitOutcome> => {
      try {
        const result = await handle.promise;
        const fit: ActiveFit = {
          spec,
          result,
          dataset,
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
        const message = e instanceof Error ? e.message : String(e);
        // A superseded fit is not a failure the user needs to hear about: the newer one answers.
        return this.report({ ok: false, reason, message }, opts.interactive && reason !== 'superseded');
      } finally {
        this.running--;
        if (this.running === 0) this.busy.fire({ running: false });
      }
    };
    if (!opts.interactive) return run();
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Scaling Lens: fitting ${spec.law}`, cancellable: true },
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

  cancel(): void {
    this.client.cancelKey('active');
  }

  /** Test seam: kills the worker as a crash would. */
  terminateWorker(): Promise<void> {
    return this.client.terminateWorker();
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
