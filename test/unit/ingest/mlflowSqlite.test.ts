import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import { loadSqlJs, type SqlDatabase, type SqlValue } from '../../../src/core/ingest/readers/mlflowSqlite';
import type { Run } from '../../../src/core/model/run';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'sl-mldb-'));
}

/** The tables as MLflow's SQLAlchemy models create them (mlflow/store/tracking/dbmodels/models.py). */
const SCHEMA = `
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE experiments (experiment_id INTEGER NOT NULL, name VARCHAR(256) NOT NULL, artifact_location VARCHAR(256),
  lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT, CONSTRAINT experiment_pk PRIMARY KEY (experiment_id), UNIQUE (name));
CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL, name VARCHAR(250), source_type VARCHAR(20), source_name VARCHAR(500),
  entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT, deleted_time BIGINT,
  source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER,
  CONSTRAINT run_pk PRIMARY KEY (run_uuid), FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id));
CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL,
  step BIGINT DEFAULT '0' NOT NULL, is_nan BOOLEAN DEFAULT '0' NOT NULL,
  CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE TABLE latest_metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT, step BIGINT NOT NULL,
  is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL, CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid));
CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(8000) NOT NULL, run_uuid VARCHAR(32) NOT NULL,
  CONSTRAINT param_pk PRIMARY KEY (key, run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(8000), run_uuid VARCHAR(32) NOT NULL,
  CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
INSERT INTO alembic_version VALUES ('1b5f0d9ad7c1');
INSERT INTO experiments VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 1721450900000, 1721450900000);
INSERT INTO experiments VALUES (1, 'scaling-sweep', 'mlflow-artifacts:/1', 'active', 1721450900000, 1721450900000);
`;

const T0 = 1721450907230;
const RUNS: [string, string, number, string, number][] = [
  // uuid, name, experiment, lifecycle, start
  ['a1b2c3d4e5f60718293a4b5c6d7e8f90', 'tiny-d256', 1, 'active', T0],
  ['0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'small-d512', 1, 'active', T0 + 1],
  ['deadbeefdeadbeefdeadbeefdeadbeef', 'oops', 1, 'deleted', T0 + 2],
];

async function makeDb(): Promise<SqlDatabase> {
  const db = new (await loadSqlJs()).Database();
  db.exec(SCHEMA);
  for (const [uuid, name, exp, stage, start] of RUNS) {
    db.run('INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      uuid,
      name,
      'LOCAL',
      'train.py',
      '',
      'alice',
      'FINISHED',
      start,
      start + 60000,
      stage === 'deleted' ? start + 9 : null,
      '',
      stage,
      `mlflow-artifacts:/1/${uuid}/artifacts`,
      exp,
    ]);
    db.run('INSERT INTO tags VALUES (?, ?, ?)', ['mlflow.runName', name, uuid]);
  }
  const params: [string, string, string][] = [
    ['d_model', '256', RUNS[0][0]],
    ['n_layers', '4', RUNS[0][0]],
    ['optimizer', 'adamw', RUNS[0][0]],
    ['d_model', '512', RUNS[1][0]],
    ['n_layers', '8', RUNS[1][0]],
    ['optimizer', 'adamw', RUNS[1][0]],
  ];
  for (const p of params) db.run('INSERT INTO params VALUES (?, ?, ?)', p);
  for (let i = 0; i < 10; i++) {
    logMetric(db, RUNS[0][0], 'train/loss', 4 - i * 0.25, i * 100);
    logMetric(db, RUNS[1][0], 'train/loss', 3.5 - i * 0.25, i * 100);
    logMetric(db, RUNS[2][0], 'train/loss', 1, i * 100);
  }
  logMetric(db, RUNS[0][0], 'val_loss', 3.0, 900);
  // A NaN point as SqlAlchemyStore.log_metric stores it: value 0, is_nan true. Infinity is stored as DBL_MAX.
  logMetric(db, RUNS[1][0], 'grad_norm', 1.2, 0);
  db.run('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)', ['grad_norm', 0, T0 + 100, RUNS[1][0], 100, 1]);
  db.run('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)', ['grad_norm', 0, T0 + 200, RUNS[1][0], 200, 1]);
  db.run('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)', [
    'grad_norm',
    1.7976931348623157e308,
    T0 + 300,
    RUNS[1][0],
    300,
    0,
  ]);
  logMetric(db, RUNS[1][0], 'grad_norm', 0.9, 400);
  return db;
}

function logMetric(db: SqlDatabase, uuid: string, key: string, value: number, step: number): void {
  const row: SqlValue[] = [key, value, T0 + step * 10, uuid, step, 0];
  db.run('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)', row);
}

async function scan(root: string): Promise<Catalog> {
  const cat = new Catalog([root]);
  await cat.scan();
  return cat;
}

function byId(cat: Catalog): Record<string, Run> {
  return Object.fromEntries(cat.runs().map((r) => [r.id, r]));
}

