import { open } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { Diagnostic, Run } from '../../model/run';
import { nearbyConfigs } from '../nearby';
import { isFile } from '../probe';
import type { FileEntry, FormatDef, ReaderOptions, RunReader, RunSource, ScanContext } from '../types';
import { runId } from '../common';
import { CsvReader } from './csv';

const HEADER_BYTES = 64 * 1024;

/** The header line of a CSV (undefined while unreadable or incomplete) and the file's size. */
async function peek(file: string): Promise<{ header: string | undefined; size: number }> {
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      const b = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await fh.read(b, 0, HEADER_BYTES, 0);
      const nl = b.subarray(0, bytesRead).indexOf(10);
      return { header: nl < 0 ? undefined : b.toString('utf8', 0, nl), size };
    } finally {
      await fh.close();
    }
  } catch {
    return { header: undefined, size: -1 }; // the CSV reader reports unreadable files
  }
}

/**
 * Lightning's CSVLogger (`<save_dir>/<name>/version_<N>/metrics.csv` + `hparams.yaml`). The CSV parsing, sparse
 * train/val rows and `epoch` handling are CsvReader's. What Lightning adds is the header rewrite: when a new key is
 * logged it rewrites the whole file with a wider (sorted) header. The tail notices a rewrite only through the first
 * 64 bytes, and a long header often keeps those, so the header line is compared here and a changed header (or a
 * file that shrank) starts a fresh CsvReader that reads the file from the top.
 */
export class LightningReader implements RunReader {
  private inner: CsvReader;
  private header: string | undefined;
  private size = 0;

  constructor(
    private readonly src: RunSource,
    private readonly opts: ReaderOptions,
  ) {
    this.inner = new CsvReader(src, opts);
  }

  get runs(): Run[] {
    return this.inner.runs;
  }

  get diagnostics(): Diagnostic[] {
    return this.inner.diagnostics;
  }

  async update(): Promise<boolean> {
    const { header, size } = await peek(this.src.files[0]);
    // A fresh reader also on a shrink (the file recreated): it then reads from the top with a clean table.
    const rewritten =
      (header !== undefined && this.header !== undefined && header !== this.header) || (size >= 0 && size < this.size);
    if (rewritten) this.inner = new CsvReader(this.src, this.opts);
    if (header !== undefined) this.header = header;
    if (size >= 0) this.size = size;
    const changed = await this.inner.update();
    return changed || rewritten;
  }
}

export const lightningFormat: FormatDef = {
  format: 'lightning-csv',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const out: RunSource[] = [];
    for (const f of pool) {
      if (f.name !== 'metrics.csv') continue;
      const hparams = join(f.dir, 'hparams.yaml');
      const hasHparams = await isFile(hparams);
      const rel = relative(ctx.root, f.path).split('\\').join('/');
      // Fabric's CSVLogger writes no hparams.yaml, so the default folder names count as evidence too.
      const layout = hasHparams || rel.split('/').includes('lightning_logs') || /^version_\d+$/.test(basename(f.dir));
      if (!layout) continue;
      const nearby = await nearbyConfigs(f.dir, ctx);
      // hparams.yaml first: it is this run's own record and wins over a shared config in the parent folder.
      const configFiles = hasHparams ? [hparams, ...nearby.filter((p) => p !== hparams)] : nearby;
      out.push({ id: runId(ctx.root, f.dir), format: 'lightning-csv', dir: f.dir, files: [f.path], configFiles });
    }
    return out;
  },
  open: (src, opts) => new LightningReader(src, opts),
};
