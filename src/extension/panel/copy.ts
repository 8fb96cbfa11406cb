/**
 * The panel's copy actions (the webview's buttons and the commands): the fitted law as LaTeX, the planned runs as
 * a config snippet, or a plot's Vega-Lite spec with its data inlined. What to copy comes from the panel's state,
 * asked for only for the kind copied; nothing to copy is said in a warning rather than copying an empty string.
 */
import * as vscode from 'vscode';
import type { ChartId, CopyKind, JsonObject } from '../../contract/panel';

export interface CopySources {
  latex(): string | undefined;
  planConfig(): string | undefined;
  spec(): JsonObject | undefined;
  log: { info(message: string): void };
}

function textFor(kind: CopyKind, sources: CopySources): string | undefined {
  if (kind === 'latex') return sources.latex();
  if (kind === 'plan-config') return sources.planConfig();
  const spec = sources.spec();
  return spec ? JSON.stringify(spec, null, 2) : undefined;
}

/** Copies to the clipboard and returns the text, or warns and returns undefined when there is nothing yet. */
export async function copyToClipboard(
  kind: CopyKind,
  chart: ChartId,
  sources: CopySources,
): Promise<string | undefined> {
  const text = textFor(kind, sources);
  if (text === undefined) {
    void vscode.window.showWarningMessage(
      kind === 'latex'
        ? 'Scaling Lens: no fit to copy yet.'
        : kind === 'plan-config'
          ? 'Scaling Lens: no plan to copy yet.'
          : `Scaling Lens: the ${chart} plot has nothing to copy yet.`,
    );
    return undefined;
  }
  await vscode.env.clipboard.writeText(text);
  sources.log.info(
    kind === 'latex'
      ? 'copied the law and its fitted values as LaTeX'
      : kind === 'plan-config'
        ? 'copied the planned runs as a config snippet'
        : `copied the ${chart} plot's Vega-Lite spec (${text.length} characters)`,
  );
  return text;
}
