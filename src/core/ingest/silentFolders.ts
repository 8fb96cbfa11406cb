import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../model/run';
import { isUnder } from './catalogPaths';
import type { FileEntry, RunSource } from './types';

/**
 * Folders that look like a tool's log folder by name or layout but gave no run: a diagnostic says what was found
 * and what was missing, so "0 runs" is never the whole answer. `walked` is every file listed, `sources` the runs
 * detected from them.
 */
export function silentFolders(walked: readonly FileEntry[], sources: readonly RunSource[]): Diagnostic[] {
  const runDirs = sources.map((s) => s.dir);
  const owned = new Set(sources.flatMap((s) => [...s.files, ...s.configFiles]));
  const hasRunIn = (dir: string) => runDirs.some((d) => d === dir || isUnder(d, dir) || isUnder(dir, d));
  const byDir = new Map<string, string[]>();
  for (const f of walked) byDir.set(f.dir, [...(byDir.get(f.dir) ?? []), f.name]);
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
      !owned.has(join(dir, 'meta.yaml')) &&
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
