import { stat } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import type { RunSource } from './types';

/** Whether `p` lies strictly inside folder `dir`. */
export function isUnder(p: string, dir: string): boolean {
  return p.length > dir.length && p.startsWith(dir) && (p[dir.length] === sep || dir.endsWith(sep));
}

/** Names that may be (part of) a run: a new one may start a run; anything else (weights, optimizer state) is ignored. */
export function looksLikeLogFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf(sep) + 1);
  return (
    /\.(jsonl|ndjson|csv|tsv|json|ya?ml|db|sqlite3?|wandb|log|txt)$/i.test(name) ||
    name.startsWith('events.out.tfevents') ||
    /[\\/](mlruns|metrics|params|tags)[\\/]/.test(path)
  );
}

/**
 * Folders that are part of a run's layout rather than a run of their own: MLflow's `metrics/`, `params/`, `tags/`
 * (metric keys with "/" nest below `metrics/`), DVCLive's `plots/metrics/`, W&B's `files/`, the Trainer's
 * `checkpoint-<step>/`. A file below one of them belongs to the run in the folder above it.
 */
const LAYOUT_DIR = /^(?:metrics|params|tags|plots|files|checkpoint-\d+)$/;

/** Whether a folder name is one of a run's layout folders (see LAYOUT_DIR). */
export function isLayoutFolder(name: string): boolean {
  return LAYOUT_DIR.test(name);
}

/**
 * The folder that holds the run a new file belongs to: the file's folder, or the folder above the last layout
 * folder on its path (`mlruns/0/<run>/metrics/train/loss` → `mlruns/0/<run>`). Never above `root`.
 */
export function runFolderOf(root: string, file: string): string {
  const parts = relative(root, dirname(file)).split(/[\\/]/).filter(Boolean);
  let cut = -1;
  for (let i = parts.length - 1; i >= 0; i--) {
    if (isLayoutFolder(parts[i])) {
      cut = i;
      break;
    }
  }
  if (cut > 0 && parts[cut] === 'metrics' && parts[cut - 1] === 'plots') cut--;
  const keep = cut < 0 ? parts : parts.slice(0, cut);
  return keep.length ? `${root}${sep}${keep.join(sep)}` : root;
}

/** The identity of a detected run: format, id and files (a run whose id or files change gets a fresh reader). */
export function sourceKey(s: RunSource): string {
  return `${s.format}:${s.id}:${s.files.join('|')}`;
}

/** Whether a path is a file, a folder, or gone. */
export async function pathKind(p: string): Promise<'file' | 'dir' | 'missing'> {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** Drops subtrees inside another one of the same root. */
export function outermost<T extends { root: unknown; dir: string }>(list: T[]): T[] {
  return list.filter(
    (a, i) => !list.some((b, j) => b.root === a.root && (isUnder(a.dir, b.dir) || (a.dir === b.dir && j < i))),
  );
}
