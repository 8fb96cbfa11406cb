/**
 * Settings in Python training scripts, in the four shapes they are written:
 *  - module-level `n_layer = 12` (nanoGPT's config files and train.py globals), values may refer to earlier names;
 *  - class fields `n_layer: int = 12` (dataclass defaults such as nanoGPT's GPTConfig), keyed `GPTConfig.n_layer`;
 *  - argparse `add_argument('--n_layer', type=int, default=12)`, keyed by the long option;
 *  - keyword arguments of `dict(...)` and of `…Config(...)`/`…Args(...)`/`…Arguments(...)` calls, and dict displays
 *    `{'n_layer': 12}`, keyed under the name they are assigned to (`model_args.n_layer`) and nested by key;
 *    lists become `name.0`, `name.1` (MMEngine's `_base_ = ['./base.py']`).
 * Assignments inside functions are locals, not settings, and are skipped (argparse calls inside `main()` are not).
 */
import type { ConfigValue } from '../../model/run';
import type { ConfigEntry, ParsedConfig } from '../types';
import { evalPyExpr } from './pyExpr';
import { tokenizePython, type PyToken } from './pyTokens';

const CONFIG_CALL = /^(dict|OrderedDict|\w*(Config|Args|Arguments|Params|HParams|Hparams))$/;

interface Scope {
  kind: 'class' | 'def';
  name: string;
  indent: number;
}

const isOp = (t: PyToken | undefined, text: string): boolean => t !== undefined && t.kind === 'op' && t.text === text;

/** Index of the bracket closing the one at `open`, or tokens.length when the document ends first. */
function closing(tokens: PyToken[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return tokens.length;
}

/** Splits the tokens between brackets (exclusive) at depth-0 commas. */
function splitArgs(tokens: PyToken[], from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let j = from; j < to; j++) {
    const t = tokens[j];
    if (t.kind === 'op') {
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      else if (t.text === ',' && depth === 0) {
        if (j > start) out.push([start, j]);
        start = j + 1;
      }
    }
  }
  if (to > start) out.push([start, to]);
  return out;
}

