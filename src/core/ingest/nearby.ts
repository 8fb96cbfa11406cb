import { open } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { childPath } from '../util/childPath';
import type { FormatName } from '../model/run';
import { CONFIG_NAMES, type DiagnosticSink, errorMessage, inConfigOrder, runId } from './common';
import { timeSlicer } from './concurrency';
import { looksBinary } from './tail';
import type { FileEntry, RunSource, ScanContext } from './types';
import { isUnder } from './catalogPaths';

/** The config files among a folder's names, in CONFIG_NAMES order (looking through the smaller of the two). */
function configNamesIn(names: ReadonlySet<string>): string[] {
  if (names.size > CONFIG_NAMES.size) return [...CONFIG_NAMES].filter((n) => names.has(n));
  const found: string[] = [];
  for (const n of names) if (CONFIG_NAMES.has(n)) found.push(n);
  return inConfigOrder(found);
}

/** The folders whose configs describe a run in `dir`: it, and its parent when `dir` lies below the scan root. */
function configFolders(dir: string, ctx: ScanContext): string[] {
  // (isUnder: path.relative here cost more than the rest of the lookup)
  return isUnder(dir, ctx.root) ? [dir, dirname(dir)] : [dir];
}

function configsIn(folders: readonly string[], names: readonly ReadonlySet<string>[]): string[] {
  return folders.flatMap((d, i) => configNamesIn(names[i]).map((n) => childPath(d, n)));
}

/**
 * Config files that describe a run living in `dir`: those in the folder itself, then those in its parent
 * (a sweep folder often holds one config per run folder, or one shared config above several log files).
 * Never looks above the scan root.
 */
export async function nearbyConfigs(dir: string, ctx: ScanContext): Promise<string[]> {
  return listedConfigs(dir, ctx) ?? listConfigs(dir, ctx);
}

/** nearbyConfigs through ScanContext.filesIn (which lists a folder the walk did not). */
async function listConfigs(dir: string, ctx: ScanContext): Promise<string[]> {
  const folders = configFolders(dir, ctx);
  return configsIn(folders, await Promise.all(folders.map((d) => ctx.filesIn(d))));
}

/** nearbyConfigs from folders already listed (no waiting: detection asks this of every run), else undefined. */
function listedConfigs(dir: string, ctx: ScanContext): string[] | undefined {
  if (!ctx.listedFilesIn) return undefined;
  const folders = configFolders(dir, ctx);
  const names: ReadonlySet<string>[] = [];
  for (const d of folders) {
    const listed = ctx.listedFilesIn(d);
    if (!listed) return undefined;
    names.push(listed);
  }
  return configsIn(folders, names);
}

/** Says that a file named like a text log holds binary content (see TailReadOptions.rejectBinary); true. */
export function reportBinary(sink: DiagnosticSink, file: string): true {
  sink.add(file, 'binary content in a file named like a text log; not read', 'byte 0', 'error');
  return true;
}

/**
 * Whether a file with a text log's name holds text. 'binary' (a NUL in the first KiB) and 'unreadable' (permission
 * denied, vanished) are reported to the sink, naming the file; a reader skips a binary file for good and tries an
 * unreadable one again on its next update (permissions get fixed, files reappear).
 */
export async function sniffText(file: string, sink: DiagnosticSink): Promise<'text' | 'binary' | 'unreadable'> {
  try {
    const fh = await open(file, 'r');
    try {
      const b = Buffer.alloc(1024);
      const { bytesRead } = await fh.read(b, 0, 1024, 0);
      if (looksBinary(b.subarray(0, bytesRead))) {
        reportBinary(sink, file);
        return 'binary';
      }
    } finally {
      await fh.close();
    }
  } catch (e) {
    sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
    return 'unreadable';
  }
  return 'text';
}

/**
 * One run per log file (a CSV or JSON-lines log), with the configs near its folder: the run's id is its folder's,
 * plus the file's stem when the folder holds several logs of the format.
 */
export async function runPerLogFile(
  logs: readonly FileEntry[],
  format: FormatName,
  ctx: ScanContext,
): Promise<RunSource[]> {
  const perDir = new Map<string, FileEntry[]>();
  for (const f of logs) {
    const list = perDir.get(f.dir);
    if (list) list.push(f);
    else perDir.set(f.dir, [f]);
  }
  const out: RunSource[] = [];
  const slice = timeSlicer();
  for (const [dir, files] of perDir) {
    const pause = slice();
    if (pause) await pause;
    // (not nearbyConfigs: no await when the listings have the answer, as they do for every run a walk found)
    const configs = listedConfigs(dir, ctx) ?? (await listConfigs(dir, ctx));
    for (const f of files) {
      const suffix = files.length > 1 ? basename(f.name, extname(f.name)) : undefined;
      out.push({ id: runId(ctx.root, dir, suffix), format, dir, files: [f.path], configFiles: configs });
    }
  }
  return out;
}
