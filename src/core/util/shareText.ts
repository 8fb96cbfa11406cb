/**
 * One copy of a text many runs repeat (a provenance such as "12·L·d² from n_layer, d_model"): 10,000 runs of a
 * sweep each kept their own, built from pieces (several string objects each), and everything a scan keeps is copied
 * by the collector on its way to the old generation.
 */
const known = new Map<string, string>();
/** Forgotten past this many texts (a tree with few repeats would otherwise grow the map without end). */
const MAX_KNOWN = 4096;

/** `text`, or an equal text given before (then `text` itself is garbage). */
export function shareText(text: string): string {
  const seen = known.get(text);
  if (seen !== undefined) return seen;
  if (known.size >= MAX_KNOWN) known.clear();
  known.set(text, text);
  return text;
}
