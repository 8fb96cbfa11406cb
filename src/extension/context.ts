import * as vscode from 'vscode';
import type { ContextKey } from './ids';

/** Sets a `when`-clause context key: VS Code's API for it is the built-in `setContext` command. */
export function setContext(key: ContextKey, value: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
