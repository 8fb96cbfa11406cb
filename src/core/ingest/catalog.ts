import { resolve } from 'node:path';
import type { Diagnostic, Run } from '../model/run';
import { errorMessage } from './common';
import { FORMATS } from './formats';
import type { FormatDef, ReaderOptions, RunReader, RunSource } from './types';
import { headCache, walk, type WalkOptions } from './walk';

export interface CatalogOptions extends ReaderOptions, WalkOptions {
  formats?: FormatDef[];
}

interface Entry {
  source: RunSource;
  reader: RunReader;
}

/**
 * All runs under a set of roots, kept current. `scan()` finds the runs (detection); `refresh()` has each affected
 * reader read what was appended. The CLI scans once; the extension scans on start and on folder changes, and
 * refreshes on file events.
 */
export class Catalog {
  private entries: Entry[] = [];
  private scanDiagnostics: Diagnostic[] = [];

  constructor(readonly roots: string[], private readonly opts: CatalogOptions = {}) {}

  /**
   * Finds the runs. On a re-scan, readers of sources that are still there are kept (with their offsets), so only
   * new runs are read from the start.
   */
  async scan(): Promise<void> {
    const previous = new Map(this.entries.map((e) => [sourceKey(e.source), e]));
    const diagnostics: Diagnostic[] = [];
    const entries: Entry[] = [];
    const formats = this.opts.formats ?? FORMATS;
    const seenIds = new Set<string>();
    for (const root of this.roots.map((r) => resolve(r))) {
      let pool = await walk(root, diagnostics, this.opts);
      const ctx = { root: pool.length === 1 && pool[0].path === root ? pool[0].dir : root, head: headCache() };
      for (const fmt of formats) {
        let sources: RunSource[] = [];
        try {
          sources = await fmt.detect(pool, ctx);
        } catch (e) {
          diagnostics.push({ file: root, message: `${fmt.format} detection failed: ${errorMessage(e)}`, severity: 'error' });
        }
        const claimed = new Set(sources.flatMap((s) => s.files));
        pool = pool.filter((f) => !claimed.has(f.path));
        for (const source of sources) {
          // Two roots may overlap; a run is listed once.
          const key = sourceKey(source);
          if (seenIds.has(key)) continue;
          seenIds.add(key);
          entries.push(previous.get(key) ?? { source, reader: fmt.open(source, this.opts) });
        }
      }
    }
    this.entries = entries;
    this.scanDiagnostics = diagnostics;
    await this.refresh();
  }

  /** Whether a path is (or is under) something a reader owns. */
  owns(path: string): boolean {
    return this.entries.some((e) => e.source.files.includes(path) || e.source.configFiles.includes(path));
  }

  /**
   * Reads what is new. With `changed`, only readers owning one of those files (or living under one of those
   * folders) read; returns the ids of runs that changed.
   */
  async refresh(changed?: string[]): Promise<string[]> {
    const targets = changed
      ? this.entries.filter((e) => changed.some((c) => e.source.files.includes(c) || e.source.configFiles.includes(c) || e.source.files.some((f) => f.startsWith(c + '/'))))
      : this.entries;
    const out: string[] = [];
    // Readers are independent: read a few at a time so many small runs do not queue behind one large file.
    const queue = [...targets];
    const workers = Array.from({ length: Math.min(8, queue.length) }, async () => {
      for (let e = queue.shift(); e; e = queue.shift()) {
        const entry = e;
        try {
          if (await entry.reader.update()) out.push(...entry.reader.runs.map((r) => r.id));
        } catch (err) {
          // A reader must not throw, but a bug in one must not stop the others.
          entry.reader.diagnostics.push({ file: entry.source.files[0], message: `reader failed: ${errorMessage(err)}`, severity: 'error' });
        }
      }
    });
    await Promise.all(workers);
    return out;
  }

  runs(): Run[] {
    return this.entries.flatMap((e) => e.reader.runs).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  diagnostics(): Diagnostic[] {
    return [...this.scanDiagnostics, ...this.entries.flatMap((e) => e.reader.diagnostics)];
  }

  /** Every file a reader reads (for watchers). */
  watchedFiles(): string[] {
    return this.entries.flatMap((e) => [...e.source.files, ...e.source.configFiles]);
  }

  sources(): RunSource[] {
    return this.entries.map((e) => e.source);
  }
}

function sourceKey(s: RunSource): string {
  return `${s.format}:${s.files.join('|')}`;
}

/** Names that may be (part of) a run: a new one triggers a re-scan; anything else is ignored. */
export function looksLikeLogFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    /\.(jsonl|ndjson|csv|tsv|json|ya?ml|db|wandb|log)$/i.test(name) ||
    name.startsWith('events.out.tfevents') ||
    /\/(mlruns|metrics|params)\//.test(path)
  );
}
