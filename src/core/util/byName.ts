/**
 * Orders things by their `name`, code unit by code unit (not by locale: the same order everywhere, as a sorted
 * listing or a sorted list of series must be). Self-contained, so that the I/O worker can take its source.
 */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
