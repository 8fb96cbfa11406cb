import * as vscode from 'vscode';
import { mergeAliases } from '../../core/config/aliases';
import { Catalog } from '../../core/ingest/catalog';
import type { Diagnostic, Run } from '../../core/model/run';
import { CoalescingQueue } from '../../core/util/coalescingQueue';
import type { Log } from '../log';
import type { Config } from '../config';
import { setContext } from '../context';
import { CONTEXT, VIEW } from '../ids';
import { LogWatcher } from './logWatcher';

/** How often the view is redrawn while a scan reads runs. */
const PROGRESS_REDRAW_MS = 500;
/** The view is redrawn as soon as this many runs are read: the first runs show within about a second. */
const FIRST_RUNS_SHOWN = 100;

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
  private readonly disposables: { dispose(): unknown }[] = [this.changed];
  private scanning: Promise<void> = Promise.resolve();
  /** Counts re-reads, for tests and the output channel. */
  refreshCount = 0;

  constructor(
    private readonly settings: Config,
    private readonly log: Log,
  ) {
    this.queue = this.newQueue();
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()));
  }

  /** Builds the catalogs from scratch (start, folder or settings change, "Refresh Runs"). */
  rescan(): Promise<void> {
    this.scanning = this.scanning.then(() => this.doScan());
    return this.scanning;
  }

  private async doScan(): Promise<void> {
    for (const f of this.folders) f.watcher.dispose();
    this.queue.dispose();
    this.queue = this.newQueue();
    const started = Date.now();
    const states: FolderState[] = [];
    // The folders are listed while they are read: runs appear in the view as their readers finish, not at the end.
    this.folders = states;
    await vscode.window.withProgress({ location: { viewId: VIEW.runs }, title: 'Reading runs' }, () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Scaling Lens: reading runs' },
        async (progress) => {
          for (const folder of vscode.workspace.workspaceFolders ?? []) {
            if (folder.uri.scheme !== 'file') continue; // readers use node fs; the extension runs where the files are
            const excludes = this.settings.exclude(folder.uri).map((g) => globToRegExp(g));
            const catalog = new Catalog([folder.uri.fsPath], {
              aliases: mergeAliases(this.settings.aliases(folder.uri)),
              countEmbeddings: this.settings.countEmbeddings(folder.uri),
              exclude: (rel) => excludes.some((re) => re.test(rel)),
            });
            const watcher = new LogWatcher(folder, (p) => {
              this.queue.push(p);
            });
            states.push({ folder, catalog, watcher });
            let shown = 0;
            let lastFire = Date.now();
            try {
              await catalog.scan({
                onProgress: ({ runs, total }) => {
                  // redraw at most a few times a second, and early: the first runs are what the user waits for
                  const now = Date.now();
                  if (now - lastFire < PROGRESS_REDRAW_MS && !(shown === 0 && runs >= FIRST_RUNS_SHOWN)) return;
                  lastFire = now;
                  shown = runs;
                  progress.report({ message: `${folder.name}: ${runs} of ${total} runs read` });
                  this.changed.fire();
                },
              });
            } catch (e) {
              this.log.error(`scan of ${folder.uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`);
            }
            if (this.settings.usePolling())
              watcher.poll(
                () => [...catalog.watchedFiles(), ...catalog.watchedFolders()],
                this.settings.pollIntervalMs(),
                () => {
                  this.queue.push(folder.uri.fsPath);
                },
              );
            else watcher.watchEvents();
          }
        },
      ),
    );
    const runs = this.runs();
    this.log.info(
      `found ${runs.length} runs in ${states.length} folder(s) in ${Date.now() - started} ms; ${this.diagnostics().length} problem(s) in the input`,
    );
    await setContext(CONTEXT.hasRuns, runs.length > 0);
    this.changed.fire();
  }

  /** File events coalesced into one re-read per quiet period; a failed re-read is logged and the next one runs. */
  private newQueue(): CoalescingQueue<string> {
    const logFailure = (e: unknown) => {
      this.log.error(`re-reading changed files failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    };
    return new CoalescingQueue((paths) => this.onFiles(paths), this.settings.debounceMs(), undefined, logFailure);
  }

  private async onFiles(paths: string[]): Promise<void> {
    try {
      await this.readChanges(paths);
    } catch (e) {
      this.log.error(
        `re-reading ${paths.length} changed file(s) failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private async readChanges(paths: string[]): Promise<void> {
    await this.scanning;
    let anyChange = false;
    for (const state of this.folders) {
      const root = state.folder.uri.fsPath;
      const mine = paths.filter((p) => p === root || p.startsWith(root + '/'));
      if (!mine.length) continue;
      // The catalog sorts out what the paths are: appended logs (read from the last byte), new files or folders
      // (detected in the affected folder only), deletions.
      const c = await state.catalog.applyFileEvents(mine);
      anyChange = anyChange || c.added.length > 0 || c.updated.length > 0 || c.removed.length > 0;
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
