import { readFileSync } from 'node:fs';
import { compile, identifiers } from '../laws/expr';
import { parseScaleNumber } from '../config/values';
import type { CustomLawSpec } from '../../contract/fit';
import { LawFileError } from '../errors';

/**
 * Custom law declarations. A `scaling-laws.json` holds
 *   { "laws": [ { "name": "moe", "formula": "E + A/N^alpha + B/D^beta + G/X^gamma", "variables": ["N", "D", "X"],
 *                 "params": { "E": { "min": 0, "max": 10, "start": [1, 3] }, "alpha": { "min": 0, "max": 2 } } } ] }
 * (or "laws" as an object keyed by name). Parameters the formula uses but the file does not declare get
 * unbounded defaults; bounds and start ranges matter for anything non-trivial, so declare them.
 */
export { LawFileError };

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toSpec(raw: Json, where: string): CustomLawSpec {
  if (!isRecord(raw)) throw new LawFileError(`${where}: a law must be an object with formula, variables and params`);
  if (typeof raw.formula !== 'string' || !raw.formula.trim())
    throw new LawFileError(`${where}: "formula" must be a non-empty string`);
  if (!Array.isArray(raw.variables) || !raw.variables.length || !raw.variables.every((v) => typeof v === 'string'))
    throw new LawFileError(`${where}: "variables" must list the formula's input variables, e.g. ["N", "D"]`);
  const variables = raw.variables;
  const params: CustomLawSpec['params'] = {};
  const declared = raw.params === undefined ? {} : raw.params;
  if (!isRecord(declared)) throw new LawFileError(`${where}: "params" must map parameter names to {min, max, start}`);
  for (const [name, d] of Object.entries(declared)) {
    if (!isRecord(d))
      throw new LawFileError(`${where}: params.${name} must be an object like {"min": 0, "max": 10, "start": [1, 3]}`);
    const p: CustomLawSpec['params'][string] = {};
    for (const k of ['min', 'max'] as const) {
      if (d[k] === undefined) continue;
      if (typeof d[k] !== 'number') throw new LawFileError(`${where}: params.${name}.${k} must be a number`);
      p[k] = d[k];
    }
    if (d.start !== undefined) {
      const s = d.start;
      if (!Array.isArray(s) || s.length !== 2 || typeof s[0] !== 'number' || typeof s[1] !== 'number')
        throw new LawFileError(`${where}: params.${name}.start must be [low, high]`);
      p.start = [s[0], s[1]];
    }
    params[name] = p;
  }
  let used: string[];
  try {
    used = identifiers(raw.formula);
  } catch (e) {
    throw new LawFileError(`${where}: formula does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const id of used) if (!variables.includes(id) && !(id in params)) params[id] = {};
  checkFormula(raw.formula, variables, Object.keys(params), where);
  return { name: typeof raw.name === 'string' ? raw.name : undefined, formula: raw.formula, variables, params };
}

/** Compiles once so syntax errors (an unclosed parenthesis, a dangling operator) surface here, not mid-fit. */
function checkFormula(formula: string, variables: string[], params: string[], where: string): void {
  try {
    compile(formula, variables, params);
  } catch (e) {
    throw new LawFileError(`${where}: formula does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** All laws declared in a file, by name. */
export function readLawFile(path: string): Map<string, CustomLawSpec> {
  let doc: Json;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new LawFileError(
      `${path}: ${e instanceof SyntaxError ? 'not valid JSON: ' : 'cannot read: '}${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const laws = isRecord(doc) ? doc.laws : undefined;
  const out = new Map<string, CustomLawSpec>();
  if (Array.isArray(laws)) {
    laws.forEach((l, i) => {
      const spec = toSpec(l, `${path}: laws[${i}]`);
      out.set(spec.name ?? `law${i + 1}`, spec);
    });
  } else if (isRecord(laws)) {
    for (const [name, l] of Object.entries(laws)) out.set(name, { ...toSpec(l, `${path}: laws.${name}`), name });
  } else throw new LawFileError(`${path}: expected {"laws": [ {name, formula, variables, params}, … ]}`);
  if (!out.size) throw new LawFileError(`${path}: declares no laws`);
  return out;
}

/**
 * A law written on the command line: `--custom 'E + A/N^alpha'` over the --x variables, every other name a
 * parameter; `--bounds 'E=0:10,A=0:1e6,alpha=0:2'` sets bounds, which also serve as start ranges when finite.
 */
export function customFromFormula(formula: string, variables: string[], bounds?: string): CustomLawSpec {
  let used: string[];
  try {
    used = identifiers(formula);
  } catch (e) {
    throw new LawFileError(`--custom: formula does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  const params: CustomLawSpec['params'] = {};
  for (const id of used) if (!variables.includes(id)) params[id] = {};
  for (const item of (bounds ?? '').split(',').filter((s) => s.trim())) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*([^:]+):([^:]+)\s*$/.exec(item);
    const lo = m ? parseScaleNumber(m[2]) : undefined;
    const hi = m ? parseScaleNumber(m[3]) : undefined;
    if (!m || lo === undefined || hi === undefined || !(lo < hi))
      throw new LawFileError(`--bounds: "${item.trim()}" is not name=low:high with low < high`);
    if (!(m[1] in params))
      throw new LawFileError(
        `--bounds: "${m[1]}" is not a parameter of the formula (parameters: ${Object.keys(params).join(', ') || 'none'})`,
      );
    params[m[1]] = { min: lo, max: hi, start: [lo, hi] };
  }
  if (!Object.keys(params).length)
    throw new LawFileError(`--custom: the formula has no parameters besides the variables ${variables.join(', ')}`);
  checkFormula(formula, variables, Object.keys(params), '--custom');
  return { formula, variables, params };
}
