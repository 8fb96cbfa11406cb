/**
 * Flag parsing and point loading shared by `frontier`'s single methods (frontierCommand.ts) and `--method compare`
 * (compareCommand.ts).
 */
import type { DatasetSelection } from '../core/fit/dataset';
import type { SizedPoint } from '../core/fit/vpnls';
import { UsageError } from './args';
import { loadDataset } from './fitInput';

export const FRONTIER_FLAGS = {
  booleans: ['json', 'checkpoints', 'embeddings'],
  values: ['method', 'alloc', 'c', 'y', 'budgets', 'tolerance', 'drop', 'where', 'fit', 'seed', 'window', 'bootstrap'],
};

export type Flags = Map<string, string | true>;

export function str(v: string | true | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function numberFlag(flags: Flags, name: string, ok: (n: number) => boolean, what: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`--${name} must be ${what}`);
  return n;
}

export function parseWhere(text: string | undefined): Record<string, string> {
  const where: Record<string, string> = {};
  for (const item of (text ?? '').split(',').filter((s) => s.trim())) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--where: "${item}" is not column=value`);
    where[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return where;
}

/** IsoFLOP wants one point per run: a table of learning curves contributes each run's last (largest-C) row. */
export function finalPerRun<T extends { runId: string; C: number }>(
  points: T[],
  warnings: string[],
  method: string,
): T[] {
  const last = new Map<string, T>();
  let extra = 0;
  for (const p of points) {
    const prev = last.get(p.runId);
    if (prev) extra++;
    if (!prev || p.C > prev.C) last.set(p.runId, p);
  }
  if (extra)
    warnings.push(`${extra} points were not a run's final one; ${method} uses each run's last point (largest C)`);
  return [...last.values()];
}

/** The allocation of methods built on chinchilla's variables: N or D, with C = 6·N·D. */
export function chinchillaAlloc(flags: Flags, method: string): 'N' | 'D' {
  const alloc = str(flags.get('alloc')) ?? 'N';
  if (alloc !== 'N' && alloc !== 'D')
    throw new UsageError(`--method ${method} allocates N or D (chinchilla's variables), not "${alloc}"`);
  if ((str(flags.get('c')) ?? 'C') !== 'C')
    throw new UsageError(`--method ${method} takes C = 6·N·D; --c does not apply`);
  return alloc;
}

/** Every point with its N and D (checkpoints too when asked), C = 6·N·D. */
export async function loadSized(
  paths: string[],
  flags: Flags,
  checkpoints: boolean,
  usage: string,
): Promise<{ points: (SizedPoint & { C: number })[]; yName: string; warnings: string[] }> {
  if (!paths.length) throw new UsageError(`no path given\nusage: ${usage}`);
  const drop = numberFlag(flags, 'drop', (n) => n >= 0 && n < 1, 'a fraction in [0, 1)');
  const sel: DatasetSelection = {
    x: ['N', 'D'],
    y: str(flags.get('y')),
    checkpoints,
    dropFraction: drop ?? 0,
    where: parseWhere(str(flags.get('where'))),
  };
  const build = await loadDataset(paths, sel, { countEmbeddings: flags.has('embeddings') });
  const points = build.dataset.points.map((p) => ({
    runId: p.runId,
    N: p.x.N,
    D: p.x.D,
    C: 6 * p.x.N * p.x.D,
    loss: p.y,
  }));
  return { points, yName: build.dataset.yName, warnings: [...build.warnings] };
}
