import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import {
  datasetFromRuns,
  datasetFromTable,
  DatasetError,
  type DatasetBuild,
  type DatasetSelection,
} from '../core/fit/dataset';
import { curvesFromRuns } from '../core/fit/datasetCurves';
import type { FitDataset } from '../contract/fit';
import { Catalog } from '../core/ingest/catalog';

const TABLE_EXTENSIONS = new Set(['.csv', '.tsv']);

/** A table given directly (one row per point) rather than a results folder or a run's log file. */
export function isTableFile(path: string): boolean {
  return TABLE_EXTENSIONS.has(extname(path).toLowerCase()) && existsSync(path) && statSync(path).isFile();
}

/**
 * The fit's data from the command line's paths: tables are read row by row (columns named by --x/--y), everything
 * else goes through the Catalog as in `scaling-lens runs`. Several sources are concatenated into one dataset.
 */
export async function loadDataset(
  paths: string[],
  sel: DatasetSelection,
  opts: { countEmbeddings?: boolean } = {},
): Promise<DatasetBuild> {
  for (const p of paths) if (!existsSync(p)) throw new DatasetError(`${p}: no such file or folder`);
  const tables = paths.filter(isTableFile);
  const folders = paths.filter((p) => !tables.includes(p));
  const builds: DatasetBuild[] = [];
  if (sel.curves && tables.length)
    throw new DatasetError(
      `${tables[0]}: lr_annealing fits whole loss curves with their learning rate, read from run logs (a results folder); tables are not read as curves`,
    );
  for (const t of tables) builds.push(await datasetFromTable(t, sel));
  if (folders.length) {
    const catalog = new Catalog(folders, { countEmbeddings: opts.countEmbeddings });
    await catalog.scan();
    const runs = catalog.runs();
    if (!runs.length)
      throw new DatasetError(
        `${folders.join(', ')}: no training runs found (\`scaling-lens runs\` shows what is detected)`,
      );
    const build = sel.curves ? curvesFromRuns(runs, sel) : datasetFromRuns(runs, sel);
    const errors = catalog.diagnostics().filter((d) => d.severity === 'error').length;
    if (errors)
      build.warnings.push(
        `${errors} problem${errors === 1 ? '' : 's'} reading the logs; \`scaling-lens runs ${folders.join(' ')}\` lists them`,
      );
    if (!build.dataset.points.length)
      throw new DatasetError(
        `${folders.join(', ')}: no usable points for ${build.dataset.yName} against ${build.dataset.xNames.join(', ')}: ${build.warnings.join('; ')}`,
      );
    builds.push(build);
  }
  return merge(builds);
}

function merge(builds: DatasetBuild[]): DatasetBuild {
  if (builds.length === 1) return builds[0];
  const first = builds[0].dataset;
  const warnings = builds.flatMap((b) => b.warnings);
  const yNames = [...new Set(builds.map((b) => b.dataset.yName))];
  if (yNames.length > 1)
    warnings.push(
      `the sources name y differently (${yNames.join(', ')}); they are fitted together as "${first.yName}" — pass --y to be explicit`,
    );
  const definitions: FitDataset['definitions'] = {};
  for (const b of builds)
    for (const [k, v] of Object.entries(b.dataset.definitions))
      definitions[k] = definitions[k] && definitions[k] !== v ? `${definitions[k]}; ${v}` : v;
  const dataset: FitDataset = {
    points: builds.flatMap((b) => b.dataset.points),
    xNames: first.xNames,
    yName: first.yName,
    definitions,
  };
  const curves = builds.filter((b) => b.dataset.curves);
  if (curves.length) {
    const merged: NonNullable<FitDataset['curves']> = {};
    for (const b of curves) Object.assign(merged, b.dataset.curves);
    dataset.curves = merged;
  }
  return { dataset, warnings };
}
