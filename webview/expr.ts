/**
 * Vega's expression evaluator for the panel: vega-interpreter (the CSP has no 'unsafe-eval', so Vega cannot
 * generate code), with a fast path for the encoders that make up most of a plot's work. The interpreter sets up a
 * fresh evaluation context on every call (an object and six closures), and an encoder calls it once per channel
 * per mark item, and a filter or formula once per row: at 1,000 runs a redraw made ~50,000 such calls and most of
 * its garbage. Expressions of a few simple shapes (constants, datum fields, scales of them, Vega-Lite's validity
 * tests, a tooltip of preformatted fields; see compileChannel) become plain closures once, when the spec is parsed;
 * anything else is left to the interpreter.
 * No code is generated: the closures are fixed functions chosen by the expression's shape.
 */
import { expressionInterpreter } from 'vega-interpreter';

/** The parts of Vega's expression AST (vega-expression) the fast path reads. */
interface Node {
  type: string;
  value?: unknown;
  regex?: unknown;
  name?: string;
  operator?: string;
  computed?: boolean;
  object?: Node;
  property?: Node;
  argument?: Node;
  left?: Node;
  right?: Node;
  callee?: Node;
  arguments?: Node[];
  properties?: { key: Node; value: Node }[];
}

type Datum = Record<string, unknown>;
/** What an expression reads: the datum, the mark item (encoders only) and the operator's parameters (signals). */
type Getter = (datum: Datum, item: unknown, params: Record<string, unknown>) => unknown;

/** Vega's function context: `scale` looks the scale up in `this.context`, so it is called as a method. */
interface Functions {
  scale(name: string, value: unknown): unknown;
  [name: string]: unknown;
}

/** Object keys the interpreter refuses to set (vega-util's DisallowedObjectProperties): left to it. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Channels the interpreter adjusts after evaluating (x2 → width and so on): such encoders stay with it. */
const SPATIAL = ['x2', 'y2', 'xc', 'yc'];
/**
 * Pure one-argument functions Vega-Lite's validity tests and conversions use; looked up in Vega's function context
 * first and then, as the interpreter does, in its own table (where isFinite and isNaN are Number's).
 */
const TESTS: Partial<Record<string, (v: unknown) => unknown>> = { isFinite: Number.isFinite, isNaN: Number.isNaN };
const TEST_NAMES = new Set(['isValid', 'isFinite', 'isNaN', 'toNumber']);
const COMPARE: Record<string, (a: unknown, b: unknown) => boolean> = {
  '===': (a, b) => a === b,
  '!==': (a, b) => a !== b,
  '<': (a, b) => (a as number) < (b as number),
  '<=': (a, b) => (a as number) <= (b as number),
  '>': (a, b) => (a as number) > (b as number),
  '>=': (a, b) => (a as number) >= (b as number),
};

/** Vega's named constants (PI, E, …): identifiers the interpreter reads from its own table; left to it. */
const CONSTANTS = new Set([
  'NaN',
  'E',
  'LN2',
  'LN10',
  'LOG2E',
  'LOG10E',
  'PI',
  'SQRT1_2',
  'SQRT2',
  'MIN_VALUE',
  'MAX_VALUE',
]);
/** Members the interpreter refuses to return (vega-interpreter's DisallowedMethods). */
const DISALLOWED: unknown[] = [Function, eval, setTimeout, setInterval];

/** `datum`, `item`, or a signal (`width`, read from the parameters as `$width`). */
function identifier(name: string): Getter | undefined {
  if (name === 'datum') return (d) => d;
  if (name === 'item') return (_d, item) => item;
  if (name === 'event' || CONSTANTS.has(name)) return undefined;
  const key = `$${name}`;
  return (_d, _item, params) => params[key];
}

/** `o.name` or `o["name"]`, as the interpreter reads them. */
function member(n: Node, fn: Functions): Getter | undefined {
  const object = n.object && compileChannel(n.object, fn);
  const p = n.property;
  const name = n.computed
    ? p?.type === 'Literal'
      ? p.value
      : undefined
    : p?.type === 'Identifier'
      ? p.name
      : undefined;
  if (!object || (typeof name !== 'string' && typeof name !== 'number')) return undefined;
  return (d, item, params) => {
    const v = (object(d, item, params) as Record<string | number, unknown>)[name];
    return DISALLOWED.includes(v) ? undefined : v;
  };
}

