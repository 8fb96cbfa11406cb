import * as vscode from 'vscode';
import { parseScaleNumber } from '../../core/config/values';
import { artifactText, toArtifact } from '../../core/fit/artifact';
import { predict } from '../../core/fit/predict';
import type { Prediction } from '../../contract/fit';
import { writeFileAtomic } from '../../core/util/atomicWrite';
import { errorMessage } from '../../core/errors';
import { COMMAND } from '../ids';
import type { FitOutcome, FitService, FitSpec } from './fitService';
import { pickFitSpec } from './fitSpecPick';
import { specFromArgument } from './fitSpecInput';
import { predictionText } from './fitText';

export interface FitDefaults {
  bootstrap(): number;
  holdout(): number;
  /** Called with every prediction the user asks for, so the panel can draw it. */
  onPrediction?(p: Prediction): void;
  /** Called when the user starts a fit (not a live refit), so the panel can open beside the editor meanwhile. */
  onInteractiveFit?(): void;
}

/**
 * The fit commands. Each accepts an optional argument so tests, keybindings and the panel can skip the prompts;
 * arguments are validated like any other untrusted input. Each returns a plain result the caller can inspect.
 * The panel calls the methods directly; only the palette, menus and links go through the registered commands.
 */
export class FitCommands {
  constructor(
    private readonly fits: FitService,
    private readonly defaults: FitDefaults,
  ) {}

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.commands.registerCommand(COMMAND.fitLaw, (arg?: unknown) => this.fitLaw(arg)),
      vscode.commands.registerCommand(COMMAND.refit, () => this.refit()),
      vscode.commands.registerCommand(COMMAND.backtest, (arg?: unknown) => this.backtest(arg)),
      vscode.commands.registerCommand(COMMAND.cancelFit, () => {
        this.fits.cancel();
      }),
      vscode.commands.registerCommand(COMMAND.predict, (arg?: unknown) => this.predict(arg)),
      vscode.commands.registerCommand(COMMAND.exportFit, (arg?: unknown) =>
        this.exportFit(arg instanceof vscode.Uri ? arg : undefined),
      ),
    );
  }

  private budget(): { bootstrap: number; holdout: number } {
    return { bootstrap: this.defaults.bootstrap(), holdout: this.defaults.holdout() };
  }

  /** Warns that there is nothing to act on yet. */
  static noFit(): void {
    void vscode.window.showWarningMessage('Scaling Lens: no fit yet. Run "Fit Scaling Law…" first.');
  }

  async fitLaw(arg?: unknown): Promise<FitOutcome | undefined> {
    const given = specFromArgument(arg, this.budget());
    // The worker loads while the user answers the prompts, not after the last one.
    if (!given) this.fits.warmWorker();
    const spec = given ?? (await pickFitSpec(this.fits.includedRuns(), this.fits.spec(), this.budget()));
    return spec ? this.fitInteractively(spec) : undefined;
  }

  /** The panel opens as the fit starts, not when it ends: its page loads while the worker fits. */
  private fitInteractively(spec: FitSpec): Promise<FitOutcome> {
    const outcome = this.fits.fit(spec, { interactive: true });
    this.defaults.onInteractiveFit?.();
    return outcome;
  }

  async refit(): Promise<FitOutcome | undefined> {
    const spec = this.fits.spec();
    if (spec) return this.fitInteractively(spec);
    FitCommands.noFit();
    return undefined;
  }

  async backtest(arg?: unknown): Promise<FitOutcome | undefined> {
    const spec = this.fits.spec();
    if (!spec) {
      FitCommands.noFit();
      return undefined;
    }
    const k =
      typeof arg === 'number' && Number.isFinite(arg) && arg >= 1
        ? Math.floor(arg)
        : Math.max(1, spec.options.holdout ?? 0, 2);
    const outcome = await this.fitInteractively({ ...spec, options: { ...spec.options, holdout: k } });
    if (outcome.ok && outcome.fit.result.holdout) {
      const h = outcome.fit.result.holdout;
      void vscode.window.showInformationMessage(
        `Scaling Lens backtest: fitted without the ${k} largest runs, their loss is predicted within ${(h.areMean * 100).toFixed(2)}% on average (${h.points.map((p) => `${p.runId} ${(p.are * 100).toFixed(1)}%`).join(', ')}).`,
      );
    }
    return outcome;
  }

  async predict(arg?: unknown): Promise<Prediction | undefined> {
    const fit = this.fits.active;
    if (!fit) {
      FitCommands.noFit();
      return undefined;
    }
    const law = fit.result.law;
    const text =
      typeof arg === 'string'
        ? arg
        : await vscode.window.showInputBox({
            title: 'Predict with the active fit',
            prompt: `Values of ${fit.result.variables?.join(', ') ?? fit.dataset.xNames.join(', ')}${law === 'chinchilla' ? ', or C=… for the compute-optimal split' : ''}`,
            placeHolder: law === 'chinchilla' ? 'N=7e9, D=1.4T   or   C=1e23' : `${fit.dataset.xNames[0]}=1e21`,
            validateInput: (v) => (parseAt(v) ? undefined : 'write name=value pairs, e.g. N=7e9, D=1.4T'),
          });
    const at = text ? parseAt(text) : undefined;
    if (!at) return undefined;
    try {
      const p = 'C' in at && law === 'chinchilla' ? predict(fit.result, { C: at.C }) : predict(fit.result, at);
      this.defaults.onPrediction?.(p);
      if (typeof arg !== 'string')
        void vscode.window.showInformationMessage(`Scaling Lens: ${predictionText(fit.result, p)}`);
      return p;
    } catch (e) {
      void vscode.window.showErrorMessage(`Scaling Lens: cannot predict: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /** Writes the active fit as an artifact; with no target, asks where. Returns the path written, if any. */
  async exportFit(target?: vscode.Uri): Promise<string | undefined> {
    const fit = this.fits.active;
    if (!fit) {
      FitCommands.noFit();
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const chosen =
      target ??
      (await vscode.window.showSaveDialog({
        title: 'Export Fit',
        filters: { 'Fit artifact': ['json'] },
        defaultUri: folder ? vscode.Uri.joinPath(folder, `scaling-fit-${fit.result.law}.json`) : undefined,
      }));
    if (!chosen) return undefined;
    try {
      writeFileAtomic(chosen.fsPath, artifactText(toArtifact(fit.result, fit.dataset, fit.created)));
    } catch (e) {
      void vscode.window.showErrorMessage(`Scaling Lens: cannot write the fit to ${chosen.fsPath}: ${errorMessage(e)}`);
      return undefined;
    }
    if (!target)
      void vscode.window.showInformationMessage(
        `Scaling Lens: fit written to ${vscode.workspace.asRelativePath(chosen)}; \`scaling-lens predict\` reads it.`,
      );
    return chosen.fsPath;
  }
}

/** "N=7e9, D=1.4T" → {N: 7e9, D: 1.4e12}; undefined when any pair is malformed. */
export function parseAt(text: string): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  if (!parts.length) return undefined;
  for (const part of parts) {
    const m = /^([A-Za-z_][\w./]*)=(.+)$/.exec(part);
    const v = m ? parseScaleNumber(m[2]) : undefined;
    if (!m || v === undefined || !(v > 0)) return undefined;
    out[m[1]] = v;
  }
  return out;
}
