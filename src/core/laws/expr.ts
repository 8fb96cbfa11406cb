/**
 * A small safe expression language for custom laws: numbers, declared names, + − * / ^ ** (right-associative
 * power), parentheses and a fixed table of functions. Recursive descent straight to closures: nothing is ever
 * handed to eval/new Function, and names resolve through a Map, so `constructor` or `__proto__` are just unknown.
 */

export type Compiled = (vars: ArrayLike<number>, params: ArrayLike<number>) => number;

import { ExprError } from '../errors';

export { ExprError };

const FUNCS = new Map<string, { arity: [number, number]; fn: (a: number[]) => number }>([
  ['exp', { arity: [1, 1], fn: (a) => Math.exp(a[0]) }],
  ['log', { arity: [1, 1], fn: (a) => Math.log(a[0]) }],
  ['ln', { arity: [1, 1], fn: (a) => Math.log(a[0]) }],
  ['log10', { arity: [1, 1], fn: (a) => Math.log10(a[0]) }],
  ['log2', { arity: [1, 1], fn: (a) => Math.log2(a[0]) }],
  ['sqrt', { arity: [1, 1], fn: (a) => Math.sqrt(a[0]) }],
  ['abs', { arity: [1, 1], fn: (a) => Math.abs(a[0]) }],
  ['pow', { arity: [2, 2], fn: (a) => Math.pow(a[0], a[1]) }],
  ['min', { arity: [1, 16], fn: (a) => Math.min(...a) }],
  ['max', { arity: [1, 16], fn: (a) => Math.max(...a) }],
]);

const RESERVED = new Set(['constructor', '__proto__', 'prototype', 'this', 'process', 'globalThis']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name usable as a variable or parameter: an identifier, not a function name, not an object-model word. */
export function checkName(name: string): void {
  if (!NAME.test(name))
    throw new ExprError(`"${name}" is not a valid name (letters, digits and _, not starting with a digit)`);
  if (RESERVED.has(name) || FUNCS.has(name))
    throw new ExprError(`"${name}" is reserved and cannot name a variable or parameter`);
}

type Tok =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'id'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ kind: 'num', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ kind: 'id', value: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if (src.startsWith('**', i)) {
      out.push({ kind: 'op', value: '^', pos: i });
      i += 2;
      continue;
    }
    if ('+-*/^(),'.includes(ch)) {
      out.push({ kind: 'op', value: ch, pos: i });
      i++;
      continue;
    }
    throw new ExprError(
      `unexpected character '${ch}' at position ${i + 1}: formulas allow numbers, declared names, + - * / ^ **, parentheses and ${[...FUNCS.keys()].join('/')}`,
    );
  }
  return out;
}

/**
 * Compiles `src` over the given variable and parameter names (positions = indices into the arrays passed at
 * evaluation). Throws ExprError naming the position and the problem.
 */
export function compile(src: string, variables: string[], params: string[]): Compiled {
  if (src.length > 4000) throw new ExprError('formula too long (over 4000 characters)');
  const names = new Map<string, { kind: 'var' | 'param'; index: number }>();
  variables.forEach((v, i) => {
    checkName(v);
    names.set(v, { kind: 'var', index: i });
  });
  params.forEach((p, i) => {
    checkName(p);
    if (names.has(p)) throw new ExprError(`"${p}" is declared both as a variable and as a parameter`);
    names.set(p, { kind: 'param', index: i });
  });
  const toks = tokenize(src);
  let k = 0;
  let depth = 0;
  const peek = (): Tok | undefined => toks[k];
  const where = (): string => (k < toks.length ? `position ${toks[k].pos + 1}` : 'the end of the formula');
  const isOp = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'op' && t.value === v;
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new ExprError(`expected '${v}' at ${where()}`);
    k++;
  };
  const enter = (): void => {
    if (++depth > 200) throw new ExprError('formula nested too deeply');
  };

  function expr(): Compiled {
    enter();
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = (toks[k++] as { value: string }).value;
      const l = left,
        r = term();
      left = op === '+' ? (v, p) => l(v, p) + r(v, p) : (v, p) => l(v, p) - r(v, p);
    }
    depth--;
    return left;
  }
  function term(): Compiled {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (toks[k++] as { value: string }).value;
      const l = left,
        r = unary();
      left = op === '*' ? (v, p) => l(v, p) * r(v, p) : (v, p) => l(v, p) / r(v, p);
    }
    return left;
  }
  function unary(): Compiled {
    if (isOp('-')) {
      k++;
      enter();
      const a = unary();
      depth--;
      return (v, p) => -a(v, p);
    }
    if (isOp('+')) {
      k++;
      return unary();
    }
    return power();
  }
  function power(): Compiled {
    const base = primary();
    if (isOp('^')) {
      k++;
      enter();
      const ex = unary(); // right-associative; allows 2^-x
      depth--;
      return (v, p) => Math.pow(base(v, p), ex(v, p));
    }
    return base;
  }
  function primary(): Compiled {
    const t = peek();
    if (!t) throw new ExprError('formula ends unexpectedly');
    if (t.kind === 'num') {
      k++;
      const c = t.value;
      return () => c;
    }
    if (t.kind === 'op' && t.value === '(') {
      k++;
      const e = expr();
      expect(')');
      return e;
    }
    if (t.kind === 'id') {
      k++;
      if (isOp('(')) {
        const fn = FUNCS.get(t.value);
        if (!fn)
          throw new ExprError(
            `unknown function '${t.value}' at position ${t.pos + 1}; allowed: ${[...FUNCS.keys()].join(', ')}`,
          );
        k++;
        const args: Compiled[] = [expr()];
        while (isOp(',')) {
          k++;
          args.push(expr());
        }
        expect(')');
        if (args.length < fn.arity[0] || args.length > fn.arity[1])
          throw new ExprError(
            `${t.value}() takes ${fn.arity[0]}${fn.arity[1] !== fn.arity[0] ? `–${fn.arity[1]}` : ''} argument(s), got ${args.length}`,
          );
        const f = fn.fn;
        return (v, p) => f(args.map((a) => a(v, p)));
      }
      const ref = names.get(t.value);
      if (!ref) {
        throw new ExprError(
          `unknown name '${t.value}' at position ${t.pos + 1}; declared variables: ${variables.join(', ') || 'none'}; parameters: ${params.join(', ') || 'none'}`,
        );
      }
      const i = ref.index;
      return ref.kind === 'var' ? (v) => v[i] : (_v, p) => p[i];
    }
    throw new ExprError(`unexpected '${t.value}' at position ${t.pos + 1}`);
  }

  if (toks.length === 0) throw new ExprError('empty formula');
  const out = expr();
  if (k < toks.length) throw new ExprError(`unexpected '${String(toks[k].value)}' at position ${toks[k].pos + 1}`);
  return out;
}

/** Names used by a formula (to report undeclared ones before compiling). */
export function identifiers(src: string): string[] {
  return [
    ...new Set(
      tokenize(src)
        .filter((t): t is Extract<Tok, { kind: 'id' }> => t.kind === 'id' && !FUNCS.has(t.value))
        .map((t) => t.value),
    ),
  ];
}
