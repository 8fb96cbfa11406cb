import type { Diagnostic } from '../model/run';
import { errorMessage } from './common';
import { yieldToEventLoop } from './concurrency';
import { silentFolders } from './silentFolders';
import type { FileEntry, FormatDef, RunSource, ScanContext } from './types';

/** A run a format found, with the format that reads it. */
export interface FoundRun {
  fmt: FormatDef;
  source: RunSource;
}

/**
 * Every format's detection over the files of one walk, in order: each claims its files before the next looks, so a
 * file is one run's at most. A format whose detection throws is reported against `dir` and the others go on; a
 * folder that looks like a log but yields no run is reported too (see silentFolders).
 */
export async function detectRuns(
  dir: string,
  walked: readonly FileEntry[],
  formats: readonly FormatDef[],
  ctx: ScanContext,
  diagnostics: Diagnostic[],
): Promise<FoundRun[]> {
  let pool = [...walked];
  const found: FoundRun[] = [];
  for (const fmt of formats) {
    // detection of a large tree is long synchronous work: let the host's event loop run between formats
    await yieldToEventLoop();
    let sources: RunSource[] = [];
    try {
      sources = await fmt.detect(pool, ctx);
    } catch (e) {
      diagnostics.push({ file: dir, message: `${fmt.format} detection failed: ${errorMessage(e)}`, severity: 'error' });
    }
    if (!sources.length) continue; // nothing claimed: the pool stays as it is (most formats find nothing)
    const claimed = new Set(sources.flatMap((s) => s.files));
    pool = pool.filter((f) => !claimed.has(f.path));
    for (const source of sources) found.push({ fmt, source });
  }
  diagnostics.push(
    ...(await silentFolders(
      walked,
      found.map((f) => f.source),
    )),
  );
  return found;
}
