/**
 * Base configs a document builds on, in the conventions that say so in the file itself:
 *  - `_base_` / `__base__` (MMEngine/MMCV, in Python, YAML and JSON), a path or a list of paths;
 *  - `base_config`, `base_configs`, `extends`, `inherit`, `inherits`, `include`, `includes`: a path or list of paths
 *    (only values that look like a config file are taken, so `base: 10000` for a RoPE base is not a path);
 *  - Hydra's `defaults:` list in YAML: `- base` is `base.yaml` next to the file, `- model: small` is
 *    `model/small.yaml` placed under `model.`, `_self_` marks where this file's own keys apply (last by default).
 * Later sources override earlier ones; the document overrides its bases unless Hydra's `_self_` says otherwise.
 * Files are read through an injected callback so this stays pure and testable.
 */
import { dirname, extname, isAbsolute, join, normalize } from 'node:path';
import type { ConfigValue } from '../model/run';
import { detectFormat } from './format';
import { locateEntries } from './locate/index';
import type { ConfigEntry, ConfigFormat, ParsedConfig } from './types';

/** Returns a file's text, or undefined when it does not exist or cannot be read. */
export type ReadFile = (absolutePath: string) => string | undefined;

export interface IncludeRef {
  /** The path as written. */
  written: string;
  /** Key prefix the included file's keys go under (Hydra config groups); '' for whole-file bases. */
  prefix: string;
  /** Applied after the document's own keys (Hydra entries after `_self_`). */
  afterSelf: boolean;
}

export interface MergedConfig {
  values: Record<string, ConfigValue>;
  /** Absolute path of the file each key's value came from. */
  from: Record<string, string>;
  /** Every file read, the document first (for cache invalidation when a base changes). */
  files: string[];
  /** Includes that could not be read or parsed, each naming the file. */
  problems: string[];
}

const PATH_KEYS = new Set([
  '_base_',
  '__base__',
  'base_config',
  'base_configs',
  'extends',
  'inherit',
  'inherits',
  'include',
  'includes',
]);
const LOOKS_LIKE_FILE = /\.(ya?ml|json5?|jsonc|toml|py)$|[/\\]/i;
const MAX_DEPTH = 8;

export function findIncludes(parsed: ParsedConfig): IncludeRef[] {
  const refs: IncludeRef[] = [];
  let selfSeen = false;
  const hydra = parsed.format === 'yaml' && parsed.entries.some((e) => /^defaults\.\d+/.test(e.key));
  for (const e of parsed.entries) {
    const m = /^([^.]+)(?:\.(\d+))?$/.exec(e.key);
    if (m && PATH_KEYS.has(m[1]) && typeof e.value === 'string' && e.value.trim()) {
      if (m[1].startsWith('_') || LOOKS_LIKE_FILE.test(e.value))
        refs.push({ written: e.value.trim(), prefix: '', afterSelf: false });
      continue;
    }
    if (!hydra) continue;
    const d = /^defaults\.\d+(?:\.(.+))?$/.exec(e.key);
    if (!d || e.value === null || typeof e.value !== 'string') continue;
    // An optional group: absent at run time although the match array is typed string[].
    const groupPart = d.at(1);
    if (groupPart === undefined) {
      if (e.value === '_self_') selfSeen = true;
      else refs.push({ written: e.value, prefix: '', afterSelf: selfSeen });
      continue;
    }
    // `- override model@pkg: small` → group model, package pkg (default: the group path).
    const groupSpec = groupPart.replace(/^(override|optional)\s+/, '');
    const at = groupSpec.indexOf('@');
    const group = at < 0 ? groupSpec : groupSpec.slice(0, at);
    const pkg = at < 0 ? undefined : groupSpec.slice(at + 1);
    const pkgPrefix = pkg === undefined ? group.replace(/\//g, '.') : pkg === '_here_' || pkg === '_global_' ? '' : pkg;
    refs.push({ written: `${group}/${e.value}`, prefix: pkgPrefix, afterSelf: selfSeen });
  }
  return refs;
}

function candidates(written: string, fromFile: string): string[] {
  const base = isAbsolute(written) ? written : join(dirname(fromFile), written);
  if (extname(written)) return [normalize(base)];
  const own = extname(fromFile);
  return [own, '.yaml', '.yml', '.json', '.toml', '.py']
    .filter((x, i, a) => x && a.indexOf(x) === i)
    .map((x) => normalize(base + x));
}

function addEntries(out: MergedConfig, entries: ConfigEntry[], prefix: string, file: string): void {
  for (const e of entries) {
    const key = prefix ? `${prefix}.${e.key}` : e.key;
    out.values[key] = e.value;
    out.from[key] = file;
  }
}

/**
 * Flattened keys of a document merged over its bases (recursively, cycles and depth guarded).
 * `parsed` is the document itself, already read; `fileName` is its absolute path.
 */
export function mergeWithIncludes(
  parsed: ParsedConfig,
  fileName: string,
  readFile: ReadFile | undefined,
): MergedConfig {
  const out: MergedConfig = { values: {}, from: {}, files: [fileName], problems: [] };
  // Without a file reader (an unsaved buffer outside a workspace) bases are not followed: no refs are collected.
  const read = readFile;
  const visit = (doc: ParsedConfig, file: string, prefix: string, depth: number, stack: string[]): void => {
    const refs = read ? findIncludes(doc) : [];
    const apply = (ref: IncludeRef): void => {
      const tried = candidates(ref.written, file);
      let text: string | undefined;
      let path = tried[0];
      for (const c of tried) {
        text = read?.(c);
        if (text !== undefined) {
          path = c;
          break;
        }
      }
      if (text === undefined) {
        out.problems.push(`${file}: base config "${ref.written}" not found (looked for ${tried.join(', ')})`);
        return;
      }
      if (stack.includes(path)) {
        out.problems.push(`${file}: base config "${ref.written}" includes itself (cycle through ${path})`);
        return;
      }
      if (depth >= MAX_DEPTH) {
        out.problems.push(`${file}: base configs nested deeper than ${MAX_DEPTH} levels; "${ref.written}" not read`);
        return;
      }
      const format: ConfigFormat | undefined = detectFormat(path) ?? doc.format;
      const child = locateEntries(text, format);
      if (child.errors.length) out.problems.push(`${path}: ${child.errors[0]}`);
      if (!out.files.includes(path)) out.files.push(path);
      const childPrefix = [prefix, ref.prefix].filter(Boolean).join('.');
      visit(child, path, childPrefix, depth + 1, [...stack, path]);
    };
    for (const r of refs) if (!r.afterSelf) apply(r);
    addEntries(out, doc.entries, prefix, file);
    for (const r of refs) if (r.afterSelf) apply(r);
  };
  visit(parsed, fileName, '', 0, [fileName]);
  resolveInterpolations(out.values);
  return out;
}

/** OmegaConf-style `${other.key}` references (OLMo: `eval_interval: ${save_interval}`), a few rounds deep. */
function resolveInterpolations(values: Record<string, ConfigValue>): void {
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'string') continue;
      const m = /^\$\{([\w.-]+)\}$/.exec(v.trim());
      if (
        m &&
        m[1] in values &&
        m[1] !== k &&
        !(typeof values[m[1]] === 'string' && /^\$\{/.test(values[m[1]] as string))
      ) {
        values[k] = values[m[1]];
        changed = true;
      }
    }
    if (!changed) return;
  }
}
