import { open } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { CONFIG_NAMES, type DiagnosticSink, errorMessage } from './common';
import { looksBinary } from './tail';
import type { ScanContext } from './types';

/**
 * Config files that describe a run living in `dir`: those in the folder itself, then those in its parent
 * (a sweep folder often holds one config per run folder, or one shared config above several log files).
 * Never looks above the scan root.
 */
export async function nearbyConfigs(dir: string, ctx: ScanContext): Promise<string[]> {
  const out: string[] = [];
  const dirs = [dir];
  const parent = dirname(dir);
  if (parent !== dir && !relative(ctx.root, parent).startsWith('..') && relative(ctx.root, dir) !== '')
    dirs.push(parent);
  for (const d of dirs) {
    const names = await ctx.filesIn(d);
    for (const name of CONFIG_NAMES) if (names.has(name)) out.push(join(d, name));
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
