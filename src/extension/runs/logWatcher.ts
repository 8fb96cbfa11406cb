import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';

/**
 * Tells which log files changed, by file-system events or, on network file systems where events are unreliable,
 * by polling the sizes and mtimes of the files the readers own. Either way the events go to one callback,
 * which feeds the coalescing queue.
 */
const RESCAN_EVERY = 30;

export class LogWatcher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private readonly lastSeen = new Map<string, string>();

  constructor(
    private readonly folder: vscode.WorkspaceFolder,
    private readonly onChange: (path: string, kind: 'change' | 'create' | 'delete') => void,
  ) {}

  /** Watches with events: every file under the folder (the readers decide what matters). */
  watchEvents(): void {
    // A RelativePattern on the folder, never a bare path: VS Code then uses its recursive watcher.
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.folder, '**/*'));
    this.disposables.push(
      w,
      w.onDidChange((u) => {
        this.onChange(u.fsPath, 'change');
      }),
      w.onDidCreate((u) => {
        this.onChange(u.fsPath, 'create');
      }),
      w.onDidDelete((u) => {
        this.onChange(u.fsPath, 'delete');
      }),
    );
  }

  /**
   * Polls the given files and folders every `intervalMs` (a folder's mtime changes when a file is added to it);
   * `files()` is read each time so new runs are covered. A run in a brand-new folder outside every known run is
   * only found by a scan, so `rescan` is asked for every RESCAN_EVERY polls.
   */
  poll(files: () => string[], intervalMs: number, rescan: () => void): void {
    let busy = false;
    let polls = 0;
    const pollOnce = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      if (++polls % RESCAN_EVERY === 0) rescan();
      try {
        for (const f of files()) {
          let sig = 'missing';
          try {
            const s = await stat(f);
            sig = `${s.size}:${s.mtimeMs}`;
          } catch {
            // deleted or unreadable: reported as a change so the reader can say what happened
          }
          const prev = this.lastSeen.get(f);
          this.lastSeen.set(f, sig);
          if (prev !== undefined && prev !== sig) this.onChange(f, sig === 'missing' ? 'delete' : 'change');
        }
      } finally {
        busy = false;
      }
    };
    this.pollTimer = setInterval(() => void pollOnce(), intervalMs);
  }

  dispose(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
