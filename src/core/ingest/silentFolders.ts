import { basename, dirname } from 'node:path';
import { childPath } from '../util/childPath';
import type { Diagnostic } from '../model/run';
import type { FileEntry, RunSource } from './types';
import { timeSlicer } from './concurrency';

/**
 * Folders that look like a tool's log folder by name or layout but gave no run: a diagnostic says what was found
 * and what was missing, so "0 runs" is never the whole answer. `walked` is every file listed, `sources` the runs
 * detected from them. Yields to the event loop now and then (a tree of 100,000 runs is a long pass).
 */
export async function silentFolders(
  walked: readonly FileEntry[],
  sources: readonly RunSource[],
): Promise<Diagnostic[]> {
  const slice = timeSlicer();
  // made when first asked (a folder with a meta.yaml no run read): most trees never ask
  let owned: Set<string> | undefined;
  const isOwned = (file: string): boolean =>
    (owned ??= new Set(sources.flatMap((s) => [...s.files, ...s.configFiles]))).has(file);
  // run folders and every folder above them, so that "a run in or around this folder" costs a few lookups, not a
  // pass over every run (10,000 runs × 10,000 folders would stall the scan)
  const runDirs = new Set(sources.map((s) => s.dir));
  const aboveRuns = new Set<string>();
  for (const d of runDirs) {
    const pause = slice();
    if (pause) await pause;
    for (let p = d; !aboveRuns.has(p); p = dirname(p)) {
      aboveRuns.add(p);
      if (dirname(p) === p) break;
    }
  }
  const hasRunIn = (dir: string): boolean => {
    if (aboveRuns.has(dir)) return true; // a run folder, or a folder holding one
    for (let p = dirname(dir); ; p = dirname(p)) {
      if (runDirs.has(p)) return true; // inside a run folder
      if (dirname(p) === p) return false;
    }
  };
  const byDir = new Map<string, string[]>();
  for (const f of walked) {
    const names = byDir.get(f.dir);
    if (names) names.push(f.name);
    else byDir.set(f.dir, [f.name]);
  }
  // folders with a metrics/ or params/ sub-folder: an MLflow run there that was not read was hidden on purpose
  const mlflowLayout = new Set(
    [...byDir.keys()].filter((d) => /^(?:metrics|params)$/.test(basename(d))).map((d) => dirname(d)),
  );
  const out: Diagnostic[] = [];
  const report = (dir: string, what: string, found: string[], missing: string) =>
    out.push({
      file: dir,
      message: `looks like ${what} but no run was read: found ${found.slice(0, 4).join(', ')}${found.length > 4 ? ', …' : ''}; missing ${missing}`,
      severity: 'warning',
    });

  for (const [dir, names] of byDir) {
    const pause = slice();
    if (pause) await pause;
    if (hasRunIn(dir)) continue;
    const name = basename(dir);
    const wandbRun = /^(?:offline-)?run-\d{8}_\d{6}-\w+$/;
    if (wandbRun.test(name) || (name === 'files' && wandbRun.test(basename(dirname(dir))))) {
      // the run folder is named, whether its files sit in it or in its files/ folder
      const runDir = name === 'files' ? dirname(dir) : dir;
      if (!out.some((d) => d.file === runDir))
        report(
          runDir,
          'a W&B run folder',
          name === 'files' ? names.map((n) => `files/${n}`) : names,
          'its run-<id>.wandb log (or wandb-history.jsonl)',
        );
    } else if (/^version_\d+$/.test(name) && names.includes('hparams.yaml')) {
      report(dir, 'a Lightning version folder', names, 'metrics.csv or an events.out.tfevents.* file');
    } else if (
      names.includes('meta.yaml') &&
      !isOwned(childPath(dir, 'meta.yaml')) &&
      /^[0-9a-f]{32}$/.test(name) &&
      !mlflowLayout.has(dir)
    ) {
      report(dir, 'an MLflow run folder', names, 'metrics/ or params/ beside meta.yaml');
    } else if (name === 'dvclive' || (names.includes('dvc.yaml') && names.includes('metrics.json'))) {
      report(dir, 'a DVCLive folder', names, 'plots/metrics/*.tsv (or the older scalars/*.tsv)');
    }
  }
  return out;
}
