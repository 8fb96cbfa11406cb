import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { dataDiagnostics, type Diagnostic, type Run } from '../model/run';
import { isUnder, looksLikeLogFile, outermost, pathKind, runFolderOf, sourceKey } from './catalogPaths';
import { errorMessage } from './common';
import { IO_CONCURRENCY, mapLimit, yieldToEventLoop, yieldWhenBusy } from './concurrency';
import { EarlyReads, EarlyRuns, sameConfigs } from './earlyRuns';
import { FORMATS } from './formats';
import { jsonlFormat } from './readers/jsonl';
import { dropPrefetched, prefetchHeads } from './readAhead';
import type { FormatDef, ReaderOptions, RunReader, RunSource } from './types';
import { silentFolders } from './silentFolders';
import { scanContext, walk, type OnFolder, type WalkOptions } from './walk';

export { looksLikeLogFile } from './catalogPaths';

/**
 * Readers of large runs updated at once. More than one, so a reader waiting on the disk does not leave the CPU
 * idle; few, because each holds a 4 MiB read buffer and decoded text, and parsing is single-threaded anyway.
 */
const READ_AHEAD = 3;
/**
 * Runs whose files add up to less than this are small: many of them are read at once (IO_CONCURRENCY), since a
 * folder of 10,000 small runs is mostly opens, stats and small reads waiting on the thread pool, and each holds
 * only a small buffer.
 */
const SMALL_RUN_BYTES = 1 << 20;
/**
 * Formats whose first read is its config files then its log's head through readHead (JsonlReader, CsvReader): their
 * files are read ahead (see prefetchHeads). Other readers read in their own way; reading ahead for them is waste.
 */
const PREFETCHED = new Set<string>(['jsonl', 'csv']);
/**
 * Runs read at once while the walk goes on (see EarlyRuns): few, so that the walk's own work on the main thread
 * (listings answered by the I/O worker) keeps its pace beside them.
 */
const EARLY_READERS = 8;

export interface CatalogOptions extends ReaderOptions, WalkOptions {
  formats?: FormatDef[];
}

/** How far a scan has got: runs read so far of those detected (`total` grows while folders are still walked). */
export interface ScanProgress {
  runs: number;
  total: number;
}

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

interface Root {
  path: string;
  /** The scan root is a single file: runs are read from it alone. */
  isFile: boolean;
  /** Folder run ids are relative to (the file's folder when the root is a file). */
  idBase: string;
}

interface Entry {
  root: Root;
  /** Format, id and files as detected: a run whose id or files change gets a fresh reader. */
  key: string;
  source: RunSource;
  reader: RunReader;
  /** Size of the run's files when detected, to choose how many readers of its kind run at once. */
  bytes: number;
  /** The reader has read once: its runs are listed (while a scan goes on, runs appear as they are read). */
  read: boolean;
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
  private progress: ScanOptions['onProgress'];
  /** Runs read since the scan or update began (progress counts them once, early or not). */
  private readCount = 0;
  /** Runs being read while the walk goes on (see EarlyRuns), with whether their read changed them. */
  private early = new Map<Entry, Promise<boolean>>();

  constructor(
    readonly roots: string[],
    private readonly opts: CatalogOptions = {},
  ) {
    this.rootList = roots.map((r) => ({ path: resolve(r), isFile: false, idBase: resolve(r) }));
  }

  /** Finds the runs under every root and reads them; readers of runs found before are kept (with their offsets). */
  async scan(opts: ScanOptions = {}): Promise<CatalogChange> {
    this.progress = opts.onProgress;
    this.readCount = 0;
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
      this.progress = undefined;
      this.early.clear();
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
    const before = this.runIds();
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
    const early = await this.updateAll(touched);
    touched.clear();
    for (const u of unclaimed)
      if (!this.entries.some((e) => e.root === u.root && owns(e, u.path)))
        subtrees.push({ root: u.root, dir: u.path, kind: 'file' });
    for (const s of outermost(subtrees.map((t) => ({ root: t.root, dir: this.subtreeFor(t.root, t.dir, t.kind) })))) {
      for (const e of await this.detect(s.root, s.dir)) touched.add(e);
    }
    return this.finish(before, touched, early);
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
    return new Set(this.entries.flatMap((e) => e.reader.runs.map((r) => r.id)));
  }

