import { parseNumber } from './number';

/**
 * What a scalar value was. NonFinite: NaN, Infinity or -Infinity, which Python's json.dumps writes and JSON.parse
 * rejects. Other: a string or a boolean, not a metric.
 */
export const ValueKind = { Number: 0, Null: 1, NonFinite: 2, Other: 3 } as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

/** One key of a line's layout: a scalar (0), the start of a nested object (1), or the end of one (-1, no key). */
interface Token {
  raw: string;
  nest: 0 | 1 | -1;
}

/**
 * The layout of a JSON-lines record: its keys in order, nested objects included. Logs repeat one or two
 * layouts for millions of lines, so a line is checked against a known layout key by key (comparing in place,
 * no strings made) and only its scalar values are parsed. Scalars get slots numbered in document order;
 * `names` holds each slot's dotted path (`train.loss`), `depths` its nesting (1 = top level).
 */
export class JsonLayout {
  readonly raw: string[];
  readonly nest: Int8Array;
  readonly names: string[] = [];
  readonly depths: number[] = [];

  constructor(tokens: Token[]) {
    this.raw = tokens.map((t) => t.raw);
    this.nest = Int8Array.from(tokens.map((t) => t.nest));
    const prefix: string[] = [];
    for (const t of tokens) {
      if (t.nest === 1) prefix.push(t.raw);
      else if (t.nest === -1) prefix.pop();
      else {
        this.names.push(prefix.length ? `${prefix.join('.')}.${t.raw}` : t.raw);
        this.depths.push(prefix.length + 1);
      }
    }
  }

  get slots(): number {
    return this.names.length;
  }

  /** Same keys in the same order. */
  signature(): string {
    let s = '';
    for (let t = 0; t < this.raw.length; t++) s += `${this.nest[t]}${this.raw[t]}\n`;
    return s;
  }
}

/**
 * Scans one line holding a JSON object of scalars and nested objects (no arrays, no escapes in keys): the shape
 * of nearly every metric log line. Whatever it does not handle (arrays, escaped keys, invalid JSON) it declines,
 * and the caller parses the line with JSON.parse instead, which also produces the error message.
 */
export class JsonLineScanner {
  values = new Float64Array(64);
  kinds = new Uint8Array(64);
  private found: Token[] = [];

  /** Parses a line whose keys are exactly `layout`'s, in order, into values/kinds; false if they differ. */
  match(text: string, start: number, end: number, layout: JsonLayout): boolean {
    return this.walk(text, start, end, layout);
  }

  /** The layout of a line, with its values parsed into values/kinds; undefined when the line needs JSON.parse. */
  discover(text: string, start: number, end: number): JsonLayout | undefined {
    this.found = [];
    if (!this.walk(text, start, end, undefined)) return undefined;
    return new JsonLayout(this.found);
  }

  private walk(text: string, start: number, end: number, layout: JsonLayout | undefined): boolean {
    let i = skipWs(text, start, end);
    if (text.charCodeAt(i) !== 123) return false;
    i = skipWs(text, i + 1, end);
    let t = 0;
    let slot = 0;
    let depth = 1;
    let c = text.charCodeAt(i);
    if (c === 125) {
      // "{}" at the top: an empty record
      return skipWs(text, i + 1, end) === end && (layout ? layout.raw.length === 0 : true);
    }
    for (;;) {
      // a member: "key": value
      if (c !== 34) return false;
      const ks = i + 1;
      let ke: number;
      if (layout) {
        if (t >= layout.raw.length || layout.nest[t] === -1) return false;
        const raw = layout.raw[t];
        ke = ks + raw.length;
        if (ke >= end || text.charCodeAt(ke) !== 34 || !text.startsWith(raw, ks)) return false;
      } else {
        ke = text.indexOf('"', ks);
        if (ke < 0 || ke >= end) return false;
      }
      i = skipWs(text, ke + 1, end);
      if (text.charCodeAt(i) !== 58) return false;
      i = skipWs(text, i + 1, end);
      c = text.charCodeAt(i);
      if (c === 123) {
        if (layout) {
          if (layout.nest[t] !== 1) return false;
        } else if (!this.add(text.slice(ks, ke), 1)) return false;
        t++;
        depth++;
        i = skipWs(text, i + 1, end);
        c = text.charCodeAt(i);
        if (c !== 125) continue; // first member of the nested object
      } else {
        if (layout) {
          if (layout.nest[t] !== 0) return false;
        } else if (!this.add(text.slice(ks, ke), 0)) return false;
        t++;
        i = this.scalar(text, i, end, slot++);
        if (i < 0) return false;
        i = skipWs(text, i, end);
        c = text.charCodeAt(i);
      }
      // after a value: more members, or the end of one or more objects
      for (;;) {
        if (c === 44) {
          i = skipWs(text, i + 1, end);
          c = text.charCodeAt(i);
          break;
        }
        if (c !== 125) return false;
        depth--;
        if (depth === 0) return skipWs(text, i + 1, end) === end && (layout ? t === layout.raw.length : true);
        if (layout) {
          if (layout.nest[t] !== -1) return false;
        } else this.found.push({ raw: '', nest: -1 });
        t++;
        i = skipWs(text, i + 1, end);
        c = text.charCodeAt(i);
      }
    }
  }

  private add(raw: string, nest: 0 | 1): boolean {
    if (raw.includes('\\')) return false; // escaped key: JSON.parse decodes it
    this.found.push({ raw, nest });
    return true;
  }

  /** Parses the scalar at i into slot; returns the index after it, or -1 to decline the line. */
  private scalar(text: string, i: number, end: number, slot: number): number {
    if (slot >= this.values.length) this.grow();
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 45) {
      if (c === 45 && text.startsWith('-Infinity', i)) return this.set(slot, ValueKind.NonFinite, NaN, i + 9);
      let j = i + 1;
      for (let d = text.charCodeAt(j); j < end && ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45); d = text.charCodeAt(++j));
      const v = parseNumber(text, i, j);
      if (v !== v) return -1; // not a JSON number: let JSON.parse say what is wrong
      return this.set(slot, ValueKind.Number, v, j);
    }
    if (c === 34) {
      // a string value: find its closing quote, stepping over escaped ones
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0 || j >= end) return -1;
        let bs = 0;
        while (text.charCodeAt(j - 1 - bs) === 92) bs++;
        if (bs % 2 === 0) break;
        j++;
      }
      return this.set(slot, ValueKind.Other, NaN, j + 1);
    }
    if (c === 110 && text.startsWith('null', i)) return this.set(slot, ValueKind.Null, NaN, i + 4);
    if (c === 116 && text.startsWith('true', i)) return this.set(slot, ValueKind.Other, NaN, i + 4);
    if (c === 102 && text.startsWith('false', i)) return this.set(slot, ValueKind.Other, NaN, i + 5);
    if (c === 78 && text.startsWith('NaN', i)) return this.set(slot, ValueKind.NonFinite, NaN, i + 3);
    if (c === 73 && text.startsWith('Infinity', i)) return this.set(slot, ValueKind.NonFinite, NaN, i + 8);
    return -1; // an array, or not JSON
  }

  private set(slot: number, kind: ValueKind, v: number, next: number): number {
    this.kinds[slot] = kind;
    this.values[slot] = v;
    return next;
  }

  private grow(): void {
    const v = new Float64Array(this.values.length * 2);
    v.set(this.values);
    const k = new Uint8Array(this.kinds.length * 2);
    k.set(this.kinds);
    this.values = v;
    this.kinds = k;
  }
}

function skipWs(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    i++;
  }
  return i;
}
