/**
 * A small JSON-lines log of flat records of numbers (`{"iter": 10, "loss": 3.2, "lr": 3e-4}` on every line, the
 * commonest log there is), parsed whole into columns. The I/O worker does this beside its reads (see ioWorker), so
 * that for 10,000 small runs the main thread gets typed columns instead of parsing 2 million lines itself.
 */
export interface LogTable {
  /** Keys in the order they first appear. */
  names: string[];
  /** Complete lines: every one a flat object of numbers. */
  lines: number;
  /** Bytes of the file those lines take, through the last newline. */
  bytes: number;
  /** Column by column: `values[c * lines + r]` is key `c` on line `r`; NaN where line `r` lacks key `c`. */
  values: Float64Array;
  /** The file's bytes after `bytes`: a last line without its newline yet (often none). */
  rest: Buffer;
}

/** The first bytes of a file a tail keeps to notice that the file was rewritten from the top (see TextTail). */
export const IDENTITY_BYTES = 64;

/**
 * The table of `text` (complete lines joined by "\n", no final newline), or undefined when any line is something
 * else: blank, not JSON (Python's NaN), not an object, empty, or holding a value that is not a number (a string,
 * null, a nested object, an array). Those logs take the reader's general path, which says what is wrong where. So
 * do records the general path reads differently from their keys: `__proto__`, `_wandb`, W&B's `{value, desc}`
 * wrapper, and two keys that differ only in case (the step field is matched case-insensitively).
 *
 * JSON.parse has no NaN: a NaN in `values` always means "no value". `1e999` parses to Infinity and is kept.
 *
 * Self-contained (no imports, no names from outside, no `this`): ioWorker sends its source to a worker thread.
 */
export function tabulateJsonLines(text: string): Omit<LogTable, 'bytes' | 'rest'> | undefined {
  if (text.charCodeAt(0) !== 123) return undefined; // '{'
  let all: unknown;
  try {
    // one parse for the whole log: a line break between two records becomes an array's comma
    all = JSON.parse(`[${text.replaceAll('\n', ',')}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(all)) return undefined;
  const lines = all.length;
  const index = new Map<string, number>();
  const names: string[] = [];
  // values written in place, column c at c * lines: room for as many columns as the first record has keys (most
  // logs repeat one set of keys), doubled when a new key needs more
  const first: unknown = all[0];
  let room = first !== null && typeof first === 'object' ? Math.max(1, Object.keys(first).length) : 1;
  let values = new Float64Array(room * lines).fill(NaN);
  for (let r = 0; r < lines; r++) {
    const record: unknown = all[r];
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
    // for…in rather than Object.keys: no array per record (a parsed record has no inherited enumerable keys)
    let empty = true;
    let wrapper = true; // only `value` and `desc`: W&B's {value, desc} wrapper
    let hasValue = false;
    for (const key in record) {
      empty = false;
      const v: unknown = (record as Record<string, unknown>)[key];
      if (typeof v !== 'number') return undefined;
      if (key === 'value') hasValue = true;
      else if (key !== 'desc') wrapper = false;
      let c = index.get(key);
      if (c === undefined) {
        if (key === '__proto__' || key === '_wandb') return undefined;
        const lower = key.toLowerCase();
        for (const name of names) if (name.toLowerCase() === lower) return undefined;
        c = names.length;
        index.set(key, c);
        names.push(key);
        if (c === room) {
          room *= 2;
          const wider = new Float64Array(room * lines).fill(NaN);
          wider.set(values);
          values = wider;
        }
      }
      values[c * lines + r] = v;
    }
    if (empty || (wrapper && hasValue)) return undefined;
  }
  if (room > names.length) values = values.slice(0, names.length * lines);
  return { names, lines, values };
}
