/**
 * Every command ID, view ID and context key the extension registers or sets, in one place: package.json names the
 * same strings (test/unit/extension/ids.test.ts checks both ways), and no other source file writes them out.
 * Plain data, no `vscode` import, so the unit tests and the integration suite can read it too.
 */

export const COMMAND = {
  refreshRuns: 'scalingLens.refreshRuns',
  showOutput: 'scalingLens.showOutput',
  openRunLog: 'scalingLens.openRunLog',
  fitLaw: 'scalingLens.fitLaw',
  refit: 'scalingLens.refit',
  backtest: 'scalingLens.backtest',
  cancelFit: 'scalingLens.cancelFit',
  predict: 'scalingLens.predict',
  exportFit: 'scalingLens.exportFit',
  copyLatex: 'scalingLens.copyLatex',
  openPanel: 'scalingLens.openPanel',
  exportPlot: 'scalingLens.exportPlot',
  exportData: 'scalingLens.exportData',
  copySpec: 'scalingLens.copySpec',
  excludeRun: 'scalingLens.excludeRun',
  includeRun: 'scalingLens.includeRun',
} as const;

export const VIEW = {
  /** The "Scaling Runs" tree in the explorer. */
  runs: 'scalingLens.runs',
  /** The Scaling panel's webview type (package.json: `onWebviewPanel:` activation). */
  panel: 'scalingLens.panel',
} as const;

/** Context keys for `when` clauses, set through `setContext` (src/extension/context.ts). */
export const CONTEXT = {
  activated: 'scalingLens.activated',
  hasRuns: 'scalingLens.hasRuns',
  hasFit: 'scalingLens.hasFit',
  fitRunning: 'scalingLens.fitRunning',
} as const;

/** The settings section: every setting is `scalingLens.<key>` (read only by src/extension/config.ts). */
export const SETTINGS_SECTION = 'scalingLens';

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];
export type ContextKey = (typeof CONTEXT)[keyof typeof CONTEXT];
