import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { dataDiagnostics, type Diagnostic, type Run } from '../model/run';
import { type Entry, owns, reconcileEntries, type Root } from './catalogEntries';
import { CatalogReads, type ScanProgress } from './catalogReads';
import { isUnder, looksLikeLogFile, outermost, pathKind, runFolderOf } from './catalogPaths';
import { detectRuns } from './detectRuns';
import { FORMATS } from './formats';
import { jsonlFormat } from './readers/jsonl';
import type { FormatDef, ReaderOptions, RunSource } from './types';
import { scanContext, walk, type WalkOptions } from './walk';

export { looksLikeLogFile } from './catalogPaths';

export interface CatalogOptions extends ReaderOptions, WalkOptions {
  formats?: FormatDef[];
}

export type { ScanProgress } from './catalogReads';

export interface ScanOptions {
  /** Called as readers finish (often, cheaply): the runs read so far are in runs() already. */
  onProgress?: (p: ScanProgress) => void;
}

/** What a batch of file events did to the runs, by run id. */
export interface CatalogChange {
  /** Runs that appeared: a new run folder, a new log file that starts a run. */
  added: string[];
  /** Runs whose data or config changed: points appended, a file rewritten, a config edited. */
  updated: string[];
  /** Runs that are gone: their files or folder deleted, an MLflow run marked deleted. */
  removed: string[];
}

/**
 * All runs under a set of roots, kept current.
 * - `scan()` finds every run (detection) and reads it; a re-scan keeps the readers of runs still there.
 * - `applyFileEvents(paths)` is what a watcher calls with created, changed or deleted paths (files or folders):
 *   readers owning a path read what was appended; a path no reader owns makes the readers of its run folder look
 *   (a new checkpoint, event file or metric file is found by them), and if still unclaimed, only the folder
 *   subtree around it is detected again. It returns the run ids added, updated and removed.
 */
export class Catalog {
  private entries: Entry[] = [];
  private scanDiagnostics: Diagnostic[] = [];
  private readonly rootList: Root[];
  private readonly reads: CatalogReads;

  constructor(
    readonly roots: string[],
    private readonly opts: CatalogOptions = {},
  ) {
    this.rootList = roots.map((r) => ({ path: resolve(r), isFile: false, idBase: resolve(r) }));
    this.reads = new CatalogReads(opts);
  }

  /** Finds the runs under every root and reads them; readers of runs found before are kept (with their offsets). */
  async scan(opts: ScanOptions = {}): Promise<CatalogChange> {
    this.reads.begin(opts.onProgress);
    const before = this.runIds();
    const touched = new Set<Entry>();
    for (const root of this.rootList) {
      try {
        const st = await stat(root.path);
        root.isFile = st.isFile();
      } catch {
        root.isFile = false; // walk reports it
      }
      root.idBase = root.isFile ? resolve(root.path, '..') : root.path;
      // a first scan of a folder starts reading the plainest runs while the walk is still going
      const guess = !root.isFile && !this.entries.some((e) => e.root === root);
      for (const e of await this.detect(root, root.path, guess)) touched.add(e);
    }
    try {
      return await this.finish(before, touched);
    } finally {
      this.reads.end();
    }
  }

  /** Reads what is new in every run (or, given paths, see applyFileEvents); returns the ids added or updated. */
  async refresh(changed?: string[]): Promise<string[]> {
    if (changed) {
      const c = await this.applyFileEvents(changed);
      return [...c.added, ...c.updated, ...c.removed];
    }
    const before = this.runIds();
    return this.finish(before, new Set(this.entries)).then((c) => [...c.added, ...c.updated]);
  }

