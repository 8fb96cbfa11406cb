/** Host objects for the extension's unit tests, built on the fake vscode (import register.ts first). */
import type * as vscode from 'vscode';
import type { Config } from '../../../src/extension/config';
import { FitService } from '../../../src/extension/fit/fitService';
import type { Log } from '../../../src/extension/log';
import type { WorkspaceRuns } from '../../../src/extension/runs/workspaceRuns';
import type { FitClient } from '../../../src/worker/fitClient';
import { chinchillaRuns } from '../chinchillaRuns';
import { EventEmitter, FakeMemento, Uri } from './fake';

/** A Log that keeps what it was told. */
export const logged: string[] = [];
export const quietLog = {
  info: (m: string) => logged.push(`info: ${m}`),
  warn: (m: string) => logged.push(`warn: ${m}`),
  error: (m: string) => logged.push(`error: ${m}`),
  show: () => undefined,
} as unknown as Log;
const config = { autoRefit: () => false, fitBootstrap: () => 0, fitHoldout: () => 0 } as unknown as Config;

/** The services a FitService needs, faked: runs from `chinchillaRuns`, workspace state in a Map. */
export function makeFitService(client: FitClient): {
  fits: FitService;
  state: FakeMemento;
  runs: WorkspaceRuns;
  context: vscode.ExtensionContext;
} {
  const runsChanged = new EventEmitter<void>();
  const list = chinchillaRuns().map((run) => ({ folder: {}, run }));
  const runs = { runs: () => list, onDidChange: runsChanged.event } as unknown as WorkspaceRuns;
  const state = new FakeMemento();
  const context = {
    workspaceState: state,
    extensionUri: Uri.file('/ext'),
    subscriptions: [],
  } as unknown as vscode.ExtensionContext;
  return { fits: new FitService(context, runs, quietLog, config, client), state, runs, context };
}
