import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../model/run';
import { errorMessage } from './common';
import type { FileEntry } from './types';

/** Folders that never hold a user's runs, or hold deleted ones (MLflow's .trash). */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.ipynb_checkpoints', '.trash', '.cache', '.mypy_cache', '.pytest_cache']);
const MAX_DEPTH = 16;

export interface WalkOptions {
  /** Extra folder names or relative paths to skip. */
  exclude?: (relPath: string, name: string) => boolean;
  maxFiles?: number;
}

/** Lists every file under `root` (or `root` itself when it is a file), breadth first, with sizes. */
export async function walk(root: string, diagnostics: Diagnostic[], opts: WalkOptions = {}): Promise<FileEntry[]> {
  const abs = resolve(root);
  const out: FileEntry[] = [];
  const maxFiles = opts.maxFiles ?? 200_000;
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
    const next: { dir: string; rel: string }[] = [];
    for (const { dir, rel } of level) {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        diagnostics.push({ file: dir, message: `cannot list folder: ${errorMessage(e)}`, severity: 'error' });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const ent of entries) {
        const p = join(dir, ent.name);
        const r = rel ? `${rel}/${ent.name}` : ent.name;
        if (ent.isDirectory()) {
          if (SKIP_DIRS.has(ent.name) || opts.exclude?.(r, ent.name)) continue;
          next.push({ dir: p, rel: r });
        } else if (ent.isFile() || ent.isSymbolicLink()) {
          if (opts.exclude?.(r, ent.name)) continue;
          let size = 0;
          try {
            const s = await stat(p);
            if (!s.isFile()) continue;
            size = s.size;
          } catch {
            continue; // dangling symlink (W&B's latest-run points at a folder; that is walked on its own)
          }
          out.push({ path: p, name: ent.name, dir, size });
          if (out.length >= maxFiles) {
            diagnostics.push({ file: abs, message: `stopped listing after ${maxFiles} files; narrow the folder or add exclusions`, severity: 'warning' });
            return out;
          }
        }
      }
    }
    level = next;
  }
  return out;
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
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}
