import * as vscode from 'vscode';
import type { FitService } from '../fit/fitService';
import { COMMAND } from '../ids';
import type { RunsTree } from './runsTree';

/** A run id from a command argument: a string (tests, keybindings) or a runs-view node ({ run: { id } }). */
function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  const run = typeof arg === 'object' && arg !== null ? (arg as { run?: { id?: unknown } }).run : undefined;
  return typeof run?.id === 'string' ? run.id : undefined;
}

/**
 * Exclude Run from Fits / Include Run in Fits, from the runs view's context menu. The choice is kept in workspace
 * state (the same set a click on a point in the panel changes) and the active fit is repeated without that run.
 */
export function registerRunCommands(fits: FitService, tree: RunsTree): vscode.Disposable {
  const toggle =
    (excluded: boolean) =>
    async (arg: unknown): Promise<boolean> => {
      const id = runIdOf(arg);
      if (!id) return false;
      await fits.setExcluded(id, excluded);
      tree.refresh();
      const spec = fits.spec();
      if (spec && fits.active) await fits.fit(spec, { interactive: false });
      return true;
    };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND.excludeRun, toggle(true)),
    vscode.commands.registerCommand(COMMAND.includeRun, toggle(false)),
  );
}
