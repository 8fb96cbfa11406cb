import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { mergeAliases } from '../../core/config/aliases';
import { Catalog, looksLikeLogFile } from '../../core/ingest/catalog';
import type { Diagnostic, Run } from '../../core/model/run';
import { CoalescingQueue } from '../../core/util/coalescingQueue';
import type { Log } from '../log';
import { Settings } from '../settings';
import { LogWatcher } from './logWatcher';

interface FolderState {
  folder: vscode.WorkspaceFolder;
  catalog: Catalog;
  watcher: LogWatcher;
}

/**
 * The runs of every workspace folder, kept current. Owns one Catalog and one watcher per folder and a single
 * coalescing queue: file events become one re-read per quiet period. A new log file triggers a re-scan (to find
 * new runs); a change to a known file only reads the appended bytes.
 */
export class WorkspaceRuns implements vscode.Disposable {
  private folders: FolderState[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private queue: CoalescingQueue<string>;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private scanning: Promise<void> = Promise.resolve();
  /** Counts re-reads, for tests and the output channel. */
  refreshCount = 0;

  constructor(private readonly settings: Settings, private readonly log: Log) {
    this.queue = new CoalescingQueue((paths) => this.onFiles(paths), settings.debounceMs());
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (Settings.affectsRuns(e)) void this.rescan();
      }),
    );
  }

  /** Builds the catalogs from scratch (start, folder or settings change, "Refresh Runs"). */
  rescan(): Promise<void> {
    this.scanning = this.scanning.then(() => this.doScan());
    return this.scanning;
  }

  private async doScan(): Promise<void> {
    for (const f of this.folders) f.watcher.dispose();
    this.queue.dispose();
    this.queue = new CoalescingQueue((paths) => this.onFiles(paths), this.settings.debounceMs());
    const started = Date.now();
    const states: FolderState[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue; // readers use node fs; the extension runs where the files are
      const excludes = this.settings.exclude(folder.uri).map((g) => globToRegExp(g));
      const catalog = new Catalog([folder.uri.fsPath], {
        aliases: mergeAliases(this.settings.aliases(folder.uri)),
        countEmbeddings: this.settings.countEmbeddings(folder.uri),
        exclude: (rel) => excludes.some((re) => re.test(rel)),
      });
      try {
        await catalog.scan();
      } catch (e) {
        this.log.error(`scan of ${folder.uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      const watcher = new LogWatcher(folder, (p) => this.queue.push(p));
      if (this.settings.usePolling()) watcher.poll(() => catalog.watchedFiles(), this.settings.pollIntervalMs());
      else watcher.watchEvents();
      states.push({ folder, catalog, watcher });
    }
    this.folders = states;
    const runs = this.runs();
    this.log.info(`found ${runs.length} runs in ${states.length} folder(s) in ${Date.now() - started} ms; ${this.diagnostics().length} problem(s) in the input`);
    await vscode.commands.executeCommand('setContext', 'scalingLens.hasRuns', runs.length > 0);
    this.changed.fire();
  }

  private async onFiles(paths: string[]): Promise<void> {
    await this.scanning;
    let anyChange = false;
    for (const state of this.folders) {
      const root = state.folder.uri.fsPath;
      const mine = paths.filter((p) => p === root || p.startsWith(root + '/'));
      if (!mine.length) continue;
      const unknown = await Promise.all(mine.map((p) => needsScan(state.catalog, p)));
      if (unknown.some(Boolean)) {
        await state.catalog.scan(); // keeps existing readers; reads new runs
        anyChange = true;
      } else {
        const ids = await state.catalog.refresh(mine);
        anyChange = anyChange || ids.length > 0;
      }
    }
    this.refreshCount++;
    if (anyChange) {
      this.log.info(`re-read ${paths.length} changed file(s)`);
      this.changed.fire();
    }
  }

  /** Waits until pending file events have been read (tests use it). */
  async settled(): Promise<void> {
    await this.scanning;
    await this.queue.idle();
  }

  runs(): { folder: vscode.WorkspaceFolder; run: Run }[] {
    return this.folders.flatMap((f) => f.catalog.runs().map((run) => ({ folder: f.folder, run })));
  }

  diagnostics(): Diagnostic[] {
    return this.folders.flatMap((f) => f.catalog.diagnostics());
  }

  dispose(): void {
    this.queue.dispose();
    for (const f of this.folders) f.watcher.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/**
 * Whether a changed path can only be understood by scanning for runs again: a new log file, or a new or deleted
 * folder. Recursive watchers often report only the folder when a folder is created with files already in it.
 */
async function needsScan(catalog: Catalog, p: string): Promise<boolean> {
  if (catalog.owns(p)) return false;
  if (looksLikeLogFile(p)) return true;
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return catalog.runs().some((r) => r.dir === p || r.dir.startsWith(p + '/'));
  }
}

/** `**`, `*` and `?` globs on relative paths; a bare name matches that folder anywhere. */
export function globToRegExp(glob: string): RegExp {
  const g = glob.includes('/') ? glob : `**/${glob}`;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      re += '(?:.*/)?';
      i += g[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}
