/**
 * TOML positions come from a line scanner (tables, arrays of tables, dotted and quoted keys, inline tables,
 * multi-line arrays and strings); values come from smol-toml when the document parses, so typed values match
 * the TOML spec exactly, and from the scanner's own literal reading when it does not (mid-edit documents).
 */
import { parse as parseToml } from 'smol-toml';
import type { ConfigValue } from '../../model/run';
import type { ConfigEntry, ParsedConfig, Span } from '../types';

/** Splits a (possibly dotted, possibly quoted) key into its segments. */
function keySegments(raw: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < raw.length && (m = re.exec(raw))) {
    // Exactly one of the three alternatives matched; the others are undefined (`at` says so, indexing does not).
    out.push(m.at(1) ?? m.at(2) ?? m.at(3) ?? '');
    if (!m[4]) break;
  }
  return out;
}

/** Index just past the end of a value starting at `from`: at a depth-0 `,`, `}` (inline table) or comment. */
function valueEnd(text: string, from: number, stopAtComma: boolean): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? text.indexOf(c.repeat(3), i + 3) : text.indexOf(c, i + 1);
      if (!triple) {
        // basic strings may escape the quote
        let j = i + 1;
        while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' && c === '"' ? 2 : 1;
        i = j + 1;
        continue;
      }
      i = close < 0 ? text.length : close + 3;
      continue;
    }
    if (c === '#') {
      if (depth === 0) return i;
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (c === '\n' || (stopAtComma && c === ','))) return i;
    i++;
  }
  return i;
}

function trimSpan(text: string, start: number, end: number): Span {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** A TOML literal read without the full parser (fallback for documents that do not parse). */
function literal(raw: string): ConfigValue {
  const s = raw.trim();
  if (s === 'true' || s === 'false') return s === 'true';
  if (/^"(?:[^"\\]|\\.)*"$/.test(s) || /^'[^']*'$/.test(s)) return s.slice(1, -1);
  const n = Number(s.replace(/_/g, ''));
  return s && Number.isFinite(n) ? n : s;
}

function lookup(root: unknown, segments: string[]): ConfigValue | undefined {
  let cur: unknown = root;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  if (cur === null || typeof cur === 'string' || typeof cur === 'number' || typeof cur === 'boolean') return cur;
  if (typeof cur === 'bigint') return Number(cur);
  if (cur instanceof Date) return cur.toISOString();
  return undefined;
}

export function locateToml(text: string): ParsedConfig {
  const entries: ConfigEntry[] = [];
  const errors: string[] = [];
  let parsed: unknown;
  try {
    parsed = parseToml(text);
  } catch (e) {
    errors.push((e instanceof Error ? e.message : String(e)).split('\n')[0]);
  }
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  /** Path segments used to look the value up in smol-toml's output (arrays of tables become indices). */
  let tableLookup: (string | number)[] = [];

  const addPairs = (
    from: number,
    to: number,
    prefix: string[],
    prefixLookup: (string | number)[],
    inline: boolean,
  ): void => {
    let i = from;
    while (i < to) {
      while (i < to && /[\s,]/.test(text[i])) i++;
      if (i >= to) return;
      if (text[i] === '#') {
        const nl = text.indexOf('\n', i);
        i = nl < 0 || nl > to ? to : nl + 1;
        continue;
      }
      const eq = text.indexOf('=', i);
      const nl = text.indexOf('\n', i);
      if (eq < 0 || eq >= to || (nl >= 0 && nl < eq)) {
        // A bare line that is not key = value (a table header is handled by the caller): skip it.
        i = nl < 0 || nl > to ? to : nl + 1;
        continue;
      }
      const keySpan = trimSpan(text, i, eq);
      const segs = keySegments(text.slice(keySpan.start, keySpan.end));
      const vStart = eq + 1;
      const vEnd = Math.min(valueEnd(text, vStart, inline), to);
      const valueSpan = trimSpan(text, vStart, vEnd);
      const raw = text.slice(valueSpan.start, valueSpan.end);
      const path = [...prefix, ...segs];
      if (raw.startsWith('{')) {
        addPairs(valueSpan.start + 1, valueSpan.end - 1, path, [...prefixLookup, ...segs], true);
      } else if (!raw.startsWith('[') && segs.length) {
        const typed = parsed === undefined ? undefined : lookup(parsed, [...prefixLookup, ...segs].map(String));
        entries.push({
          key: path.join('.'),
          value: typed !== undefined ? typed : literal(raw),
          raw,
          keySpan,
          valueSpan,
        });
      }
      i = vEnd;
    }
  };

  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const header = /^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      const segs = keySegments(header[2]);
      if (header[1] === '[[') {
        const k = segs.join('.');
        const n = arrayCounts.get(k) ?? 0;
        arrayCounts.set(k, n + 1);
        table = [...segs, String(n)];
        tableLookup = [...segs, n];
      } else {
        table = segs;
        tableLookup = segs;
      }
      lineStart = lineEnd + 1;
      continue;
    }
    if (/^\s*(#|$)/.test(line)) {
      lineStart = lineEnd + 1;
      continue;
    }
    // One key = value, whose value may run over several lines (arrays, multi-line strings).
    const eq = line.indexOf('=');
    if (eq < 0) {
      lineStart = lineEnd + 1;
      continue;
    }
    const end = valueEnd(text, lineStart + eq + 1, false);
    addPairs(lineStart, end, table, tableLookup, false);
    const next = text.indexOf('\n', end);
    lineStart = next < 0 ? text.length : next + 1;
  }
  return { format: 'toml', entries, errors };
}