test('mlflow.db: one run per live row, metrics, params as config, experiment names, NaN and Inf points kept per key', async () => {
  const root = tmp();
  const db = await makeDb();
  const file = join(root, 'mlflow.db');
  writeFileSync(file, db.export());
  const cat = await scan(root);
  const runs = byId(cat);
  assert.deepEqual(Object.keys(runs).sort(), ['mlflow.db#small-d512', 'mlflow.db#tiny-d256']);
  const tiny = runs['mlflow.db#tiny-d256'];
  assert.equal(tiny.format, 'mlflow-sqlite');
  const loss = tiny.metrics.find('train/loss');
  assert.equal(loss?.count, 10);
  assert.deepEqual(loss.first(), { step: 0, value: 4 });
  assert.deepEqual(loss.last(), { step: 900, value: 1.75 });
  assert.equal(loss.time[1], (T0 + 1000) / 1000);
  assert.equal(tiny.config.d_model, 256);
  assert.equal(tiny.config.optimizer, 'adamw');
  assert.equal(tiny.config['mlflow.experiment_name'], 'scaling-sweep');
  assert.equal(tiny.config['mlflow.run_name'], 'tiny-d256');
  assert.equal(tiny.configFrom.d_model, file);
  assert.equal(tiny.N?.value, 12 * 4 * 256 * 256);
  const small = runs['mlflow.db#small-d512'];
  assert.equal(small.N?.value, 12 * 8 * 512 * 512);
  // is_nan rows are NaN and DBL_MAX is MLflow's spelling of +Inf: data, kept in step order and counted
  const grad = small.metrics.find('grad_norm');
  assert.deepEqual(Array.from(grad?.step ?? []), [0, 100, 200, 300, 400]);
  assert.deepEqual(Array.from(grad?.value ?? []), [1.2, NaN, NaN, Infinity, 0.9]);
  assert.equal(grad?.nonfiniteCount, 3);
  assert.equal(grad.firstNonfiniteStep, 100);
  assert.equal(
    cat.diagnostics().filter((d) => d.file === file).length,
    0,
    'a grad norm that overflows is not a diverged loss',
  );
  db.close();
});

test('the database is read again when it changes; another SQLite file needs MLflow tables to be claimed', async () => {
  const root = tmp();
  const db = await makeDb();
  const file = join(root, 'store', 'tracking.db');
  mkdirSync(join(root, 'store'));
  writeFileSync(file, db.export());
  const other = new (await loadSqlJs()).Database();
  other.exec('CREATE TABLE trials (trial_id INTEGER PRIMARY KEY, value FLOAT); INSERT INTO trials VALUES (1, 0.5);');
  writeFileSync(join(root, 'optuna.db'), other.export());
  other.close();
  const cat = await scan(root);
  assert.deepEqual(Object.keys(byId(cat)).sort(), ['store/tracking.db#small-d512', 'store/tracking.db#tiny-d256']);

  for (let i = 10; i < 15; i++) logMetric(db, RUNS[0][0], 'train/loss', 4 - i * 0.25, i * 100);
  db.run("UPDATE runs SET lifecycle_stage = 'deleted' WHERE name = 'small-d512'");
  writeFileSync(file, db.export());
  const changed = await cat.refresh([file]);
  assert.ok(changed.includes('store/tracking.db#tiny-d256'));
  const runs = byId(cat);
  assert.deepEqual(Object.keys(runs), ['store/tracking.db#tiny-d256']);
  assert.equal(runs['store/tracking.db#tiny-d256'].metrics.find('train/loss')?.count, 15, 'replaced, not appended to');
  assert.deepEqual(await cat.refresh(), [], 'unchanged file: not read again');
  db.close();
});

test('a corrupt mlflow.db gives a diagnostic naming the file, never throws, and keeps runs read before', async () => {
  const root = tmp();
  const file = join(root, 'mlflow.db');
  const garbage = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080, 0xab)]);
  writeFileSync(file, garbage);
  const cat = await scan(root);
  assert.equal(cat.runs().length, 0);
  const d = cat.diagnostics().filter((x) => x.file === file);
  assert.equal(d.length, 1, JSON.stringify(cat.diagnostics()));
  assert.match(d[0].message, /cannot read MLflow database/);

  const db = await makeDb();
  const good = Buffer.from(db.export());
  db.close();
  writeFileSync(file, good);
  await cat.refresh();
  assert.equal(cat.runs().length, 2);
  assert.equal(
    cat.diagnostics().filter((x) => x.file === file && /cannot read/.test(x.message)).length,
    0,
    'old error cleared',
  );

  writeFileSync(file, good.subarray(0, 2048)); // truncated by a crash or a partial copy
  await cat.refresh();
  assert.equal(cat.runs().length, 2, 'previous runs kept');
  assert.ok(cat.diagnostics().some((x) => x.file === file && /cannot read MLflow database/.test(x.message)));
  assert.equal(readFileSync(file).length, 2048, 'the file is never written');
});
