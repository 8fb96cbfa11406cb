/**
 * A tolerant JSON/JSONC reader that keeps positions: comments (`//`, `/* *\/`), trailing commas and single-quoted
 * strings are accepted, because hand-edited configs (VS Code settings, DeepSpeed, HF) contain them. On a syntax
 * error it stops and keeps every entry read so far: the document under the cursor is usually mid-edit.
 */
import type { ConfigValue } from '../../model/run';
import type { ConfigEntry, ParsedConfig, Span } from '../types';

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 200;

export function locateJson(text: string): ParsedConfig {
  const entries: ConfigEntry[] = [];
  const errors: string[] = [];
  let i = 0;

  // Declared with its type so that TypeScript narrows after a call (`never` ends the path).
  const fail: (msg: string) => never = (msg) => {
    throw new JsonSyntaxError(msg, i);
  };

  function skipTrivia(): void {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) i++;
      else if (c === 47 && text.charCodeAt(i + 1) === 47) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl + 1;
      } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) fail('unterminated block comment');
        i = close + 2;
      } else return;
    }
  }

  function readString(): string {
    const quote = text[i];
    let out = '';
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const ch = text[i];
      if (ch === quote) {
        i++;
        return out;
      }
      if (ch === '\n') fail('line break inside a string');
      if (ch === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          b: '\b',
          f: '\f',
          '/': '/',
          '\\': '\\',
          '"': '"',
          "'": "'",
        };
        if (e === 'u') {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          out += simple[e] ?? e;
          i += 2;
        }
        continue;
      }
      out += ch;
      i++;
    }
  }

  function readValue(path: string, depth: number, keySpan?: Span): void {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipTrivia();
    const start = i;
    const c = text[i];
    if (c === '{') {
      readObject(path, depth);
      return;
    }
    if (c === '[') {
      readArray(path, depth);
      return;
    }
    let value: ConfigValue;
    if (c === '"' || c === "'") value = readString();
    else {
      // Bare token: number, true/false/null, or a JSON5-ish identifier such as Infinity.
      const m = /^[^\s,\]}/]+/.exec(text.slice(i, i + 256));
      if (!m) fail(i >= text.length ? 'unexpected end of text' : `unexpected "${c}"`);
      const tok = m[0];
      i += tok.length;
      if (tok === 'true' || tok === 'false') value = tok === 'true';
      else if (tok === 'null') value = null;
      else {
        const n = Number(tok);
        value = Number.isFinite(n) ? n : tok;
      }
    }
    if (path)
      entries.push({
        key: path,
        value,
        raw: text.slice(start, i),
        keySpan: keySpan ?? { start, end: i },
        valueSpan: { start, end: i },
      });
  }

  function readObject(path: string, depth: number): void {
    i++; // {
    for (;;) {
      skipTrivia();
      if (text[i] === '}') {
        i++;
        return;
      }
      const keyStart = i;
      let key: string;
      if (text[i] === '"' || text[i] === "'") key = readString();
      else {
        const m = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i, i + 256));
        if (!m)
          fail(i >= text.length ? 'unexpected end of text inside an object' : `expected a key, found "${text[i]}"`);
        key = m[0];
        i += key.length;
      }
      const keySpan = { start: keyStart, end: i };
      skipTrivia();
      if (text[i] !== ':') fail(`expected ":" after key "${key}"`);
      i++;
      readValue(path ? `${path}.${key}` : key, depth + 1, keySpan);
      skipTrivia();
      if (text[i] === ',') i++;
      else if (text[i] !== '}')
        fail(i >= text.length ? 'unexpected end of text inside an object' : `expected "," or "}", found "${text[i]}"`);
    }
  }

  function readArray(path: string, depth: number): void {
    i++; // [
    let index = 0;
    for (;;) {
      skipTrivia();
      if (text[i] === ']') {
        i++;
        return;
      }
      // Array items have no key of their own: the hover target is the item itself.
      readValue(path ? `${path}.${index}` : String(index), depth + 1);
      index++;
      skipTrivia();
      if (text[i] === ',') i++;
      else if (text[i] !== ']')
        fail(i >= text.length ? 'unexpected end of text inside an array' : `expected "," or "]", found "${text[i]}"`);
    }
  }

  try {
    skipTrivia();
    if (i < text.length) {
      readValue('', 0);
      skipTrivia();
      if (i < text.length) fail(`unexpected text after the top-level value`);
    }
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const line = text.slice(0, e.offset).split('\n').length;
    errors.push(`line ${line}: ${e.message}`);
  }
  return { format: 'json', entries, errors };
}
