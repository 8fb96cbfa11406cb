import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveScale } from '../../config/derive';
import type { Diagnostic, Run } from '../../model/run';
import { DiagnosticSink, errorMessage, newRun, runId } from '../common';
import { FileSignatures } from '../fileSignatures';
import type { FileEntry, FormatDef, ReaderOptions, RunReader, RunSource, ScanContext } from '../types';
import { paramValue } from './mlflow';

/** The slice of sql.js used here (the package ships no types). */
export type SqlValue = number | string | Uint8Array | null;
export interface SqlStatement {
  step(): boolean;
  get(): SqlValue[];
  bind(values: SqlValue[]): boolean;
  run(values?: SqlValue[]): void;
  free(): boolean;
}
export interface SqlDatabase {
  prepare(sql: string): SqlStatement;
  run(sql: string, values?: SqlValue[]): SqlDatabase;
  exec(sql: string): { columns: string[]; values: SqlValue[][] }[];
  export(): Uint8Array;
  close(): void;
}
export interface SqlJs {
  Database: new (data?: Uint8Array) => SqlDatabase;
}
type InitSqlJs = (config: { wasmBinary: Uint8Array }) => Promise<SqlJs>;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** MLflow's SQL store saves +/-inf as +/-DBL_MAX (it cannot store infinities): read back as the infinities. */
const DBL_MAX = 1.7976931348623157e308;

let sqlJs: Promise<SqlJs> | undefined;

/**
 * Loads sql.js once. Its .wasm is copied beside the bundle (dist/sql-wasm.wasm); from source (tests, tsx) it is
 * resolved in node_modules. The bytes are handed over directly so sql.js never guesses a path itself.
 */
export function loadSqlJs(): Promise<SqlJs> {
  if (!sqlJs) {
    sqlJs = (async () => {
      const candidates = [join(__dirname, 'sql-wasm.wasm')];
      try {
        candidates.push(require.resolve('sql.js/dist/sql-wasm.wasm'));
      } catch {
        // packaged extension without node_modules: only the copy beside the bundle exists
      }
      const wasm = candidates.find((p) => existsSync(p));
      if (!wasm) throw new Error('sql-wasm.wasm not found beside the bundle or in node_modules/sql.js');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only a scan that finds an mlflow.db pays for sql.js
      const init = require('sql.js') as InitSqlJs;
      return init({ wasmBinary: await readFile(wasm) });
    })();
    sqlJs.catch(() => (sqlJs = undefined)); // let a later call retry
  }
  return sqlJs;
}

function rows(db: SqlDatabase, sql: string, each: (row: SqlValue[]) => void): void {
  const st = db.prepare(sql);
  try {
    while (st.step()) each(st.get());
  } finally {
    st.free();
  }
}

function tableNames(db: SqlDatabase): Set<string> {
  const out = new Set<string>();
  rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'", (r) => out.add(String(r[0])));
  return out;
}

const str = (v: SqlValue): string =>
  v === null ? '' : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v);

/**
 * An MLflow SQLite tracking store (`sqlite:///mlflow.db`): many runs in one file, tables `runs`, `metrics`,
 * `params`, `tags`, `experiments` (MLflow's own schema). sql.js cannot open a file in place, so the bytes are
 * loaded into memory and read in a private copy: the user's database is never written or locked. It is read
 * again whole when its size or mtime changes. Writes still in a `-wal` file are not seen until checkpointed.
 */
