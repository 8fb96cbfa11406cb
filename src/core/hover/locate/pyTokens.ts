/**
 * Just enough of Python's tokenizer for config scanning: names, numbers, strings (with prefixes and triple quotes),
 * operators, and logical-line breaks (a newline inside brackets or after `\` does not end a line). Comments and
 * docstring contents never reach the pattern matchers, so `# n_layer = 48` in a comment is not read as a setting.
 */
export type PyTokenKind = 'name' | 'number' | 'string' | 'op' | 'newline';

export interface PyToken {
  kind: PyTokenKind;
  text: string;
  start: number;
  end: number;
  /** Decoded contents of a string literal. */
  str?: string;
  /** Column of the token in its physical line (indentation of a logical line = column of its first token). */
  col: number;
}

const OPS = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '->',
  ':=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '>>',
  '<<',
];
const STRING_START = /^([rRbBuUfF]{0,2})('''|"""|'|")/;

function decode(body: string, raw: boolean): string {
  if (raw) return body;
  return body.replace(/\\(["'\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

export function tokenizePython(text: string): PyToken[] {
  const out: PyToken[] = [];
  let i = 0;
  let depth = 0;
  let lineStart = 0;
  const push = (kind: PyTokenKind, start: number, end: number, str?: string): void => {
    out.push({
      kind,
      text: text.slice(start, end),
      start,
      end,
      col: start - lineStart,
      ...(str !== undefined ? { str } : {}),
    });
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      if (depth === 0 && out.length && out[out.length - 1].kind !== 'newline') push('newline', i, i + 1);
      i++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      lineStart = i;
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    const head = text.slice(i, i + 5);
    const sm = STRING_START.exec(head);
    if (sm && (sm[1] === '' || /[A-Za-z]/.test(c))) {
      const quote = sm[2];
      const start = i;
      const col = start - lineStart;
      const bodyStart = i + sm[0].length;
      let j = bodyStart;
      while (j < text.length && !text.startsWith(quote, j)) {
        if (text[j] === '\\') j++;
        else if (text[j] === '\n') {
          if (quote.length === 1) break; // unterminated one-line string: stop at the line end
          lineStart = j + 1;
        }
        j++;
      }
      const end = Math.min(text.length, j + (text.startsWith(quote, j) ? quote.length : 0));
      out.push({
        kind: 'string',
        text: text.slice(start, end),
        start,
        end,
        col,
        str: decode(text.slice(bodyStart, j), /[rR]/.test(sm[1])),
      });
      i = end;
      continue;
    }
    const num = /^(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJ]?/.exec(
      text.slice(i, i + 64),
    );
    if (num && /[\d.]/.test(c) && num[0] !== '.') {
      push('number', i, i + num[0].length);
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_\u00c0-\uffff][\w\u00c0-\uffff]*/.exec(text.slice(i, i + 256));
    if (name) {
      push('name', i, i + name[0].length);
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i)) ?? c;
    if (op === '(' || op === '[' || op === '{') depth++;
    else if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
    push('op', i, i + op.length);
    i += op.length;
  }
  if (out.length && out[out.length - 1].kind !== 'newline')
    out.push({ kind: 'newline', text: '', start: text.length, end: text.length, col: 0 });
  return out;
}