export function locatePython(text: string): ParsedConfig {
  const tokens = tokenizePython(text);
  const entries: ConfigEntry[] = [];
  const env = new Map<string, ConfigValue>();
  const consumed = new Set<number>(); // token indices of containers already read as part of an outer one

  const emit = (key: string, keyTok: PyToken, valueToks: PyToken[]): void => {
    if (!valueToks.length) return;
    const start = valueToks[0].start;
    const end = valueToks[valueToks.length - 1].end;
    const raw = text.slice(start, end);
    const v = evalPyExpr(valueToks, env);
    entries.push({
      key,
      value: v === undefined ? raw : v,
      raw,
      keySpan: { start: keyTok.start, end: keyTok.end },
      valueSpan: { start, end },
    });
  };

  /** Reads a container value (dict(...), Config(...), {...}) at `at`; returns false when it is not one. */
  const container = (at: number, prefix: string): boolean => {
    const t = tokens[at];
    if (t.kind === 'name' && CONFIG_CALL.test(t.text) && isOp(tokens[at + 1], '(')) {
      const close = closing(tokens, at + 1);
      consumed.add(at);
      const base = prefix || t.text;
      for (const [a, b] of splitArgs(tokens, at + 2, close)) {
        if (tokens[a].kind === 'name' && isOp(tokens[a + 1], '=') && b > a + 2) {
          const key = `${base}.${tokens[a].text}`;
          if (!container(a + 2, key)) emit(key, tokens[a], tokens.slice(a + 2, b));
        }
      }
      return true;
    }
    if (isOp(t, '{') && tokens[at + 1]?.kind === 'string' && isOp(tokens[at + 2], ':')) {
      const close = closing(tokens, at);
      consumed.add(at);
      for (const [a, b] of splitArgs(tokens, at + 1, close)) {
        if (tokens[a].kind !== 'string' || !isOp(tokens[a + 1], ':') || b <= a + 2) continue;
        const key = prefix ? `${prefix}.${tokens[a].str}` : (tokens[a].str ?? '');
        if (!container(a + 2, key)) emit(key, tokens[a], tokens.slice(a + 2, b));
      }
      return true;
    }
    if (isOp(t, '[') && prefix) {
      // A list of settings (`_base_ = ['./base.py']`, `betas = [0.9, 0.95]`): items keyed prefix.0, prefix.1, …
      const close = closing(tokens, at);
      consumed.add(at);
      splitArgs(tokens, at + 1, close).forEach(([a, b], index) => {
        const key = `${prefix}.${index}`;
        if (!container(a, key)) emit(key, tokens[a], tokens.slice(a, b));
      });
      return true;
    }
    return false;
  };

  // Pass 1: logical lines: assignments at module level and in class bodies.
  const scopes: Scope[] = [];
  let lineStart = 0;
  for (let j = 0; j <= tokens.length; j++) {
    if (j < tokens.length && tokens[j].kind !== 'newline') continue;
    const line = tokens.slice(lineStart, j);
    const first = lineStart;
    lineStart = j + 1;
    if (!line.length) continue;
    const indent = line[0].col;
    while (scopes.length && scopes[scopes.length - 1].indent >= indent) scopes.pop();
    if (
      line[0].kind === 'name' &&
      (line[0].text === 'class' || line[0].text === 'def' || (line[0].text === 'async' && line[1]?.text === 'def'))
    ) {
      // A bare `class`/`def` at the end of a file has no name token.
      const nameTok = line.at(line[0].text === 'async' ? 2 : 1);
      scopes.push({ kind: line[0].text === 'class' ? 'class' : 'def', name: nameTok?.text ?? '', indent });
      continue;
    }
    if (scopes.some((s) => s.kind === 'def')) continue;
    const cls = scopes.length ? scopes[scopes.length - 1] : undefined;
    if (line[0].kind !== 'name') continue;
    // name = value  |  name: annotation = value
    let eq = -1;
    if (isOp(line[1], '=')) eq = 1;
    else if (isOp(line[1], ':')) {
      for (let k = 2; k < line.length; k++)
        if (isOp(line[k], '=')) {
          eq = k;
          break;
        }
    }
    if (eq < 0 || eq + 1 >= line.length) continue;
    const name = line[0].text;
    const key = cls ? `${cls.name}.${name}` : name;
    const valueAt = first + eq + 1;
    if (container(valueAt, key)) continue;
    const valueToks = line.slice(eq + 1);
    emit(key, line[0], valueToks);
    if (!cls) {
      const v = evalPyExpr(valueToks, env);
      if (v !== undefined) env.set(name, v);
    }
  }

  // Pass 2: argparse defaults and config containers anywhere (also inside functions).
  for (let j = 0; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.kind === 'name' && t.text === 'add_argument' && isOp(tokens[j + 1], '(')) {
      const close = closing(tokens, j + 1);
      const args = splitArgs(tokens, j + 2, close);
      const flags = args
        .filter(([a, b]) => b === a + 1 && tokens[a].kind === 'string' && (tokens[a].str ?? '').startsWith('-'))
        .map(([a]) => tokens[a]);
      const flag = flags.find((f) => (f.str ?? '').startsWith('--')) ?? flags.at(0); // none: a positional argument
      const def = args.find(
        ([a]) => tokens[a].kind === 'name' && tokens[a].text === 'default' && isOp(tokens[a + 1], '='),
      );
      if (flag && def) emit((flag.str ?? '').replace(/^-+/, ''), flag, tokens.slice(def[0] + 2, def[1]));
      continue;
    }
    if (consumed.has(j)) continue;
    if ((t.kind === 'name' && isOp(tokens[j + 1], '(')) || isOp(t, '{')) {
      const target =
        isOp(tokens[j - 1], '=') && tokens[j - 2]?.kind === 'name' && !isOp(tokens[j - 3], '.')
          ? tokens[j - 2].text
          : '';
      container(j, target);
    }
  }
  entries.sort((a, b) => a.keySpan.start - b.keySpan.start);
  return { format: 'python', entries, errors: [] };
}
