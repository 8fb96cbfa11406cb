/**
 * Size-and-mtime signatures of the files a reader reads whole each time they change (an SQLite store, a summary
 * table, W&B's rewritten summary JSON, MLflow's meta.yaml and param files): the read happens only after the file's
 * signature moved, so an update over an unchanged folder reads nothing.
 */
import { stat } from 'node:fs/promises';

export class FileSignatures {
  private readonly seen = new Map<string, string>();

  /**
   * Whether `path` changed since the last call that said so; records the new signature. Throws when `path` cannot
   * be stat'ed: each reader decides whether a missing file is news or normal.
   */
  async changed(path: string): Promise<boolean> {
    const st = await stat(path);
    const sig = `${st.size}:${st.mtimeMs}`;
    if (this.seen.get(path) === sig) return false;
    this.seen.set(path, sig);
    return true;
  }

  /** Whether `path` changed, a file that cannot be stat'ed counting as unchanged (an optional file not written yet). */
  async changedIfPresent(path: string): Promise<boolean> {
    try {
      return await this.changed(path);
    } catch {
      return false;
    }
  }

  /** Forgets `path`, so its next check reports a change: it could not be read this time and is worth another try. */
  forget(path: string): void {
    this.seen.delete(path);
  }
}
