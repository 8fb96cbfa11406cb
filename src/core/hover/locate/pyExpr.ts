/**
 * Evaluates the constant expressions configs are written with: `12`, `4_096`, `2**20`, `5 * 8`, `n_head * 64`,
 * `1e-4`, `'7B'`, `True`, `None`, parentheses and unary minus. Names resolve through `env` (module-level settings
 * read earlier). Anything else (calls, attribute access, comprehensions) is not a constant: undefined.
 */
import type { ConfigValue } from '../../model/run';
import type { PyToken } from './pyTokens';

export function evalPyExpr(tokens: PyToken[], env: ReadonlyMap<string, ConfigValue>): ConfigValue | undefined {
  let i = 0;
  const peek = (): PyToken | undefined => tokens[i];
  const isOp = (t: PyToken | undefined, ...ops: string[]): boolean =>
    t !== undefined && t.kind === 'op' && ops.includes(t.text);

  const num = (v: ConfigValue | undefined): number | undefined =>
    typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined;

  function atom(): ConfigValue | undefined {
    const t = tokens.at(i++); // past the end at a truncated expression
    if (!t) return undefined;
    if (t.kind === 'number') {
      if (/[jJ]$/.test(t.text)) return undefined;
      const s = t.text.replace(/_/g, '');
      const v = /^0[xX]/.test(s)
        ? parseInt(s.slice(2), 16)
        : /^0[oO]/.test(s)
          ? parseInt(s.slice(2), 8)
          : /^0[bB]/.test(s)
            ? parseInt(s.slice(2), 2)
            : Number(s);
      return Number.isFinite(v) ? v : undefined;
    }
    if (t.kind === 'string') {
      let s = t.str ?? '';
      while (peek()?.kind === 'string') s += tokens[i++].str ?? ''; // implicit concatenation
      return s;
    }
    if (t.kind === 'name') {
      if (t.text === 'True') return true;
      if (t.text === 'False') return false;
      if (t.text === 'None') return null;
      if (isOp(peek(), '(', '.', '[')) return undefined;
      return env.get(t.text);
    }
    if (isOp(t, '(')) {
      const v = sum();
      if (!isOp(tokens[i++], ')')) return undefined;
      return v;
    }
    return undefined;
  }

  function power(): ConfigValue | undefined {
    const base = atom();
    if (isOp(peek(), '**')) {
      i++;
      const exp = num(unary());
      const b = num(base);
      return b === undefined || exp === undefined ? undefined : b ** exp;
    }
    return base;
  }

  function unary(): ConfigValue | undefined {
    if (isOp(peek(), '-', '+')) {
      const neg = tokens[i++].text === '-';
      const v = num(unary());
      return v === undefined ? undefined : neg ? -v : v;
    }
    return power();
  }

  function term(): ConfigValue | undefined {
    let v = unary();
    while (isOp(peek(), '*', '/', '//', '%')) {
      const op = tokens[i++].text;
      const a = num(v);
      const b = num(unary());
      if (a === undefined || b === undefined) return undefined;
      v = op === '*' ? a * b : op === '/' ? a / b : op === '//' ? Math.floor(a / b) : a % b;
    }
    return v;
  }

  function sum(): ConfigValue | undefined {
    let v = term();
    while (isOp(peek(), '+', '-')) {
      const op = tokens[i++].text;
      const a = num(v);
      const b = num(term());
      if (a === undefined || b === undefined) return undefined;
      v = op === '+' ? a + b : a - b;
    }
    return v;
  }

  if (!tokens.length) return undefined;
  const v = sum();
  return i === tokens.length ? v : undefined;
}
