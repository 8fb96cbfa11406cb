import * as vscode from 'vscode';
import type { FitResult } from '../contract/fit';
import type { PanelState } from '../contract/panel';
import { errorMessage } from '../core/errors';
import { diagnosticJson, summarizeRun, type DiagnosticJson, type RunSummaryJson } from '../core/model/summary';
import { PanelBridge } from './bridge/panelBridge';
import { PanelCommands } from './bridge/panelCommands';
import { Config } from './config';
import { setContext } from './context';
import { FitCommands } from './fit/fitCommands';
import { FitService } from './fit/fitService';
import { FitStatus } from './fit/fitStatus';
import { ConfigHover } from './hover/configHover';
import { FitSource } from './hover/fitSource';
import { COMMAND, CONTEXT, VIEW } from './ids';
import { Log } from './log';
import { registerRunCommands } from './runs/runCommands';
import { RunsTree } from './runs/runsTree';
import { WorkspaceRuns } from './runs/workspaceRuns';
import { FitClient } from '../worker/fitClient';

/**
 * What `activate` returns: the seam a companion extension would use. Plain JSON-shaped data only. The
 * integration tests read it through `extension.exports`, and in a test run (only) find their hooks in `testing`.
 */
export interface ScalingLensApi {
  runs(): RunSummaryJson[];
  diagnostics(): DiagnosticJson[];
  /** Resolves once the first scan is done and pending file events have been read. */
  settled(): Promise<void>;
  /** The active fit's result, if any. */
  activeFit(): FitResult | undefined;
  /** Present only when VS Code runs the extension's tests (ExtensionMode.Test). */
  testing?: TestingHooks;
}

export interface TestingHooks {
  /** How many coalesced re-reads the watcher queue has run (a burst of appends should add one). */
  refreshCount(): number;
  /** Kills the fit worker as a crash would; the next fit starts a fresh one. */
  terminateFitWorker(): Promise<void>;
  /** The state the Scaling panel was last sent (undefined before it opened). */
  panelState(): PanelState | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<ScalingLensApi> {
  const log = new Log();
  context.subscriptions.push(log);
  try {
    return await start(context, log);
  } catch (e) {
    // An extension that fails to start shows nothing by itself: say so, with the details in the output channel.
    log.error(`activation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    void vscode.window
      .showErrorMessage(`Scaling Lens could not start: ${errorMessage(e)}`, 'Show Output')
      .then((choice) => {
        if (choice) log.show();
      });
    throw e;
  }
}

async function start(context: vscode.ExtensionContext, log: Log): Promise<ScalingLensApi> {
  const config = new Config();
  const runs = new WorkspaceRuns(config, log);
  const worker = new FitClient({
    script: context.asAbsolutePath('dist/fitWorker.js'),
    log: (m) => {
      log.warn(m);
    },
  });
  const fits = new FitService(context, runs, log, config, worker);
  const tree = new RunsTree(runs, (id) => fits.excludedRuns().has(id));
  const fitSource = new FitSource(fits, config, log);
  const bridge = new PanelBridge(context, fits, runs, log, worker);
  const hover = new ConfigHover(config, fitSource, () => bridge.planTargetC());
  const fitCommands = new FitCommands(fits, {
    bootstrap: () => config.fitBootstrap(),
    holdout: () => config.fitHoldout(),
    onPrediction: (p) => {
      bridge.addPrediction(p);
    },
    onInteractiveFit: () => {
      if (config.openPanelAfterFit()) bridge.openForFit();
    },
  });
  // One disposal tree: everything created here is owned by the extension context.
  context.subscriptions.push(
    config,
    runs,
    tree,
    fits,
    fitSource,
    hover,
    bridge,
    new FitStatus(fits, COMMAND.openPanel),
    fitCommands.register(),
    new PanelCommands(bridge, fitCommands, () => fits.active !== undefined),
    registerRunCommands(fits, tree),
    // What each settings change triggers is decided by Config (effectsOf); carried out here, in one place.
    // The runs view marks excluded runs; the panel can include one again, so the view follows the service.
    fits.onDidChangeExcludedRuns(() => {
      tree.refresh();
    }),
    config.onDidChange((effects) => {
      if (effects.rescanRuns) void runs.rescan();
      if (effects.reregisterHover) hover.registerProviders();
      if (effects.refreshHover) hover.refresh();
    }),
    vscode.window.registerTreeDataProvider(VIEW.runs, tree),
    vscode.commands.registerCommand(COMMAND.refreshRuns, () => runs.rescan()),
    vscode.commands.registerCommand(COMMAND.showOutput, () => {
      log.show();
    }),
    vscode.commands.registerCommand(COMMAND.openRunLog, async (file: unknown) => {
      if (typeof file !== 'string' || !file) return;
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    }),
  );
  await setContext(CONTEXT.activated, true);
  log.info(`Scaling Lens ${String((context.extension.packageJSON as { version?: unknown }).version)} activated`);
  const firstScan = runs.rescan();
  const api: ScalingLensApi = {
    runs: () => runs.runs().map((r) => summarizeRun(r.run)),
    diagnostics: () => runs.diagnostics().map(diagnosticJson),
    settled: async () => {
      await firstScan;
      await runs.settled();
    },
    activeFit: () => fits.active?.result,
  };
  if (context.extensionMode === vscode.ExtensionMode.Test)
    api.testing = {
      refreshCount: () => runs.refreshCount,
      terminateFitWorker: () => worker.terminateWorker(),
      panelState: () => bridge.panel.currentState(),
    };
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