  /** Reads the touched entries that still exist, and works out what changed since `before`. */
  private async finish(before: Set<string>, touched: Set<Entry>, early: string[] = []): Promise<CatalogChange> {
    const live = new Set(this.entries);
    const updated = [...early, ...(await this.updateAll([...touched].filter((e) => live.has(e))))];
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
   * Runs each reader's update, small runs many at a time and large ones a few at a time (see SMALL_RUN_BYTES);
   * returns the ids of runs that changed.
   */
  private async updateAll(targets: Iterable<Entry>): Promise<string[]> {
    const all = [...targets];
    const total = all.length;
    if (!this.early.size) this.readCount = 0;
    const out: string[] = [];
    const update = async (entry: Entry): Promise<void> => {
      const early = this.early.get(entry);
      if (early) {
        // read while the walk went on: counted then
        if (await early) out.push(...entry.reader.runs.map((r) => r.id));
        return;
      }
      if (await this.read(entry)) out.push(...entry.reader.runs.map((r) => r.id));
      this.progress?.({ runs: Math.min(this.readCount, total), total });
    };
    const small = all.filter((e) => e.bytes < SMALL_RUN_BYTES);
    const large = all.filter((e) => e.bytes >= SMALL_RUN_BYTES);
    // what the first read of small text-log runs takes, in the order they take it: configs, then the log's head
    prefetchHeads(
      small.flatMap((e) =>
        !e.read && !this.early.has(e) && PREFETCHED.has(e.source.format)
          ? [...e.source.configFiles, ...e.source.files]
          : [],
      ),
    );
    try {
      await Promise.all([mapLimit(small, IO_CONCURRENCY, update), mapLimit(large, READ_AHEAD, update)]);
    } finally {
      dropPrefetched(); // a file read ahead and not taken (a reader that stopped early) is not kept
    }
    return out;
  }

  /** One reader's update; whether its runs changed. Counts the read (see readCount). */
  private async read(entry: Entry): Promise<boolean> {
    // bytes read ahead are waiting, so reader after reader could run without letting the event loop turn
    await yieldWhenBusy();
    let changed = false;
    try {
      changed = await entry.reader.update();
    } catch (err) {
      // A reader must not throw, but a bug in one must not stop the others.
      entry.reader.diagnostics.push({
        file: entry.source.files[0] ?? entry.source.dir,
        message: `reader failed: ${errorMessage(err)}`,
        severity: 'error',
      });
    }
    entry.read = true;
    this.readCount++;
    return changed;
  }

  /**
   * What the walk of a first scan hears of each folder: a run EarlyRuns is sure of gets its reader now and is read
   * (IO_CONCURRENCY at a time, its files read ahead in batches), listed as soon as it is read. detect() keeps it
   * when it finds the same run, else drops it.
   */
  private readEarly(root: Root): OnFolder {
    const guesses = new EarlyRuns(root.path);
    const queue = new EarlyReads(EARLY_READERS);
    let guessed = 0;
    return (dir, files, subfolders) => {
      const source = guesses.folder(dir, files, subfolders);
      if (!source) return;
      const bytes = files.find((f) => f.path === source.files[0])?.size ?? 0;
      if (bytes >= SMALL_RUN_BYTES) return;
      const reader = jsonlFormat.open(source, this.opts);
      const entry: Entry = { root, key: sourceKey(source), source, reader, bytes, read: false };
      this.entries.push(entry);
      guessed++;
      // in the map before it starts, so that updateAll waits for this read instead of starting another
      this.early.set(
        entry,
        queue.add([...source.configFiles, ...source.files], async () => {
          const changed = await this.read(entry);
          this.progress?.({ runs: this.readCount, total: Math.max(guessed, this.readCount) });
          return changed;
        }),
      );
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
    const onFolder = guess && formats.includes(jsonlFormat) ? this.readEarly(root) : undefined;
    let pool =
      (await pathKind(dir)) === 'missing' && dir !== root.path ? [] : await walk(dir, diagnostics, this.opts, onFolder);
    const walked = pool;
    const ctx = scanContext(root.idBase, pool, diagnostics);
    const sizes = new Map(pool.map((f) => [f.path, f.size]));
    const found: { fmt: FormatDef; source: RunSource }[] = [];
    for (const fmt of formats) {
      // detection of a large tree is long synchronous work: let the host's event loop run between formats
      await yieldToEventLoop();
      let sources: RunSource[] = [];
      try {
        sources = await fmt.detect(pool, ctx);
      } catch (e) {
        diagnostics.push({
          file: dir,
          message: `${fmt.format} detection failed: ${errorMessage(e)}`,
          severity: 'error',
        });
      }
      const claimed = new Set(sources.flatMap((s) => s.files));
      pool = pool.filter((f) => !claimed.has(f.path));
      for (const source of sources) found.push({ fmt, source });
    }
    diagnostics.push(
      ...silentFolders(
        walked,
        found.map((f) => f.source),
      ),
    );
    // A run found here whose folder lies above `dir` (a layout the path rules did not know): detect from there.
    const above = found
      .map((f) => f.source.dir)
      .filter((d) => isUnder(dir, d) && (d === root.path || isUnder(d, root.path)));
    if (above.length) return this.detect(root, above.sort((a, b) => a.length - b.length)[0]);

    const inside = (e: Entry) =>
      e.root === root && (dir === root.path || e.source.dir === dir || isUnder(e.source.dir, dir));
    const old = new Map(this.entries.filter(inside).map((e) => [e.key, e]));
    const others = this.entries.filter((e) => !inside(e));
    const taken = new Set(others.map((e) => e.key));
    const usedIds = new Set(others.map((e) => e.source.id));
    const fresh: Entry[] = [];
    for (const { fmt, source } of found) {
      const key = sourceKey(source);
      if (taken.has(key)) continue; // two roots may overlap; a run is listed once
      taken.add(key);
      const kept = old.get(key);
      // a run read early is kept only when detection found it whole: its configs too
      if (kept && (!this.early.has(kept) || sameConfigs(kept.source, source))) {
        usedIds.add(kept.source.id);
        fresh.push(kept);
        continue;
      }
      // Two formats in one folder (a metrics.jsonl beside a metrics.csv) would share the folder's id.
      if (usedIds.has(source.id)) source.id = `${source.id}/${basename(source.files[0] ?? source.dir)}`;
      usedIds.add(source.id);
      fresh.push({
        root,
        key,
        source,
        reader: fmt.open(source, this.opts),
        bytes: source.files.reduce((n, f) => n + (sizes.get(f) ?? 0), 0),
        read: false,
      });
    }
    this.entries = [...others, ...fresh];
    this.scanDiagnostics = [
      ...this.scanDiagnostics.filter((d) => !(d.file === dir || isUnder(d.file, dir))),
      ...diagnostics,
    ];
    return fresh;
  }
}

function owns(e: Entry, p: string): boolean {
  return (
    e.source.files.includes(p) || e.source.configFiles.includes(p) || e.reader.runs.some((r) => r.files.includes(p))
  );
}
