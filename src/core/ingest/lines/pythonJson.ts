/**
 * Python's json.dumps writes NaN, Infinity and -Infinity for non-finite floats (a diverged loss), which JSON.parse
 * rejects. They are data, so they are read back as the numbers they stand for.
 */
const NON_FINITE = /(?<=[:[,]\s*)-?(?:NaN|Infinity)(?=\s*[,}\]])/g;
const BARE = new Map<string, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
]);
const MARK = '\u0000non-finite:';

/**
 * JSON.parse that also accepts Python's NaN/Infinity/-Infinity (bare, or as values in objects and arrays) and gives
 * them as numbers. Throws JSON.parse's own error (it says where the text is broken) when the text is not JSON.
 */
export function parsePythonJson(text: string): unknown {
  const bare = BARE.get(text.trim());
  if (bare !== undefined) return bare;
  try {
    return JSON.parse(text);
  } catch (e) {
    // the mark is written escaped: a raw control character is not allowed inside a JSON string
    const patched = text.replace(NON_FINITE, (w) => `"\\u0000non-finite:${w}"`);
    if (patched === text) throw e;
    try {
      return JSON.parse(patched, (_key, v: unknown) =>
        typeof v === 'string' && v.startsWith(MARK) ? BARE.get(v.slice(MARK.length)) : v,
      );
    } catch {
      throw e;
    }
  }
}
