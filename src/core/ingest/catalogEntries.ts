import { basename } from 'node:path';
import { isUnder, sourceKey } from './catalogPaths';
import type { FoundRun } from './detectRuns';
import { sameConfigs } from './earlyRuns';
import { timeSlicer } from './concurrency';
import type { ReaderOptions, RunReader, RunSource } from './types';

/** A scan root of a Catalog. */
export interface Root {
  path: string;
  /** The scan root is a single file: runs are read from it alone. */
  isFile: boolean;
  /** Folder run ids are relative to (the file's folder when the root is a file). */
  idBase: string;
}

/** One detected run source of a Catalog and its reader. */
export interface Entry {
  root: Root;
  /** Format, id and files as detected: a run whose id or files change gets a fresh reader. */
  key: string;
  source: RunSource;
  reader: RunReader;
  /**
   * Size of the run's files when detected, to choose how many readers of its kind run at once; NaN until known (the
   * walk does not stat regular files: see FileEntry.size), and then found out before the reader's next update.
   */
  bytes: number;
  /** The reader has read once: its runs are listed (while a scan goes on, runs appear as they are read). */
  read: boolean;
}

/** Whether an entry's reader reads a path: its logs, its configs, or files it found since the scan. */
export function owns(e: Entry, p: string): boolean {
  return (
    e.source.files.includes(p) || e.source.configFiles.includes(p) || e.reader.runs.some((r) => r.files.includes(p))
  );
}

export interface Reconciled {
  /** Every entry after the detection: those outside `dir` as they were, then those found in it. */
  entries: Entry[];
  /** The entries found in `dir`: kept ones first read before, new ones not yet read. */
  fresh: Entry[];
}

/**
 * The entries after `found` was detected under `dir` (a root, or a subtree of one): runs still found keep their
 * reader (and what it has read), new runs get one, runs no longer found are dropped. A run read early (`early`,
 * see EarlyRuns) is kept only when detection found it whole, with its configs. Two roots may overlap: a run is
 * listed once. `sizes`: the walked files' sizes. Yields to the event loop now and then: for 100,000 runs this is
 * most of a second of work.
 */
export async function reconcileEntries(
  entries: readonly Entry[],
  root: Root,
  dir: string,
  found: readonly FoundRun[],
  sizes: ReadonlyMap<string, number>,
  early: ReadonlyMap<Entry, unknown>,
  opts: ReaderOptions,
): Promise<Reconciled> {
  const slice = timeSlicer();
  const inside = (e: Entry) =>
    e.root === root && (dir === root.path || e.source.dir === dir || isUnder(e.source.dir, dir));
  const old = new Map(entries.filter(inside).map((e) => [e.key, e]));
  const others = entries.filter((e) => !inside(e));
  const taken = new Set(others.map((e) => e.key));
  const usedIds = new Set(others.map((e) => e.source.id));
  const fresh: Entry[] = [];
  for (const { fmt, source } of found) {
    const pause = slice();
    if (pause) await pause;
    const key = sourceKey(source);
    if (taken.has(key)) continue;
    taken.add(key);
    const kept = old.get(key);
    if (kept && (!early.has(kept) || sameConfigs(kept.source, source))) {
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
      reader: fmt.open(source, opts),
      bytes: source.files.reduce((n, f) => n + (sizes.get(f) ?? 0), 0),
      read: false,
    });
  }
  return { entries: [...others, ...fresh], fresh };
}
