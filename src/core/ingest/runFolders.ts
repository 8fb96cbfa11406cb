/**
 * Detection for formats whose run is a folder of several logs (TensorBoard event files, DVCLive metric TSVs):
 * the files found are grouped by the run folder they belong to, and each folder becomes one run source with the
 * configs found near it.
 */
import { runId } from './common';
import { nearbyConfigs } from './nearby';
import type { FormatName } from '../model/run';
import type { RunSource, ScanContext } from './types';

export class RunFolders {
  private readonly files = new Map<string, string[]>();

  add(dir: string, file: string): void {
    const list = this.files.get(dir);
    if (list) list.push(file);
    else this.files.set(dir, [file]);
  }

  /** One source per folder, folders in the order first seen; files in the order added unless `sortFiles`. */
  async sources(format: FormatName, ctx: ScanContext, { sortFiles = false } = {}): Promise<RunSource[]> {
    const out: RunSource[] = [];
    for (const [dir, files] of this.files) {
      if (sortFiles) files.sort();
      out.push({ id: runId(ctx.root, dir), format, dir, files, configFiles: await nearbyConfigs(dir, ctx) });
    }
    return out;
  }
}
