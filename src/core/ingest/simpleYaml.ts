/**
 * The common case of a run's config.yaml (Hydra, OmegaConf, hand-written): nested block mappings of plain keys to
 * numbers, booleans, null and plain words. Read here in one pass over the lines; anything else (quotes, lists,
 * flow style, anchors, tags, block scalars, comments after a value, document markers, tabs, duplicate keys)
 * returns undefined and the full YAML parser (config/yaml) reads the file. The result is what that parser gives for
 * the same text (test/unit/ingest/simpleYaml.test.ts compares them); a folder of 10,000 runs spent more time in the
 * general parser than in reading the configs.
 */
const KEY = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;
const INT = /^-?(?:0|[1-9][0-9]*)$/;
const FLOAT = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)$/;
/** Plain words the YAML core schema reads as something else (or, for the 1.1 ones, that a reader might). */
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|nan|inf)$/i;

type Mapping = Record<string, unknown>;

/** A scalar's value, or `undefined` when it is not one of the forms read here. */
function scalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null' || text === '~') return null;
  if (INT.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (FLOAT.test(text)) return Number(text);
  if (WORD.test(text) && !RESERVED.test(text)) return text;
  return undefined;
}

export function parseSimpleYaml(text: string): Mapping | undefined {
  const lines = text.split('\n');
  const root: Mapping = {};
  // open mappings, innermost last, with the indent of their keys (-1: the next line decides)
  const stack: { indent: number; map: Mapping }[] = [{ indent: 0, map: root }];
  let pendingKey: string | undefined; // a `key:` with no value: a nested mapping if the next line is deeper
  let keys = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let indent = 0;
    while (indent < line.length && line.charCodeAt(indent) === 32) indent++; // (reading past the end deoptimizes)
    if (indent === line.length) continue; // blank
    const c = line.charCodeAt(indent);
    if (c === 35 /* # */) continue; // a comment line
    if (c === 9 /* tab */) return undefined;
    let top = stack[stack.length - 1];
    if (top.indent < 0) {
      if (indent <= stack[stack.length - 2].indent) {
        // the `key:` had nothing under it: null
        stack.pop();
        top = stack[stack.length - 1];
        top.map[pendingKey as string] = null;
      } else top.indent = indent;
    }
    pendingKey = undefined;
    while (indent < top.indent && stack.length > 1) {
      stack.pop();
      top = stack[stack.length - 1];
    }
    if (indent !== top.indent) return undefined;
    const colon = line.indexOf(':', indent);
    if (colon < 0) return undefined;
    const key = line.slice(indent, colon);
    if (!KEY.test(key) || RESERVED.test(key) || key === '__proto__' || Object.hasOwn(top.map, key)) return undefined;
    const rest = line.slice(colon + 1);
    if (rest !== '' && rest.charCodeAt(0) !== 32) return undefined; // `a:b` is a plain word in YAML
    const valueText = rest.trim();
    keys++;
    if (valueText === '') {
      const child: Mapping = {};
      top.map[key] = child;
      stack.push({ indent: -1, map: child });
      pendingKey = key;
      continue;
    }
    const v = scalar(valueText);
    if (v === undefined) return undefined;
    top.map[key] = v;
  }
  if (pendingKey !== undefined) {
    stack.pop();
    stack[stack.length - 1].map[pendingKey] = null;
  }
  return keys ? root : undefined;
}
