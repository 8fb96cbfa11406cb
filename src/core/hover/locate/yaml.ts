/**
 * YAML through the `yaml` package's document model, which keeps a source range on every node. YAML 1.2 core schema:
 * `7e9` is a number, `739_328` and `7B` stay strings (parseScaleNumber reads them later). NeoX/Pythia configs are
 * YAML flow mappings with `#` comments and trailing commas; the parser accepts those.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigValue } from '../../model/run';
import type { ConfigEntry, ParsedConfig, Span } from '../types';

function scalarValue(v: unknown): ConfigValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  // YAML 1.1 timestamps come back as Dates; anything else (binary) is shown as JSON rather than "[object Object]".
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) {
    const value = scalarValue(key.value);
    return value === null ? undefined : String(value);
  }
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

export function locateYaml(text: string): ParsedConfig {
  const entries: ConfigEntry[] = [];
  let doc: Document;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    return { format: 'yaml', entries, errors: [e instanceof Error ? e.message : String(e)] };
  }
  const errors = doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);

  const leaf = (path: string, node: Node, keySpan: Span | undefined): void => {
    let target: unknown = node;
    if (isAlias(node)) target = node.resolve(doc);
    if (!isScalar(target) || !node.range) return;
    const valueSpan = { start: node.range[0], end: node.range[1] };
    entries.push({
      key: path,
      value: scalarValue(target.value),
      raw: text.slice(valueSpan.start, valueSpan.end),
      keySpan: keySpan ?? valueSpan,
      valueSpan,
    });
  };

  const walk = (node: unknown, path: string, keySpan: Span | undefined, depth: number): void => {
    if (depth > 200 || node === null || node === undefined) return;
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const k = keyText(item.key);
        if (k === undefined) continue;
        const kr =
          isScalar(item.key) && item.key.range ? { start: item.key.range[0], end: item.key.range[1] } : undefined;
        const childPath = path ? `${path}.${k}` : k;
        if (item.value === null || item.value === undefined) {
          // `key:` with nothing after it is null; still an entry so the key can be hovered.
          if (kr)
            entries.push({
              key: childPath,
              value: null,
              raw: '',
              keySpan: kr,
              valueSpan: { start: kr.end, end: kr.end },
            });
          continue;
        }
        walk(item.value, childPath, kr, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        walk(item, path ? `${path}.${index}` : String(index), undefined, depth + 1);
      });
    } else if (isScalar(node) || isAlias(node)) {
      if (path) leaf(path, node as Node, keySpan);
    }
  };
  walk(doc.contents, '', undefined, 0);
  return { format: 'yaml', entries, errors };
}