  /**
   * Applies a batch of file-system events (paths created, changed or deleted; files or folders). Cheap for the
   * common case (an append to a known log reads only the appended bytes); a new or deleted run folder costs a
   * walk of that folder only.
   */
  async applyFileEvents(paths: string[]): Promise<CatalogChange> {
    const touched = new Set<Entry>();
    const unclaimed: { root: Root; path: string }[] = [];
    const subtrees: { root: Root; dir: string; kind: 'file' | 'dir' | 'missing' }[] = [];
    for (const p of new Set(paths.map((x) => resolve(x)))) {
      const root = this.rootList.find((r) => p === r.path || isUnder(p, r.path));
      if (!root) continue;
      if (root.isFile) {
        for (const e of this.entries) if (e.root === root) touched.add(e);
        continue;
      }
      const kind = await pathKind(p);
      const owners = this.entries.filter((e) => e.root === root && owns(e, p));
      for (const e of owners) touched.add(e);
      if (kind === 'missing') {
        // A deleted log file, or a deleted folder holding runs: detect that part again.
        const inside = this.entries.some(
          (e) => e.root === root && (isUnder(e.source.dir, p) || e.source.files.some((f) => f === p || isUnder(f, p))),
        );
        if (owners.some((e) => e.source.files.includes(p)) || inside) subtrees.push({ root, dir: p, kind });
        continue;
      }
      if (owners.length) continue;
      if (kind === 'dir') {
        subtrees.push({ root, dir: p, kind });
        continue;
      }
      // The readers of the run folders around the file list their folders on update: they claim what is theirs.
      for (const e of this.entries) if (e.root === root && isUnder(p, e.source.dir)) touched.add(e);
      if (looksLikeLogFile(p)) unclaimed.push({ root, path: p });
    }
    // The readers read now, so that files they claim are no longer unclaimed below; finish() does not read them twice.
    // Only their runs can change meanwhile: what the others hold is the same before and after.
    const read = [...touched];
    const readBefore = runIdsOf(read);
    const early = await this.reads.updateAll(read);
    touched.clear();
    for (const u of unclaimed)
      if (!this.entries.some((e) => e.root === u.root && owns(e, u.path)))
        subtrees.push({ root: u.root, dir: u.path, kind: 'file' });
    // the common case, an append to known logs: the change is worked out from the readers that read (a pass over
    // every run's id was most of the cost at 100,000 runs)
    if (!subtrees.length) return this.changeOfReaders(read, readBefore, early);
    const readSet = new Set(read);
    const before = new Set(readBefore);
    for (const e of this.entries) if (!readSet.has(e)) for (const r of e.reader.runs) before.add(r.id);
    for (const s of outermost(subtrees.map((t) => ({ root: t.root, dir: this.subtreeFor(t.root, t.dir, t.kind) })))) {
      for (const e of await this.detect(s.root, s.dir)) touched.add(e);
    }
    return this.finish(before, touched, early);
  }

  /**
   * What finish() would say when only the readers in `read` changed (no detection ran): runs they gained, lost or
   * updated. An id they gained or lost that another reader also holds (ids are distinct, but a catalog of two
   * overlapping roots is checked, not assumed) was neither added nor removed.
   */
  private changeOfReaders(read: readonly Entry[], before: ReadonlySet<string>, updated: string[]): CatalogChange {
    const after = runIdsOf(read);
    let added = [...after].filter((id) => !before.has(id));
    let removed = [...before].filter((id) => !after.has(id));
    if (added.length || removed.length) {
      const readSet = new Set(read);
      const elsewhere = runIdsOf(this.entries.filter((e) => !readSet.has(e)));
      added = added.filter((id) => !elsewhere.has(id));
      removed = removed.filter((id) => !elsewhere.has(id));
    }
    const isNew = new Set(added);
    return {
      added: added.sort(),
      updated: [...new Set(updated)].filter((id) => !isNew.has(id) && after.has(id)).sort(),
      removed: removed.sort(),
    };
  }

  /** Whether a path is a file some reader reads (its logs, configs, or files it found since the scan). */
  owns(path: string): boolean {
    const p = resolve(path);
    return this.entries.some((e) => owns(e, p));
  }

