import { sourceKey } from './catalogPaths';
import type { Entry, Root } from './catalogEntries';
import { errorMessage } from './common';
import { fileSizeOrMissing } from './fileIo';
import { IO_CONCURRENCY, mapLimit, yieldWhenBusy } from './concurrency';
import { EarlyReads, EarlyRuns } from './earlyRuns';
import { jsonlFormat } from './readers/jsonl';
import { dropPrefetched, prefetchHeads } from './readAhead';
import type { ReaderOptions } from './types';
import type { OnFolder } from './walk';

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

/**
 * Gives entries whose size was not known (see Entry.bytes) the size of their files, a bounded number of stats at a
 * time; a file that cannot be stat-ed counts 0 (its reader reports it).
 */
async function sizeEntries(entries: readonly Entry[]): Promise<void> {
  const files = entries.flatMap((e) => e.source.files);
  const sizes = await mapLimit(files, IO_CONCURRENCY, fileSizeOrMissing);
  let i = 0;
  for (const e of entries) {
    let bytes = 0;
    for (let n = e.source.files.length; n > 0; n--) bytes += Math.max(0, sizes[i++]);
    e.bytes = bytes;
  }
}

/** How far a scan has got: runs read so far of those detected (`total` grows while folders are still walked). */
export interface ScanProgress {
  runs: number;
  total: number;
}

/**
 * How a Catalog's readers read: many small runs at once and large ones a few at a time, files read ahead in
 * batches, runs read while the walk goes on (see readEarly), and progress counted as they finish.
 */
export class CatalogReads {
  private progress: ((p: ScanProgress) => void) | undefined;
  /** Runs read since the scan or update began (progress counts them once, early or not). */
  private readCount = 0;
  /** Runs being read while the walk goes on (see EarlyRuns), with whether their read changed them. */
  readonly early = new Map<Entry, Promise<boolean>>();

  constructor(private readonly opts: ReaderOptions) {}

  /** A scan begins: reads are counted from zero and reported to `onProgress`. */
  begin(onProgress: ((p: ScanProgress) => void) | undefined): void {
    this.progress = onProgress;
    this.readCount = 0;
  }

  /** The scan ended: no more progress, and runs read early are ordinary runs now. */
  end(): void {
    this.progress = undefined;
    this.early.clear();
  }

  /**
   * Runs each reader's update, small runs many at a time and large ones a few at a time (see SMALL_RUN_BYTES);
   * returns the ids of runs that changed.
   */
  async updateAll(targets: Iterable<Entry>): Promise<string[]> {
    const all = [...targets];
    const total = all.length;
    if (!this.early.size) this.readCount = 0;
    const out: string[] = [];
    const update = async (entry: Entry): Promise<void> => {
      const early = this.early.get(entry);
      if (early) {
        // read while the walk went on: counted then
        if (await early) for (const r of entry.reader.runs) out.push(r.id);
        return;
      }
      if (await this.read(entry)) for (const r of entry.reader.runs) out.push(r.id);
      this.progress?.({ runs: Math.min(this.readCount, total), total });
    };
    await sizeEntries(all.filter((e) => Number.isNaN(e.bytes) && !this.early.has(e)));
    const small = all.filter((e) => e.bytes < SMALL_RUN_BYTES);
    const large = all.filter((e) => !(e.bytes < SMALL_RUN_BYTES));
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
   * (EARLY_READERS at a time, its files read ahead in batches), listed as soon as it is read (`add` lists
   * it). Detection keeps it when it finds the same run, else drops it.
   */
  readEarly(root: Root, add: (entry: Entry) => void): OnFolder {
    const guesses = new EarlyRuns(root.path);
    const queue = new EarlyReads(EARLY_READERS);
    let guessed = 0;
    return (dir, files, subfolders) => {
      const source = guesses.folder(dir, files, subfolders);
      if (!source) return;
      // a log of unknown size (see FileEntry.size) is read too: a large one is read in chunks as any log is
      const bytes = files.find((f) => f.path === source.files[0])?.size ?? 0;
      if (bytes >= SMALL_RUN_BYTES) return;
      const reader = jsonlFormat.open(source, this.opts);
      const entry: Entry = { root, key: sourceKey(source), source, reader, bytes, read: false };
      add(entry);
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
}
