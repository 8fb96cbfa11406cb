import * as vscode from 'vscode';
import { parseScaleNumber } from '../../core/config/values';
import { artifactText, toArtifact } from '../../core/fit/artifact';
import { predict } from '../../core/fit/predict';
import type { Prediction } from '../../contract/fit';
import { writeFileAtomic } from '../../core/util/atomicWrite';
import type { FitOutcome, FitService } from './fitService';
import { pickFitSpec, specFromArgument } from './fitSpecPick';
import { lawLatex, predictionText } from './fitText';

export interface FitDefaults {
  bootstrap(): number;
  holdout(): number;
  /** Called with every prediction the user asks for, so the panel can draw it. */
  onPrediction?(p: Prediction): void;
}

/**
 * The fit commands. Each accepts an optional argument so tests, keybindings and the panel can skip the prompts;
 * arguments are validated like any other untrusted input. Each returns a plain result the caller can inspect.
 */
export function registerFitCommands(fits: FitService, defaults: FitDefaults): vscode.Disposable {
  const d = () => ({ bootstrap: defaults.bootstrap(), holdout: defaults.holdout() });
  const noFit = () => {
    void vscode.window.showWarningMessage('Scaling Lens: no fit yet. Run "Fit Scaling Law…" first.');
    return undefined;
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('scalingLens.fitLaw', async (arg?: unknown): Promise<FitOutcome | undefined> => {
      const spec = specFromArgument(arg, d()) ?? (await pickFitSpec(fits.includedRuns(), fits.spec(), d()));
      return spec ? fits.fit(spec, { interactive: true }) : undefined;
    }),
    vscode.commands.registerCommand('scalingLens.refit', async (): Promise<FitOutcome | undefined> => {
      const spec = fits.spec();
      if (!spec) {
        noFit();
        return;
      }
      return fits.fit(spec, { interactive: true });
    }),
    vscode.commands.registerCommand('scalingLens.backtest', async (arg?: unknown): Promise<FitOutcome | undefined> => {
      const spec = fits.spec();
      if (!spec) {
        noFit();
        return;
      }
      const k = typeof arg === 'number' && arg >= 1 ? Math.floor(arg) : Math.max(1, spec.holdout || 2);
      const outcome = await fits.fit({ ...spec, holdout: k }, { interactive: true });
      if (outcome.ok && outcome.fit.result.holdout) {
        const h = outcome.fit.result.holdout;
        void vscode.window.showInformationMessage(
          `Scaling Lens backtest: fitted without the ${k} largest runs, their loss is predicted within ${(h.areMean * 100).toFixed(2)}% on average (${h.points.map((p) => `${p.runId} ${(p.are * 100).toFixed(1)}%`).join(', ')}).`,
        );
      }
      return outcome;
    }),
    vscode.commands.registerCommand('scalingLens.cancelFit', () => {
      fits.cancel();
    }),
    vscode.commands.registerCommand('scalingLens.predict', async (arg?: unknown): Promise<Prediction | undefined> => {
      const fit = fits.active;
      if (!fit) {
        noFit();
        return;
      }
      const text =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: 'Predict with the active fit',
              prompt: `Values of ${fit.result.variables?.join(', ') ?? fit.dataset.xNames.join(', ')}${fit.result.law === 'chinchilla' ? ', or C=… for the compute-optimal split' : ''}`,
              placeHolder:
                fit.result.law === 'chinchilla' ? 'N=7e9, D=1.4T   or   C=1e23' : `${fit.dataset.xNames[0]}=1e21`,
              validateInput: (v) => (parseAt(v) ? undefined : 'write name=value pairs, e.g. N=7e9, D=1.4T'),
            });
      const at = text ? parseAt(text) : undefined;
      if (!at) return undefined;
      try {
        const p =
          'C' in at && fit.result.law === 'chinchilla' ? predict(fit.result, { C: at.C }) : predict(fit.result, at);
        defaults.onPrediction?.(p);
        if (typeof arg !== 'string')
          void vscode.window.showInformationMessage(`Scaling Lens: ${predictionText(fit.result, p)}`);
        return p;
      } catch (e) {
        void vscode.window.showErrorMessage(
          `Scaling Lens: cannot predict: ${e instanceof Error ? e.message : String(e)}`,
        );
        return undefined;
      }
    }),
    vscode.commands.registerCommand('scalingLens.exportFit', async (arg?: unknown): Promise<string | undefined> => {
      const fit = fits.active;
      if (!fit) {
        noFit();
        return;
      }
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target =
        arg instanceof vscode.Uri
          ? arg
          : await vscode.window.showSaveDialog({
              title: 'Export Fit',
              filters: { 'Fit artifact': ['json'] },
              defaultUri: folder ? vscode.Uri.joinPath(folder, `scaling-fit-${fit.result.law}.json`) : undefined,
            });
      if (!target) return undefined;
      writeFileAtomic(target.fsPath, artifactText(toArtifact(fit.result, fit.dataset, fit.created)));
      if (!(arg instanceof vscode.Uri))
        void vscode.window.showInformationMessage(
          `Scaling Lens: fit written to ${vscode.workspace.asRelativePath(target)}; \`scaling-lens predict\` reads it.`,
        );
      return target.fsPath;
    }),
    vscode.commands.registerCommand('scalingLens.copyLatex', async (): Promise<string | undefined> => {
      const fit = fits.active;
      if (!fit) {
        noFit();
        return;
      }
      const latex = lawLatex(fit.result);
      await vscode.env.clipboard.writeText(latex);
      return latex;
    }),
  );
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