  /** The runs read so far (all of them once scan() has resolved), by id. */
  runs(): Run[] {
    return this.entries
      .flatMap((e) => (e.read ? e.reader.runs : []))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  diagnostics(): Diagnostic[] {
    return [
      ...this.scanDiagnostics,
      ...this.entries.flatMap((e) => [
        ...e.reader.diagnostics,
        ...e.reader.runs.flatMap((r) => dataDiagnostics(r, e.reader.diagnostics.length > 0)),
      ]),
    ];
  }

  /** Every file a reader reads, for a polling watcher: logs, configs, and files readers found since the scan. */
  watchedFiles(): string[] {
    const out = new Set<string>();
    for (const e of this.entries) {
      for (const f of [...e.source.files, ...e.source.configFiles]) out.add(f);
      for (const r of e.reader.runs) for (const f of r.files) out.add(f);
    }
    return [...out];
  }

  /** The run folders, for a polling watcher: a folder whose listing changed is passed to applyFileEvents. */
  watchedFolders(): string[] {
    return [...new Set(this.entries.map((e) => e.source.dir))];
  }

  sources(): RunSource[] {
    return this.entries.map((e) => e.source);
  }

  private runIds(): Set<string> {
    return runIdsOf(this.entries);
  }

  /** Reads the touched entries that still exist, and works out what changed since `before`. */
  private async finish(before: Set<string>, touched: Set<Entry>, early: string[] = []): Promise<CatalogChange> {
    const live = new Set(this.entries);
    const updated = [...early, ...(await this.reads.updateAll([...touched].filter((e) => live.has(e))))];
    const after = this.runIds();
    const added = [...after].filter((id) => !before.has(id));
    const removed = [...before].filter((id) => !after.has(id));
    const isNew = new Set(added);
    return {
      added: added.sort(),
      updated: [...new Set(updated)].filter((id) => !isNew.has(id) && after.has(id)).sort(),
      removed: removed.sort(),
    };
  }

  /**
   * The folder to detect again for a path: its run folder (see runFolderOf), widened to any known run whose files
   * reach into it, so that detection sees each run whole (a checkpoint folder belongs to its output folder's run).
   */
  private subtreeFor(root: Root, path: string, kind: 'file' | 'dir' | 'missing'): string {
    // a new folder may be a layout folder too (a checkpoint-<step>/ appearing): judge it by a file inside it
    let dir =
      kind === 'file' ? runFolderOf(root.path, path) : kind === 'dir' ? runFolderOf(root.path, join(path, '_')) : path;
    const within = (f: string) => f === dir || isUnder(f, dir);
    for (let widened = true; widened;) {
      widened = false;
      for (const e of this.entries) {
        if (e.root !== root || e.source.dir === dir || !isUnder(dir, e.source.dir)) continue;
        if (e.source.files.some(within) || e.reader.runs.some((r) => r.files.some(within))) {
          dir = e.source.dir;
          widened = true;
        }
      }
    }
    return dir;
  }

  /**
   * Detects the runs under `dir` (a root, or a subtree of one) and replaces the entries there: runs still found
   * keep their reader, new runs get one, runs no longer found are dropped. Returns the entries to read.
   */
  private async detect(root: Root, dir: string, guess = false): Promise<Entry[]> {
    const diagnostics: Diagnostic[] = [];
    const formats = this.opts.formats ?? FORMATS;
    const onFolder =
      guess && formats.includes(jsonlFormat)
        ? this.reads.readEarly(root, (entry) => this.entries.push(entry))
        : undefined;
    const walked =
      (await pathKind(dir)) === 'missing' && dir !== root.path ? [] : await walk(dir, diagnostics, this.opts, onFolder);
    const ctx = scanContext(root.idBase, walked, diagnostics);
    const found = await detectRuns(dir, walked, formats, ctx, diagnostics);
    // A run found here whose folder lies above `dir` (a layout the path rules did not know): detect from there.
    const above = found
      .map((f) => f.source.dir)
      .filter((d) => isUnder(dir, d) && (d === root.path || isUnder(d, root.path)));
    if (above.length) return this.detect(root, above.sort((a, b) => a.length - b.length)[0]);

    const sizes = new Map(walked.map((f) => [f.path, f.size]));
    const { entries, fresh } = await reconcileEntries(
      this.entries,
      root,
      dir,
      found,
      sizes,
      this.reads.early,
      this.opts,
    );
    this.entries = entries;
    this.scanDiagnostics = [
      ...this.scanDiagnostics.filter((d) => !(d.file === dir || isUnder(d.file, dir))),
      ...diagnostics,
    ];
    return fresh;
  }
}

/** The ids of the runs the entries' readers hold. */
function runIdsOf(entries: readonly Entry[]): Set<string> {
  const ids = new Set<string>();
  for (const e of entries) for (const r of e.reader.runs) ids.add(r.id);
  return ids;
}
