import * as vscode from 'vscode';
import { SETTINGS_SECTION } from './ids';

export const DEFAULT_HOVER_LANGUAGES = ['yaml', 'json', 'jsonc', 'toml', 'python'];

/**
 * What a settings change asks of the extension. Config decides it from the changed keys; activate() carries it out,
 * so the table of "setting → consequence" lives here and nowhere else.
 */
export interface ConfigEffects {
  /** The runs must be found and read again (excludes, aliases, N's definition, watching). */
  rescanRuns: boolean;
  /** The hover and CodeLens providers must be registered for other languages. */
  reregisterHover: boolean;
  /** Hovers, CodeLenses and hints must be recomputed (any of our settings may change what they say). */
  refreshHover: boolean;
}

/** Settings whose change re-reads the runs: they decide which files are runs and what their N, D, C are. */
const RUN_KEYS = ['exclude', 'aliases', 'countEmbeddingParameters', 'watch'];

/** Which effects a change has, from its `affectsConfiguration` (pure: unit-tested without VS Code). */
export function effectsOf(affects: (section: string) => boolean): ConfigEffects {
  const ours = (key?: string) => affects(key ? `${SETTINGS_SECTION}.${key}` : SETTINGS_SECTION);
  return {
    rescanRuns: RUN_KEYS.some((k) => ours(k)),
    reregisterHover: ours('hover'),
    refreshHover: ours(),
  };
}

const finiteOr = (v: unknown, fallback: number): number => {
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
};

/**
 * Every `scalingLens.*` setting, typed and checked (a settings.json edited by hand can hold anything). Each getter
 * reads fresh and, where the setting is resource-scoped, for a workspace folder. `onDidChange` fires once per
 * change of our settings with what it triggers.
 */
export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConfigEffects>();
  readonly onDidChange = this.changed.event;
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    const effects = effectsOf((section) => e.affectsConfiguration(section));
    if (effects.refreshHover || effects.rescanRuns || effects.reregisterHover) this.changed.fire(effects);
  });

  private cfg(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  }

  exclude(scope?: vscode.Uri): string[] {
    const v = this.cfg(scope).get<unknown>('exclude', []);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  }

  usePolling(): boolean {
    return this.cfg().get<unknown>('watch.usePolling', false) === true;
  }

  pollIntervalMs(): number {
    return Math.max(250, finiteOr(this.cfg().get<unknown>('watch.pollIntervalMs', 2000), 2000) || 2000);
  }

  debounceMs(): number {
    return Math.max(0, finiteOr(this.cfg().get<unknown>('watch.debounceMs', 300), 0));
  }

  aliases(scope?: vscode.Uri): Record<string, string[]> {
    const raw = this.cfg(scope).get<unknown>('aliases', {});
    const out: Record<string, string[]> = {};
    if (typeof raw !== 'object' || raw === null) return out;
    for (const [k, v] of Object.entries(raw))
      if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    return out;
  }

  countEmbeddings(scope?: vscode.Uri): boolean {
    return this.cfg(scope).get<unknown>('countEmbeddingParameters', false) === true;
  }

  fitBootstrap(): number {
    return Math.max(0, Math.floor(finiteOr(this.cfg().get<unknown>('fit.bootstrap', 200), 0)));
  }

  fitHoldout(): number {
    return Math.max(0, Math.floor(finiteOr(this.cfg().get<unknown>('fit.holdout', 0), 0)));
  }

  autoRefit(): boolean {
    return this.cfg().get<unknown>('fit.autoRefit', true) !== false;
  }

  /** Language ids the hover and CodeLens answer on (`hover.languages`). */
  hoverLanguages(): string[] {
    const v = this.cfg().get<unknown>('hover.languages', DEFAULT_HOVER_LANGUAGES);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : DEFAULT_HOVER_LANGUAGES;
  }

  codeLensEnabled(scope?: vscode.Uri): boolean {
    return this.cfg(scope).get<unknown>('codeLens.enabled', true) !== false;
  }

  /** Factor by which tokens-per-parameter may differ from the optimum before a hint; 0 (the default) = no hints. */
  optimalityThreshold(scope?: vscode.Uri): number {
    return Math.max(0, finiteOr(this.cfg(scope).get<unknown>('optimality.warnFactor', 0), 0));
  }

  /** The fit artifact hovers use instead of the active fit (`fitArtifact`), trimmed; '' when unset. */
  fitArtifact(scope?: vscode.Uri): string {
    const v = this.cfg(scope).get<unknown>('fitArtifact', '');
    return typeof v === 'string' ? v.trim() : '';
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
