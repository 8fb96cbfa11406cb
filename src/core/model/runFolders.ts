/**
 * Run folders (relative, '/'-separated, all starting with `prefix`) counted by their first sub-folder below
 * `prefix` ("sweeps/sweep-3/"); `direct` holds the runs with no sub-folder below it.
 */
export function groupBySubfolder(rels: string[], prefix: string): { groups: Map<string, number>; direct: Set<string> } {
  const groups = new Map<string, number>();
  const direct = new Set<string>();
  for (const rel of rels) {
    const rest = rel.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) direct.add(rel);
    else {
      const key = prefix + rest.slice(0, slash + 1);
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
  }
  return { groups: new Map([...groups].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))), direct };
}