export class MlflowSqliteReader implements RunReader {
  runs: Run[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly sink = new DiagnosticSink(this.diagnostics);
  private readonly signature = new FileSignatures();

  constructor(
    private readonly src: RunSource,
    private readonly opts: ReaderOptions,
  ) {}

  async update(): Promise<boolean> {
    const file = this.src.files[0];
    let db: SqlDatabase | undefined;
    try {
      if (!(await this.signature.changed(file))) return false;
      this.sink.reset(file);
      const SQL = await loadSqlJs();
      db = new SQL.Database(new Uint8Array(await readFile(file)));
      this.runs = this.read(db, file);
      return true;
    } catch (e) {
      // Keep the runs read before: a database caught mid-write reads fine again on its next change.
      this.sink.add(file, `cannot read MLflow database: ${errorMessage(e)}`, undefined, 'error');
      return false;
    } finally {
      db?.close();
    }
  }

  private read(db: SqlDatabase, file: string): Run[] {
    const tables = tableNames(db);
    for (const t of ['runs', 'metrics'])
      if (!tables.has(t)) throw new Error(`no "${t}" table: not an MLflow tracking database`);
    const experiments = new Map<string, string>();
    if (tables.has('experiments'))
      rows(db, 'SELECT experiment_id, name FROM experiments', (r) => experiments.set(str(r[0]), str(r[1])));
    const tagNames = new Map<string, string>();
    if (tables.has('tags'))
      rows(db, "SELECT run_uuid, value FROM tags WHERE key = 'mlflow.runName'", (r) =>
        tagNames.set(str(r[0]), str(r[1])),
      );

    const byUuid = new Map<string, Run>();
    const usedIds = new Set<string>();
    // Oldest first, so the first run of a repeated name keeps the plain id across re-reads.
    rows(
      db,
      "SELECT run_uuid, name, experiment_id, status FROM runs WHERE lifecycle_stage IS NULL OR lifecycle_stage != 'deleted' ORDER BY start_time, run_uuid",
      (r) => {
        const uuid = str(r[0]);
        const name = str(r[1]) || tagNames.get(uuid) || '';
        let id = `${this.src.id}#${name || uuid}`;
        if (usedIds.has(id)) id = `${id}-${uuid.slice(0, 8)}`;
        usedIds.add(id);
        const run = newRun({ ...this.src, id }, this.opts);
        const cfg = run.config;
        if (name) cfg['mlflow.run_name'] = name;
        cfg['mlflow.run_id'] = uuid;
        cfg['mlflow.experiment_id'] = str(r[2]);
        const exp = experiments.get(str(r[2]));
        if (exp !== undefined) cfg['mlflow.experiment_name'] = exp;
        if (r[3] !== null) cfg['mlflow.status'] = str(r[3]);
        byUuid.set(uuid, run);
      },
    );

    if (tables.has('params')) {
      rows(db, 'SELECT run_uuid, key, value FROM params', (r) => {
        const run = byUuid.get(str(r[0]));
        if (run) run.config[str(r[1]).split('/').join('.')] = paramValue(str(r[2]).trim());
      });
    }
    for (const run of byUuid.values()) for (const k of Object.keys(run.config)) run.configFrom[k] = file;

    rows(
      db,
      'SELECT run_uuid, key, value, timestamp, step, is_nan FROM metrics ORDER BY run_uuid, key, step, timestamp',
      (r) => {
        const run = byUuid.get(str(r[0]));
        if (!run) return; // a deleted run's points
        const key = str(r[1]);
        const v = typeof r[2] === 'number' ? r[2] : Number(r[2]);
        // is_nan marks a NaN point whatever `value` holds (MLflow stores 0 there); MLflow stores ±Inf as ±DBL_MAX.
        // Non-finite points are data (a diverged run), so they are kept.
        const value = Number(r[5]) === 1 ? NaN : Math.abs(v) >= DBL_MAX ? v * Infinity : v;
        const step = r[4] === null ? 0 : Number(r[4]);
        run.metrics.get(key).push(step, value, NaN, Number(r[3]) / 1000); // timestamps are ms; time is in seconds
      },
    );
    const runs = [...byUuid.values()];
    for (const run of runs) deriveScale(run, this.opts);
    return runs;
  }
}

async function isMlflowDb(f: FileEntry, ctx: ScanContext): Promise<boolean> {
  if (!SQLITE_MAGIC.equals((await ctx.head(f.path, 16)).subarray(0, 16))) return f.name === 'mlflow.db';
  if (f.name === 'mlflow.db') return true;
  // Another SQLite file (Optuna's, a cache…) is MLflow's only if it has MLflow's tables: open it to look.
  let db: SqlDatabase | undefined;
  try {
    db = new (await loadSqlJs()).Database(new Uint8Array(await readFile(f.path)));
    const t = tableNames(db);
    return t.has('runs') && t.has('metrics');
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

export const mlflowSqliteFormat: FormatDef = {
  format: 'mlflow-sqlite',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const out: RunSource[] = [];
    for (const f of pool) {
      if (f.name !== 'mlflow.db' && !/\.(db|sqlite|sqlite3)$/i.test(f.name)) continue;
      if (!(await isMlflowDb(f, ctx))) continue;
      out.push({ id: runId(ctx.root, f.path), format: 'mlflow-sqlite', dir: f.dir, files: [f.path], configFiles: [] });
    }
    return out;
  },
  open: (src, opts) => new MlflowSqliteReader(src, opts),
};
