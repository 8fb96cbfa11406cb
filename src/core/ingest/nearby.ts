import { open } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { childPath } from '../util/childPath';
import type { FormatName } from '../model/run';
import { CONFIG_NAMES, type DiagnosticSink, errorMessage, runId } from './common';
import { timeSlicer } from './concurrency';
import { looksBinary } from './tail';
import type { FileEntry, RunSource, ScanContext } from './types';
import { isUnder } from './catalogPaths';

/**
 * Config files that describe a run living in `dir`: those in the folder itself, then those in its parent
 * (a sweep folder often holds one config per run folder, or one shared config above several log files).
 * Never looks above the scan root.
 */
export async function nearbyConfigs(dir: string, ctx: ScanContext): Promise<string[]> {
  const out: string[] = [];
  const dirs = [dir];
  const parent = dirname(dir);
  // the parent when `dir` lies below the root (path.relative here cost more than the rest of the function)
  if (isUnder(dir, ctx.root)) dirs.push(parent);
  for (const d of dirs) {
    const names = await ctx.filesIn(d);
    for (const name of CONFIG_NAMES) if (names.has(name)) out.push(childPath(d, name));
  }
  return out;
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
    await slice();
    const configs = await nearbyConfigs(dir, ctx);
    for (const f of files) {
      const suffix = files.length > 1 ? basename(f.name, extname(f.name)) : undefined;
      out.push({ id: runId(ctx.root, dir, suffix), format, dir, files: [f.path], configFiles: configs });
    }
  }
  return out;
}
