import * as vscode from 'vscode';
import { diagnosticJson, summarizeRun, type DiagnosticJson, type RunSummaryJson } from '../core/model/summary';
import type { PanelState } from '../contract/panel';
import type { FitResult } from '../contract/fit';
import { PanelBridge } from './bridge/panelBridge';
import { registerPanelCommands } from './bridge/panelCommands';
import { registerFitCommands } from './fit/fitCommands';
import { FitService } from './fit/fitService';
import { FitStatus } from './fit/fitStatus';
import { ConfigHover } from './hover/configHover';
import { FitSource } from './hover/fitSource';
import { Log } from './log';
import { registerRunCommands } from './runs/runCommands';
import { RunsTree } from './runs/runsTree';
import { WorkspaceRuns } from './runs/workspaceRuns';
import { Settings } from './settings';

/**
 * What `activate` returns. The integration tests read it through `extension.exports`; it is also the seam a
 * companion extension would use. Plain JSON-shaped data only.
 */
export interface ScalingLensApi {
  runs(): RunSummaryJson[];
  diagnostics(): DiagnosticJson[];
  /** Resolves once the first scan is done and pending file events have been read. */
  settled(): Promise<void>;
  /** How many coalesced re-reads the watcher queue has run (a burst of appends should add one). */
  refreshCount(): number;
  /** The active fit's result, if any. */
  activeFit(): FitResult | undefined;
  /** Kills the fit worker as a crash would; the next fit starts a fresh one (tests). */
  terminateFitWorker(): Promise<void>;
  /** The state the Scaling panel was last sent (undefined before it opened); tests check the panel got the fit. */
  panelState(): PanelState | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<ScalingLensApi> {
  const log = new Log();
  const settings = new Settings();
  const runs = new WorkspaceRuns(settings, log);
  const fits = new FitService(context, runs, log, () => settings.autoRefit());
  const tree = new RunsTree(runs, (id) => fits.excludedRuns().has(id));
  const fitSource = new FitSource(fits, log);
  const bridge = new PanelBridge(context, fits, runs, log);
  // One disposal tree: everything created here is owned by the extension context.
  context.subscriptions.push(
    log,
    runs,
    tree,
    fits,
    fitSource,
    new ConfigHover(settings, fitSource),
    bridge,
    new FitStatus(fits, 'scalingLens.openPanel'),
    registerFitCommands(fits, {
      bootstrap: () => settings.fitBootstrap(),
      holdout: () => settings.fitHoldout(),
      onPrediction: (p) => {
        bridge.addPrediction(p);
      },
      onInteractiveFit: () => {
        if (settings.openPanelAfterFit()) bridge.openForFit();
      },
    }),
    registerPanelCommands(bridge),
    registerRunCommands(fits, tree),
    vscode.window.registerTreeDataProvider('scalingLens.runs', tree),
    vscode.commands.registerCommand('scalingLens.refreshRuns', () => runs.rescan()),
    vscode.commands.registerCommand('scalingLens.showOutput', () => {
      log.show();
    }),
    vscode.commands.registerCommand('scalingLens.openRunLog', async (file: unknown) => {
      if (typeof file !== 'string') return;
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    }),
  );
  await vscode.commands.executeCommand('setContext', 'scalingLens.activated', true);
  log.info(`Scaling Lens ${String(context.extension.packageJSON.version)} activated`);
  const firstScan = runs.rescan();
  return {
    runs: () => runs.runs().map((r) => summarizeRun(r.run)),
    diagnostics: () => runs.diagnostics().map(diagnosticJson),
    settled: async () => {
      await firstScan;
      await runs.settled();
    },
    refreshCount: () => runs.refreshCount,
    activeFit: () => fits.active?.result,
    terminateFitWorker: () => fits.terminateWorker(),
    panelState: () => bridge.panel.currentState(),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
