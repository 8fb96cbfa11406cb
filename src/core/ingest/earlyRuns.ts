import { dirname, sep } from 'node:path';
import { childPath } from '../util/childPath';
import { CONFIG_NAMES, inConfigOrder } from './common';
import { isLayoutFolder } from './catalogPaths';
import { Fifo } from '../util/fifo';
import { isJsonLinesName, isSystemMetricsLog } from './lines/jsonLinesNames';
import { prefetchHeads } from './readAhead';
import type { FileEntry, RunSource } from './types';

/**
 * Runs guessed while the walk is still going, so that reading starts before the whole tree is listed (a folder of
 * 10,000 runs is otherwise a second of walking with nothing read). Only the plainest layout is guessed: a folder
 * with no subfolders whose files are one JSON-lines log and configs. Whole-tree detection still decides: a guessed
 * run is kept only when detection finds the same source (format, id, files and configs), else it is dropped.
 */

const NONE: readonly string[] = [];

export class EarlyRuns {
  /** Config files of each folder listed so far, in the order nearbyConfigs gives them. */
  private readonly configsIn = new Map<string, readonly string[]>();

  /** The root with a trailing separator: a folder below it starts with this. */
  private readonly prefix: string;

  constructor(root: string) {
    this.prefix = root.endsWith(sep) ? root : root + sep;
  }

  /**
   * A folder the walk has listed (its parent was listed before it: the walk goes level by level): the run it
   * surely holds, or undefined when detection may see it otherwise.
   */
  folder(dir: string, files: readonly FileEntry[], subfolders: number): RunSource | undefined {
    let configs: string[] | undefined;
    let log: FileEntry | undefined;
    let other = false;
    for (const f of files) {
      if (CONFIG_NAMES.has(f.name)) (configs ??= []).push(f.name);
      else if (!log && isJsonLinesName(f.name) && !isSystemMetricsLog(f.name)) log = f;
      else other = true;
    }
    this.configsIn.set(dir, configs ? inConfigOrder(configs).map((n) => childPath(dir, n)) : NONE);
    if (!log || other || subfolders > 0 || !dir.startsWith(this.prefix)) return undefined;
    // the walk joined the names below the root: this is relative(root, dir), without its cost per folder
    const rel = dir.slice(this.prefix.length);
    // a layout folder (metrics/, files/, checkpoint-N/…) on the way belongs to another format's run (runFolderOf)
    if (!rel || rel.split(sep).some(isLayoutFolder)) return undefined;
    // nearbyConfigs: the folder's configs, then its parent's (inside the root, since the folder is below it)
    const above = this.configsIn.get(dirname(dir));
    if (!above) return undefined;
    const here = this.configsIn.get(dir) ?? NONE;
    return {
      id: rel.split('\\').join('/'), // as runId writes it
      format: 'jsonl',
      dir,
      files: [log.path],
      configFiles: [...here, ...above],
    };
  }
}

/** Whether detection found the source a guess made: same configs too (the key compares format, id and files). */
export function sameConfigs(a: RunSource, b: RunSource): boolean {
  return a.configFiles.length === b.configFiles.length && a.configFiles.every((f, i) => f === b.configFiles[i]);
}

/**
 * Early reads, `limit` at a time in the order added. The files of the reads added in one turn of the event loop are
 * read ahead together (see prefetchHeads): the walk hears of folders a worker's batch at a time.
 */
export class EarlyReads {
  private readonly waiting = new Fifo<() => void>();
  private ahead: string[] = [];
  private active = 0;

  constructor(private readonly limit: number) {}

  /** Queues a read of `files`; settles as `read` does, once it has had its turn. */
  add<T>(files: readonly string[], read: () => Promise<T>): Promise<T> {
    if (!this.ahead.length)
      setImmediate(() => {
        prefetchHeads(this.ahead);
        this.ahead = [];
        this.pump();
      });
    this.ahead.push(...files);
    // one promise and one closure wait per read: 10,000 reads queued during a walk live long enough to be promoted
    // to the old generation, and a chain of then/finally promises per read was most of what that cost
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        read()
          .then(resolve, reject)
          .finally(() => {
            this.active--;
            this.pump();
          });
      });
    });
  }

  private pump(): void {
    while (this.active < this.limit && this.waiting.size) {
      this.active++;
      (this.waiting.shift() as () => void)();
    }
  }
}
