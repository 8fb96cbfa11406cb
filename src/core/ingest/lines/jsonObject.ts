type Json = Record<string, unknown>;

/** What a leaf value was: a number (in `values`), null, or anything else (a string or boolean: not a metric). */
export const LEAF_NUMBER = 0;
export const LEAF_NULL = 1;
export const LEAF_OTHER = 2;

/**
 * The leaf values of the last record read: numbers in `values`, kinds in `kinds`. Typed arrays rather than an
 * array of values: a long-lived array that points at each new line's numbers would make V8 record every such
 * store for the next young-generation collection.
 */
export class LeafBuffer {
  values = new Float64Array(64);
  kinds = new Uint8Array(64);

  ensure(n: number): void {
    if (n <= this.values.length) return;
    this.values = new Float64Array(n * 2);
    this.kinds = new Uint8Array(n * 2);
  }
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The layout of a parsed JSON-lines record: its keys in order, nested objects as sub-layouts. Logs repeat one or
 * two layouts for millions of lines, so the meaning of each value (metric, step, tokens…) is worked out once per
 * layout, and a line that has a known layout only needs its values read out in order (no flattening, no lookups
 * by name). `names` holds each leaf's dotted path (`train.loss`) in document order; `depths` its nesting
 * (1 = top level).
 */
export class JsonLayout {
  readonly names: string[] = [];
  readonly depths: number[] = [];

  private constructor(
    private readonly keys: string[],
    private readonly subs: (JsonLayout | undefined)[],
  ) {}

  /** The layout of a record, or undefined when it holds an array (left to the general flattening path). */
  static of(obj: Json): JsonLayout | undefined {
    const keys = Object.keys(obj);
    const subs: (JsonLayout | undefined)[] = [];
    for (const k of keys) {
      const v = obj[k];
      if (Array.isArray(v)) return undefined;
      if (isObject(v)) {
        const sub = JsonLayout.of(v);
        if (!sub) return undefined;
        subs.push(sub);
      } else subs.push(undefined);
    }
    const layout = new JsonLayout(keys, subs);
    layout.collectNames('', 1, layout.names, layout.depths);
    return layout;
  }

  /** The top-level keys, in order. */
  get topKeys(): readonly string[] {
    return this.keys;
  }

  /** The leaf values of `obj` into `out` (from index 0) if `obj` has exactly this layout; false otherwise. */
  read(obj: Json, out: LeafBuffer): boolean {
    out.ensure(this.names.length);
    return this.readInto(obj, out.values, out.kinds, 0) >= 0;
  }

  /** Same keys in the same order, at every level. */
  signature(): string {
    return this.keys.map((k, i) => (this.subs[i] ? `${k}{${this.subs[i].signature()}}` : k)).join('\n');
  }

  /** Whether a key at any level is one the general path treats specially. */
  hasKey(test: (key: string, depth: number, childKeys: string[] | undefined) => boolean, depth = 1): boolean {
    return this.keys.some((k, i) => {
      const sub = this.subs[i];
      return test(k, depth, sub?.keys) || (sub !== undefined && sub.hasKey(test, depth + 1));
    });
  }

  private readInto(obj: Json, values: Float64Array, kinds: Uint8Array, k: number): number {
    const want = this.keys;
    const subs = this.subs;
    let i = 0;
    // for-in with obj[key] is the pattern V8 compiles to field loads through the object's enum cache: no arrays made
    for (const key in obj) {
      if (key !== want[i]) return -1;
      const v = obj[key];
      const sub = subs[i];
      if (sub) {
        if (!isObject(v)) return -1;
        k = sub.readInto(v, values, kinds, k);
        if (k < 0) return -1;
      } else if (typeof v === 'number') {
        values[k] = v;
        kinds[k++] = LEAF_NUMBER;
      } else if (v === null) kinds[k++] = LEAF_NULL;
      else if (typeof v === 'object') return -1;
      else kinds[k++] = LEAF_OTHER;
      i++;
    }
    return i === want.length ? k : -1;
  }

  private collectNames(prefix: string, depth: number, names: string[], depths: number[]): void {
    this.keys.forEach((key, i) => {
      const name = prefix ? `${prefix}.${key}` : key;
      const sub = this.subs[i];
      if (sub) sub.collectNames(name, depth + 1, names, depths);
      else {
        names.push(name);
        depths.push(depth);
      }
    });
  }
}
