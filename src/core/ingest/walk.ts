import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { childPath } from '../util/childPath';
import type { Diagnostic } from '../model/run';
import { errorMessage } from './common';
import { BATCH, listFolderEntries } from './ioWorker';
import { mapLimit, yieldWhenBusy } from './concurrency';
import type { FileEntry, ScanContext } from './types';

/** Folders that never hold a user's runs, or hold deleted ones (MLflow's .trash). */
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '__pycache__',
  '.ipynb_checkpoints',
  '.trash',
  '.cache',
  '.mypy_cache',
  '.pytest_cache',
]);
const MAX_DEPTH = 16;

export interface WalkOptions {
  /** Extra folder names or relative paths to skip. */
  exclude?: (relPath: string, name: string) => boolean;
  /** Files listed at most (default MAX_FILES); past it the walk stops with a warning naming the root. */
  maxFiles?: number;
}

/**
 * A bound for a root opened by mistake (a home folder, `/`), high enough for real results folders: 100,000 runs of
 * a log and a config or two each.
 */
export const MAX_FILES = 1_000_000;

/** A folder just listed: its files and how many subfolders will be walked (the walk goes level by level). */
export type OnFolder = (dir: string, files: readonly FileEntry[], subfolders: number) => void;

/**
 * Lists every file under `root` (or `root` itself when it is a file), breadth first (sizes as FileEntry says);
 * `onFolder` hears of each folder as soon as it is listed.
 */
export async function walk(
  root: string,
  diagnostics: Diagnostic[],
  opts: WalkOptions = {},
  onFolder?: OnFolder,
): Promise<FileEntry[]> {
  const abs = resolve(root);
  const out: FileEntry[] = [];
  const maxFiles = opts.maxFiles ?? MAX_FILES;
  let st;
  try {
    st = await stat(abs);
  } catch (e) {
    diagnostics.push({ file: abs, message: `cannot open: ${errorMessage(e)}`, severity: 'error' });
    return out;
  }
  if (st.isFile()) {
    const slash = abs.lastIndexOf('/');
    return [{ path: abs, name: abs.slice(slash + 1), dir: abs.slice(0, slash) || '/', size: st.size }];
  }
  let level: { dir: string; rel: string }[] = [{ dir: abs, rel: '' }];
  for (let depth = 0; depth < MAX_DEPTH && level.length; depth++) {
    // the folders of one level are listed (and their files stat-ed) a bounded number at a time; the order of the
    // result stays that of a sequential walk: by level, then folder, then name
    const listed = await mapLimit(level, 2 * BATCH, async (d) => {
      const l = await listFolder(d.dir, d.rel, diagnostics, opts);
      if (onFolder) {
        // the worker's answers can queue up while early runs are read: take turns with them (see yieldWhenBusy)
        await yieldWhenBusy();
        onFolder(d.dir, l.files, l.folders.length);
      }
      return l;
    });
    const next: { dir: string; rel: string }[] = [];
    for (const l of listed) {
      for (const f of l.folders) next.push(f); // not push(...): a flat folder of 130,000 runs overflows the stack
      for (const f of l.files) {
        out.push(f);
        if (out.length >= maxFiles) {
          diagnostics.push({
            file: abs,
            message: `stopped listing after ${maxFiles} files; narrow the folder or add exclusions`,
            severity: 'warning',
          });
          return out;
        }
      }
    }
    level = next;
  }
  return out;
}

/**
 * One folder: its files (links to files followed, dangling links left out) and its subfolders to walk, each sorted
 * by name.
 */
async function listFolder(
  dir: string,
  rel: string,
  diagnostics: Diagnostic[],
  opts: WalkOptions,
): Promise<{ files: FileEntry[]; folders: { dir: string; rel: string }[] }> {
  const files: FileEntry[] = [];
  const folders: { dir: string; rel: string }[] = [];
  let listing;
  try {
    listing = await listFolderEntries(dir); // listed and stat-ed by the I/O worker
  } catch (e) {
    diagnostics.push({ file: dir, message: `cannot list folder: ${errorMessage(e)}`, severity: 'error' });
    return { files, folders };
  }
  const exclude = opts.exclude;
  // (a listing comes sorted by name)
  for (let i = 0; i < listing.names.length; i++) {
    const name = listing.names[i];
    // the path below the root, for exclusions (and a subfolder's own); not made for each file when none are set
    const r = exclude || listing.kinds[i] === 1 ? (rel ? rel + ('/' + name) : name) : '';
    if (listing.kinds[i] === 1) {
      if (!SKIP_DIRS.has(name) && !exclude?.(r, name)) folders.push({ dir: childPath(dir, name), rel: r });
    } else if (listing.sizes[i] !== -1 && !exclude?.(r, name)) {
      // -1: a dangling symlink, or one to a folder (W&B's latest-run; that folder is walked on its own)
      files.push({ path: childPath(dir, name), name, dir, size: listing.sizes[i] });
    }
  }
  return { files, folders };
}

/** What detectors of one scan share: the root run ids are relative to, cached heads and listings, a report sink. */
export function scanContext(root: string, walked: readonly FileEntry[], diagnostics: Diagnostic[]): ScanContext {
  return { root, head: headCache(), report: (d) => diagnostics.push(d), ...folderIndex(walked) };
}

/**
 * The file names of each folder, for ScanContext.filesIn and listedFilesIn: taken from a walk's listing, and for a
 * folder the walk did not cover (the parent of a re-detected subtree) listed once with readdir.
 */
function folderIndex(files: readonly FileEntry[]): Pick<ScanContext, 'filesIn' | 'listedFilesIn'> {
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    let names = byDir.get(f.dir);
    if (!names) byDir.set(f.dir, (names = new Set()));
    names.add(f.name);
  }
  return {
    listedFilesIn: (dir) => byDir.get(dir),
    filesIn: async (dir) => {
      const hit = byDir.get(dir);
      if (hit) return hit;
      let names = new Set<string>();
      try {
        names = new Set((await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name));
      } catch {
        // a folder that cannot be listed holds nothing for detection; the walk reports folders it could not list
      }
      byDir.set(dir, names);
      return names;
    },
  };
}

/** A cache of files' first bytes, shared by the detectors of one scan. */
export function headCache(): (path: string, bytes?: number) => Promise<Buffer> {
  // what was read, and how much was asked for: a shorter buffer than asked means the whole file is in it
  const cache = new Map<string, { buf: Buffer; asked: number }>();
  return async (path: string, bytes = 4096) => {
    const hit = cache.get(path);
    if (hit && (hit.asked >= bytes || hit.buf.length < hit.asked)) return hit.buf.subarray(0, bytes);
    let buf = Buffer.alloc(0);
    try {
      const fh = await open(path, 'r');
      try {
        const b = Buffer.alloc(Math.max(bytes, 4096));
        const { bytesRead } = await fh.read(b, 0, b.length, 0);
        buf = b.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    } catch {
      // unreadable: detectors see no content; the reader reports the error if the file is claimed
    }
    cache.set(path, { buf, asked: Math.max(bytes, 4096) });
    return buf.subarray(0, bytes);
  };
}

/** Every file under `dir` (recursively), absolute paths, sorted; an unreadable or missing folder gives []. */
export async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) for (const f of await filesUnder(p)) out.push(f);
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}