function compileCall(n: Node, fn: Functions): Getter | undefined {
  const name = n.callee?.type === 'Identifier' ? n.callee.name : undefined;
  const args = n.arguments ?? [];
  if ((name === 'scale' || name === '_scale') && args.length === 2) {
    const [scaleName, arg] = args;
    const of = compileChannel(arg, fn);
    if (scaleName.type !== 'Literal' || typeof scaleName.value !== 'string' || !of) return undefined;
    const scale = scaleName.value;
    return (d, item, params) => fn.scale(scale, of(d, item, params));
  }
  if (name === undefined || !TEST_NAMES.has(name) || args.length !== 1) return undefined;
  const own = fn[name];
  const f = typeof own === 'function' ? (own as (v: unknown) => unknown).bind(fn) : TESTS[name];
  const of = compileChannel(args[0], fn);
  return f && of ? (d, item, params) => f(of(d, item, params)) : undefined;
}

function compileObject(n: Node, fn: Functions): Getter | undefined {
  const parts: [string, Getter][] = [];
  for (const p of n.properties ?? []) {
    const key = p.key.type === 'Literal' ? p.key.value : p.key.type === 'Identifier' ? p.key.name : undefined;
    const get = compileChannel(p.value, fn);
    if (typeof key !== 'string' || UNSAFE_KEYS.has(key) || !get) return undefined;
    parts.push([key, get]);
  }
  return (d, item, params) => {
    const o: Record<string, unknown> = {};
    for (const [k, get] of parts) o[k] = get(d, item, params);
    return o;
  };
}

/**
 * A closure computing the expression for a datum, or undefined when its shape is not one the fast path knows:
 * a constant, a datum field, a scale or one of the validity tests applied to one, `+`/`!`, a comparison, `&&`/`||`,
 * or an object of those.
 */
export function compileChannel(n: Node, fn: Functions): Getter | undefined {
  if (n.type === 'Literal' && !n.regex) {
    const v = n.value;
    return () => v;
  }
  if (n.type === 'Identifier' && n.name) return identifier(n.name);
  if (n.type === 'MemberExpression') return member(n, fn);
  if (n.type === 'CallExpression') return compileCall(n, fn);
  if (n.type === 'ObjectExpression') return compileObject(n, fn);
  const arg = n.argument && compileChannel(n.argument, fn);
  if (n.type === 'UnaryExpression' && arg && n.operator === '+') return (d, i, p) => Number(arg(d, i, p));
  if (n.type === 'UnaryExpression' && arg && n.operator === '-') return (d, i, p) => -(arg(d, i, p) as number);
  if (n.type === 'UnaryExpression' && arg && n.operator === '!') return (d, i, p) => !arg(d, i, p);
  const left = n.left && compileChannel(n.left, fn);
  const right = n.right && compileChannel(n.right, fn);
  if (!left || !right) return undefined;
  if (n.type === 'LogicalExpression' && n.operator === '&&') return (d, i, p) => left(d, i, p) && right(d, i, p);
  if (n.type === 'LogicalExpression' && n.operator === '||') return (d, i, p) => left(d, i, p) || right(d, i, p);
  const compare = n.type === 'BinaryExpression' && n.operator ? COMPARE[n.operator] : undefined;
  return compare ? (d, i, p) => compare(left(d, i, p), right(d, i, p)) : undefined;
}

interface EncodeContext {
  functions: Functions;
}

interface Encoder {
  marktype: string;
  channels: Record<string, { ast: Node }>;
}

interface Item {
  datum: Datum;
  [channel: string]: unknown;
}

/** The interpreter's encoder, or a fast one when every channel has a known shape and none needs adjusting. */
function encode(ctx: EncodeContext, enc: Encoder): (item: Item, params: unknown) => number {
  const names = Object.keys(enc.channels);
  const getters = names.map((c) => compileChannel(enc.channels[c].ast, ctx.functions));
  if (names.some((c) => SPATIAL.includes(c)) || getters.some((g) => g === undefined))
    return expressionInterpreter.encode(ctx, enc) as (item: Item, params: unknown) => number;
  const fast = getters as Getter[];
  return (item, params) => {
    let modified = 0;
    for (let i = 0; i < names.length; i++) {
      const v = fast[i](item.datum, item, params as Record<string, unknown>);
      if (item[names[i]] !== v) {
        item[names[i]] = v;
        modified = 1;
      }
    }
    return modified;
  };
}

interface ParameterExpression {
  ast: Node;
}

/** A transform's per-datum expression (a filter, a formula), or the interpreter's when its shape is unknown. */
function parameter(ctx: EncodeContext, expr: ParameterExpression): (datum: Datum, params: unknown) => unknown {
  const get = compileChannel(expr.ast, ctx.functions);
  if (get) return (datum, params) => get(datum, undefined, params as Record<string, unknown>);
  return expressionInterpreter.parameter(ctx, expr) as (datum: Datum, params: unknown) => unknown;
}

/** Pass as Vega's `expr` option (with `ast: true`). */
export const panelExpressions = { ...expressionInterpreter, encode, parameter };
