/**
 * Everything about a config document that does not depend on the cursor or the fit, computed once per document
 * version: positioned entries, the merged view over its base configs, the hover targets, and N/D/C (memoised per
 * N definition, because whether N counts embeddings is decided by the fit that arrives at hover time).
 */
import type { AliasTable } from '../config/aliases';
import { detectFormat } from './format';
import { mergeWithIncludes, type MergedConfig, type ReadFile } from './includes';
import { LineIndex } from './lineIndex';
import { locateEntries } from './locate/index';
import { resolveScale, type ScaleResolution } from './resolveScale';
import { hoverAliasTable, scaleRoleOf, type ScaleRole } from './scaleKeys';
import type { ConfigEntry, ConfigFormat, ParsedConfig } from './types';

export interface ConfigDocument {
  text: string;
  /** Absolute path (base configs resolve relative to it; its extension picks the format). */
  fileName: string;
  /** The editor's language id, which wins over the extension. */
  languageId?: string;
  /** The editor's document version; the cache keys on it. */
  version?: number;
}

export interface HoverSettings {
  /** `scalingLens.aliases`: extra config key names per canonical quantity. */
  aliases?: Record<string, readonly string[]>;
  /** `scalingLens.countEmbeddingParameters`: N with embeddings, unless the fit's own definition says otherwise. */
  countEmbeddings?: boolean;
}

export interface AnalyseOptions {
  settings?: HoverSettings;
  /** Reads base configs; without it, includes are not followed. */
  readFile?: ReadFile;
  /** Documents longer than this (characters) are not read: tokenizer.json and lock files are not configs. Default 2,000,000. */
  maxLength?: number;
}

export interface ScaleTarget {
  entry: ConfigEntry;
  role: ScaleRole;
}

export class ConfigAnalysis {
  readonly lines: LineIndex;
  readonly table: AliasTable;
  /** Scale keys of this document (not of its bases), in document order: the hover targets. */
  readonly targets: ScaleTarget[];
  private readonly scales = new Map<boolean, ScaleResolution>();

  constructor(
    readonly doc: ConfigDocument,
    readonly format: ConfigFormat,
    readonly parsed: ParsedConfig,
    readonly merged: MergedConfig,
    readonly settings: HoverSettings,
  ) {
    this.lines = new LineIndex(doc.text);
    this.table = hoverAliasTable(settings.aliases);
    this.targets = [];
    for (const entry of parsed.entries) {
      // In Python, `N = 1000` or `C = 3` is almost always a loop bound or a channel count, not a scale setting.
      if (format === 'python' && /^[A-Za-z]$/.test(entry.key.slice(entry.key.lastIndexOf('.') + 1))) continue;
      const role = scaleRoleOf(entry.key, this.table);
      if (role) this.targets.push({ entry, role });
    }
    this.targets.sort((a, b) => a.entry.keySpan.start - b.entry.keySpan.start);
  }

  scale(countEmbeddings: boolean): ScaleResolution {
    let s = this.scales.get(countEmbeddings);
    if (!s) {
      s = resolveScale(this.merged.values, { table: this.table, countEmbeddings });
      this.scales.set(countEmbeddings, s);
    }
    return s;
  }

  /**
   * A training config rather than a file that happens to contain `lr` or `N`: at least two different scale keys in
   * the document and N or D obtainable, or three different scale keys.
   */
  get recognised(): boolean {
    const roles = new Set(this.targets.map((t) => t.role)).size;
    const s = this.scale(false);
    return roles >= 3 || (roles >= 2 && (s.N !== undefined || s.D !== undefined));
  }

  /** The hover target under an offset: the key, the value, or what lies between them. */
  targetAt(offset: number): ScaleTarget | undefined {
    let lo = 0;
    let hi = this.targets.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.targets[mid].entry.keySpan.start <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const t = this.targets[found];
    const end = Math.max(t.entry.keySpan.end, t.entry.valueSpan.end);
    return offset < end ? t : undefined;
  }
}

/** Reads a document; undefined when its format is not one we read or it is too long to be a config. */
export function analyseConfig(doc: ConfigDocument, options: AnalyseOptions = {}): ConfigAnalysis | undefined {
  const format = detectFormat(doc.fileName, doc.languageId);
  if (!format || doc.text.length > (options.maxLength ?? 2_000_000)) return undefined;
  const parsed = locateEntries(doc.text, format);
  const merged = mergeWithIncludes(parsed, doc.fileName, options.readFile);
  return new ConfigAnalysis(doc, format, parsed, merged, options.settings ?? {});
}
