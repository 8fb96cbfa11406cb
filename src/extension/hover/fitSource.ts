import { statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ARTIFACT_KIND, readArtifact, toArtifact } from '../../core/fit/artifact';
import { ArtifactError, errorMessage } from '../../core/errors';
import type { FitArtifact } from '../../contract/fit';
import type { ActiveFit, FitService } from '../fit/fitService';
import type { Config } from '../config';
import type { Log } from '../log';

export interface ChosenFit {
  fit: FitArtifact;
  /** Where it came from, for the hover's "fit used" line. */
  label: string;
}

/** Names of fit artifacts looked for in the workspace (what Export Fit and `scaling-lens fit --out` usually write). */
const ARTIFACT_GLOB = '**/*fit*.json';

/**
 * Which fit a config's hover uses. In order: the artifact the `scalingLens.fitArtifact` setting names for the
 * config's folder, the active fit (the panel's), an artifact found in the config's own folder, then in any other
 * folder. Artifacts are read once per modification time; no fit is ever computed here.
 */
export class FitSource implements vscode.Disposable {
  private readonly cache = new Map<string, { mtimeMs: number; fit: FitArtifact | undefined }>();
  private found: vscode.Uri[] = [];
  private activeArtifact: { from: ActiveFit; artifact: FitArtifact } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: { dispose(): void }[] = [this.changed];

  constructor(
    private readonly fits: FitService,
    private readonly config: Config,
    private readonly log: Log,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(ARTIFACT_GLOB);
    const refresh = () => void this.discover();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(refresh),
      watcher.onDidChange(refresh),
      watcher.onDidDelete(refresh),
      fits.onDidChangeFit(() => {
        this.changed.fire();
      }),
    );
    void this.discover();
  }

  private async discover(): Promise<void> {
    const uris = await vscode.workspace.findFiles(ARTIFACT_GLOB, '**/node_modules/**', 200);
    this.found = uris.filter((u) => this.load(u.fsPath) !== undefined);
    this.changed.fire();
  }

  /** Reads an artifact when its mtime changed; undefined for files that are not fit artifacts. */
  private load(file: string): FitArtifact | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.fit;
    let fit: FitArtifact | undefined;
    try {
      fit = readArtifact(file);
    } catch (e) {
      // Files named *fit*.json that are something else are common; only say so for files claiming to be ours.
      if (!(e instanceof ArtifactError && e.notAnArtifact)) this.log.warn(`fit artifact: ${errorMessage(e)}`);
    }
    this.cache.set(file, { mtimeMs, fit });
    return fit;
  }

  fitFor(document: vscode.Uri): ChosenFit | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(document);
    const configured = this.config.fitArtifact(document);
    if (configured) {
      const file = path.isAbsolute(configured) || !folder ? configured : path.join(folder.uri.fsPath, configured);
      const fit = this.load(file);
      if (fit) return { fit, label: vscode.workspace.asRelativePath(file) };
      this.log.warn(`scalingLens.fitArtifact: ${file} is not a readable ${ARTIFACT_KIND} file`);
    }
    const active = this.fits.active;
    if (active) {
      if (this.activeArtifact?.from !== active)
        this.activeArtifact = { from: active, artifact: toArtifact(active.result, active.dataset, active.created) };
      return { fit: this.activeArtifact.artifact, label: 'active fit' };
    }
    const inFolder = (u: vscode.Uri) =>
      folder !== undefined && vscode.workspace.getWorkspaceFolder(u)?.uri.toString() === folder.uri.toString();
    const ordered = [...this.found.filter(inFolder), ...this.found.filter((u) => !inFolder(u))];
    for (const u of ordered) {
      const fit = this.load(u.fsPath);
      if (fit) return { fit, label: vscode.workspace.asRelativePath(u) };
    }
    return undefined;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
