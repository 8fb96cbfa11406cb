/**
 * Vega's expression evaluator for the panel: vega-interpreter (the CSP has no 'unsafe-eval', so Vega cannot
 * generate code), with a fast path for the encoders that make up most of a plot's work. The interpreter sets up a
 * fresh evaluation context on every call (an object and six closures), and an encoder calls it once per channel
 * per mark item: at 1,000 runs a redraw made ~50,000 such calls and most of its garbage. Channels that are only a
 * constant, a datum field, a scale applied to a datum field, or an object of those (a tooltip of preformatted
 * fields) are turned into plain closures once, when the spec is parsed; anything else is left to the interpreter.
 * No code is generated: the closures are fixed functions chosen by the expression's shape.
 */
import { expressionInterpreter } from 'vega-interpreter';

/** The parts of Vega's expression AST (vega-expression) the fast path reads. */
interface Node {
  type: string;
  value?: unknown;
  regex?: unknown;
  name?: string;
  computed?: boolean;
  object?: Node;
  property?: Node;
  callee?: Node;
  arguments?: Node[];
  properties?: { key: Node; value: Node }[];
}

interface Item {
  datum: Record<string, unknown>;
  [channel: string]: unknown;
}

type Getter = (item: Item) => unknown;

/** Vega's function context: `scale` looks the scale up in `this.context`, so it is called as a method. */
interface Functions {
  scale(name: string, value: unknown): unknown;
}

/** Object keys the interpreter refuses to set (vega-util's DisallowedObjectProperties): left to it. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Channels the interpreter adjusts after evaluating (x2 → width and so on): such encoders stay with it. */
const SPATIAL = ['x2', 'y2', 'xc', 'yc'];

/** `datum.f` or `datum["f"]`: the field's name. */
function datumField(n: Node): string | undefined {
  if (n.type !== 'MemberExpression' || n.object?.type !== 'Identifier' || n.object.name !== 'datum') return undefined;
  const p = n.property;
  if (n.computed) return p?.type === 'Literal' && typeof p.value === 'string' ? p.value : undefined;
  return p?.type === 'Identifier' ? p.name : undefined;
}

/** A closure computing the expression for an item, or undefined when its shape is not one the fast path knows. */
export function compileChannel(n: Node, fn: Functions): Getter | undefined {
  if (n.type === 'Literal' && !n.regex) {
    const v = n.value;
    return () => v;
  }
  const field = datumField(n);
  if (field !== undefined) return (item) => item.datum[field];
  if (n.type === 'CallExpression' && n.callee?.type === 'Identifier' && n.arguments?.length === 2) {
    const [name, arg] = n.arguments;
    const isScale = n.callee.name === 'scale' || n.callee.name === '_scale';
    const of = compileChannel(arg, fn);
    if (!isScale || name.type !== 'Literal' || typeof name.value !== 'string' || !of) return undefined;
    const scale = name.value;
    return (item) => fn.scale(scale, of(item));
  }
  if (n.type === 'ObjectExpression' && n.properties) {
    const parts: [string, Getter][] = [];
    for (const p of n.properties) {
      const key = p.key.type === 'Literal' ? p.key.value : p.key.type === 'Identifier' ? p.key.name : undefined;
      const get = compileChannel(p.value, fn);
      if (typeof key !== 'string' || UNSAFE_KEYS.has(key) || !get) return undefined;
      parts.push([key, get]);
    }
    return (item) => {
      const o: Record<string, unknown> = {};
      for (const [k, get] of parts) o[k] = get(item);
      return o;
    };
  }
  return undefined;
}

interface EncodeContext {
  functions: Functions;
}

interface Encoder {
  marktype: string;
  channels: Record<string, { ast: Node }>;
}

/** The interpreter's encoder, or a fast one when every channel has a known shape and none needs adjusting. */
function encode(ctx: EncodeContext, enc: Encoder): (item: Item, params: unknown) => number {
  const names = Object.keys(enc.channels);
  const getters = names.map((c) => compileChannel(enc.channels[c].ast, ctx.functions));
  if (names.some((c) => SPATIAL.includes(c)) || getters.some((g) => g === undefined))
    return expressionInterpreter.encode(ctx, enc) as (item: Item, params: unknown) => number;
  const fast = getters as Getter[];
  return (item) => {
    let modified = 0;
    for (let i = 0; i < names.length; i++) {
      const v = fast[i](item);
      if (item[names[i]] !== v) {
        item[names[i]] = v;
        modified = 1;
      }
    }
    return modified;
  };
}

/** Pass as Vega's `expr` option (with `ast: true`). */
export const panelExpressions = { ...expressionInterpreter, encode };
