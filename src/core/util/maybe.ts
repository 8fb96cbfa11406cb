/**
 * Honest reads of values whose static type is more certain than the data: records indexed by a key that may be
 * absent, and fields of files written by older versions. TypeScript types `record[key]` as always present and an
 * artifact's fields as the current version has them; these helpers say "may be missing" where that is the truth,
 * so the check that follows is not dead code.
 */

/** `record[key]`, or undefined when the record has no such own key (never a prototype member like `constructor`). */
export function lookup<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** A field read from a file or message that older writers may have left out. */
export function mayBeAbsent<T>(value: T): T | undefined {
  return value;
}
