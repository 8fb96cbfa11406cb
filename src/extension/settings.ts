import * as vscode from 'vscode';

export const DEFAULT_HOVER_LANGUAGES = ['yaml', 'json', 'jsonc', 'toml', 'python'];

/**
 * Typed access to `scalingLens.*`. Each getter reads fresh (settings can change at any time) and is scoped to a
 * workspace folder where the setting is resource-scoped.
 */
export class Settings {
  private cfg(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('scalingLens', scope);
  }

  exclude(scope?: vscode.Uri): string[] {
    return this.cfg(scope)
      .get<string[]>('exclude', [])
      .filter((s) => typeof s === 'string');
  }

  usePolling(): boolean {
    return this.cfg().get<boolean>('watch.usePolling', false);
  }

  pollIntervalMs(): number {
    return Math.max(250, Number(this.cfg().get<number>('watch.pollIntervalMs', 2000)) || 2000);
  }

  debounceMs(): number {
    return Math.max(0, Number(this.cfg().get<number>('watch.debounceMs', 300)) || 0);
  }

  aliases(scope?: vscode.Uri): Record<string, string[]> {
    const raw = this.cfg(scope).get<Record<string, unknown>>('aliases', {});
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(raw ?? {}))
      if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    return out;
  }

  countEmbeddings(scope?: vscode.Uri): boolean {
    return this.cfg(scope).get<boolean>('countEmbeddingParameters', false);
  }

  fitBootstrap(): number {
    return Math.max(0, Math.floor(Number(this.cfg().get<number>('fit.bootstrap', 200)) || 0));
  }

  fitHoldout(): number {
    return Math.max(0, Math.floor(Number(this.cfg().get<number>('fit.holdout', 0)) || 0));
  }

  autoRefit(): boolean {
    return this.cfg().get<boolean>('fit.autoRefit', true);
  }

  /** Language ids the hover and CodeLens answer on (`scalingLens.hover.languages`). */
  hoverLanguages(): string[] {
    const v = this.cfg().get<string[]>('hover.languages', DEFAULT_HOVER_LANGUAGES);
    return Array.isArray(v) ? v.filter((s) => typeof s === 'string') : DEFAULT_HOVER_LANGUAGES;
  }

  codeLensEnabled(scope?: vscode.Uri): boolean {
    return this.cfg(scope).get<boolean>('codeLens.enabled', true);
  }

  /** Factor by which tokens-per-parameter may differ from the optimum before a hint; 0 (the default) = no hints. */
  optimalityThreshold(scope?: vscode.Uri): number {
    return Math.max(0, Number(this.cfg(scope).get<number>('optimality.warnFactor', 0)) || 0);
  }

  /** Open (or reveal) the Scaling panel when an interactive fit starts (`scalingLens.panel.openAfterFit`). */
  openPanelAfterFit(): boolean {
    return this.cfg().get<boolean>('panel.openAfterFit', true) !== false;
  }

  /** Whether a configuration change needs the runs re-scanned (vs. nothing). */
  static affectsRuns(e: vscode.ConfigurationChangeEvent): boolean {
    return ['exclude', 'aliases', 'countEmbeddingParameters', 'watch'].some((k) =>
      e.affectsConfiguration(`scalingLens.${k}`),
    );
  }
}
