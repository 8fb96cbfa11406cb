/**
 * One analysis per open document and version, so a hover (or a CodeLens refresh) after the first only looks up a
 * key: parsing a 1,000-line YAML costs milliseconds, a lookup microseconds. Entries also remember every base config
 * they read, so a change to a base drops the documents built on it.
 */
import { analyseConfig, type AnalyseOptions, type ConfigAnalysis, type ConfigDocument } from './analysis';

interface Slot {
  analysis: ConfigAnalysis | undefined;
  version?: number;
  text: string;
  settingsKey: string;
  readFile: AnalyseOptions['readFile'];
}

export class ConfigAnalysisCache {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly capacity = 32) {}

  get size(): number {
    return this.slots.size;
  }

  /** The analysis of this document version, computed on first request. Undefined for formats we do not read. */
  get(doc: ConfigDocument, options: AnalyseOptions = {}): ConfigAnalysis | undefined {
    const settingsKey = JSON.stringify(options.settings ?? {}) + (doc.languageId ?? '');
    const slot = this.slots.get(doc.fileName);
    const sameDoc =
      slot &&
      (doc.version !== undefined && slot.version !== undefined ? slot.version === doc.version : slot.text === doc.text);
    if (slot && sameDoc && slot.settingsKey === settingsKey && slot.readFile === options.readFile) {
      // Refresh recency (Map iteration order is insertion order).
      this.slots.delete(doc.fileName);
      this.slots.set(doc.fileName, slot);
      return slot.analysis;
    }
    const analysis = analyseConfig(doc, options);
    this.slots.delete(doc.fileName);
    this.slots.set(doc.fileName, {
      analysis,
      version: doc.version,
      text: doc.text,
      settingsKey,
      readFile: options.readFile,
    });
    while (this.slots.size > this.capacity) this.slots.delete(this.slots.keys().next().value as string);
    return analysis;
  }

  /** Drops one document (closed), or everything. */
  invalidate(fileName?: string): void {
    if (fileName === undefined) this.slots.clear();
    else this.slots.delete(fileName);
  }

  /** Drops every document that read `changedFile` (itself or as a base config); returns how many. */
  invalidateDependents(changedFile: string): number {
    let n = 0;
    for (const [name, slot] of [...this.slots]) {
      if (name === changedFile || slot.analysis?.merged.files.includes(changedFile)) {
        this.slots.delete(name);
        n++;
      }
    }
    return n;
  }
}
