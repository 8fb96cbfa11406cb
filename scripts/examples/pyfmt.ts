/**
 * Python's way of printing numbers, JSON and YAML. The tools we imitate are Python programs, and their files
 * differ from what JS would write (`1e-05` not `0.00001`, `3.0` not `3`, `", "` separators): the readers must be
 * tested against the bytes the real tools produce, not against JS's idea of them.
 */

/** A float that happens to be integral (epoch 1.0, a loss of 4.0) and must still print as a Python float. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue = number | PyFloat | string | boolean | null | PyValue[] | { [key: string]: PyValue };

/** Python's `repr(float)`: shortest round-trip digits; exponent form below 1e-4 and from 1e16. */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  const [mant, expText] = v.toExponential().split('e'); // toExponential() without digits is the shortest form
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = String(v); // positional in this range, as in Python
  return s.includes('.') ? s : `${s}.0`;
}

/** Ints print as ints; every other number is a float. Integral values ≥ 1e15 (FLOP counts) are floats in practice. */
export function pyNumber(v: number | PyFloat): string {
  if (v instanceof PyFloat) return pyFloat(v.value);
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : pyFloat(v);
}

/** Float32 round trip: a logged loss is `tensor.item()` of a float32, so it prints with float32's digits. */
export function f32(v: number): number {
  return Math.fround(v);
}

/** `json.dumps(value, indent=…, sort_keys=…)`; without indent, Python's default `", "` and `": "` separators. */
export function pyJson(value: PyValue, opts: { indent?: number; sortKeys?: boolean } = {}, depth = 0): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || value instanceof PyFloat) return pyNumber(value);
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const ind = opts.indent;
  const open = (items: string[], l: string, r: string): string => {
    if (!items.length) return l + r;
    if (ind === undefined) return l + items.join(', ') + r;
    const pad = ' '.repeat(ind * (depth + 1));
    return `${l}\n${pad}${items.join(`,\n${pad}`)}\n${' '.repeat(ind * depth)}${r}`;
  };
  if (Array.isArray(value)) return open(value.map((v) => pyJson(v, opts, depth + 1)), '[', ']');
  const keys = Object.keys(value);
  if (opts.sortKeys) keys.sort();
  return open(keys.map((k) => `${JSON.stringify(k)}: ${pyJson(value[k], opts, depth + 1)}`), '{', '}');
}

const YAML_PLAIN = /^[A-Za-z_/][A-Za-z0-9_./: -]*$/;
const YAML_RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function yamlScalar(v: PyValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || v instanceof PyFloat) {
    // PyYAML: repr(), lower case, and a ".0" so that "1e-05" is not read back as a string by YAML 1.1
    const s = pyNumber(v).toLowerCase();
    return !s.includes('.') && s.includes('e') ? s.replace('e', '.0e') : s;
  }
  if (typeof v === 'string') return YAML_PLAIN.test(v) && !YAML_RESERVED.test(v) && !v.endsWith(' ') && !v.endsWith(':') && !v.includes(': ') ? v : `'${v.replace(/'/g, "''")}'`;
  throw new Error('not a scalar');
}

/** `yaml.dump(mapping)` (PyYAML block style, sorted keys); lists of scalars as `- item` lines. */
export function pyYaml(obj: { [key: string]: PyValue }, depth = 0): string {
  const pad = '  '.repeat(depth);
  let out = '';
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (Array.isArray(v)) {
      out += v.length ? `${pad}${k}:\n${v.map((x) => `${pad}- ${yamlScalar(x)}\n`).join('')}` : `${pad}${k}: []\n`;
    } else if (v !== null && typeof v === 'object' && !(v instanceof PyFloat)) {
      out += Object.keys(v).length ? `${pad}${k}:\n${pyYaml(v, depth + 1)}` : `${pad}${k}: {}\n`;
    } else out += `${pad}${k}: ${yamlScalar(v)}\n`;
  }
  return out;
}
