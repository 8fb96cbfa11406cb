import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { ARTIFACT_KIND } from '../core/fit/artifact';
import { PLOT_MARKER } from '../core/plot/render';

/** The first bytes of a file: enough to recognise our own output without reading a large file whole. */
function head(path: string, bytes = 65536): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Output files may replace files Scaling Lens wrote before, never a user's own file (a data table, a hand-made
 * figure) that happens to sit at the same path; `--force` overrides. Checked before fitting, so a long fit is
 * not lost to a refused write at the end.
 */
export function checkOutputPath(path: string, kind: 'artifact' | 'plot', force: boolean): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) throw new Error(`${path} is a folder; give a file name`);
  if (force) return;
  const text = head(path);
  const ours =
    kind === 'artifact'
      ? new RegExp(`"kind"\\s*:\\s*"${ARTIFACT_KIND}"`).test(text)
      : text.includes(PLOT_MARKER) || /"generator"\s*:\s*"scaling-lens"/.test(text);
  if (!ours)
    throw new Error(
      `${path} exists and was not written by scaling-lens; refusing to overwrite it (choose another name, or pass --force)`,
    );
}
