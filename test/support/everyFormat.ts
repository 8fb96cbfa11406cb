import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlJs } from '../../src/core/ingest/readers/mlflowSqlite';
import type { FormatName } from '../../src/core/model/run';
import { pyJson, pyYaml } from '../../scripts/examples/pyfmt';
import { tfEventsFileName, writeTfEvents } from '../../scripts/writers/tensorboard';
import { wandbOfflineRunDir, writeWandbRun } from '../../scripts/writers/wandb';

/** One small run of a format: where it lives, the log file a damage test breaks, and the points its `loss` has. */
export interface FormatFixture {
  format: FormatName;
  dir: string;
  mainFile: string;
  lossPoints: number;
}

const LOSS = [3.5, 3.1, 2.8];

/**
 * Writes one run of every format under `root`, each the way its tool lays it out, each with a 3-point `loss`
 * (summary tables: one row per run). Used by the tests that damage one run and check the others still load.
 */
export async function writeEveryFormat(root: string): Promise<FormatFixture[]> {
  const out: FormatFixture[] = [];
  const at = (...p: string[]) => {
    const dir = join(root, ...p);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  let dir = at('nanogpt', 'out');
  writeFileSync(join(dir, 'log.jsonl'), LOSS.map((v, i) => pyJson({ iter: i * 10, loss: v }) + '\n').join(''));
  out.push({ format: 'jsonl', dir, mainFile: join(dir, 'log.jsonl'), lossPoints: 3 });

  dir = at('plain-csv', 'run');
  writeFileSync(join(dir, 'metrics.csv'), 'step,loss\n' + LOSS.map((v, i) => `${i * 10},${v}\n`).join(''));
  out.push({ format: 'csv', dir, mainFile: join(dir, 'metrics.csv'), lossPoints: 3 });

  dir = at('pl', 'lightning_logs', 'version_0');
  writeFileSync(join(dir, 'hparams.yaml'), pyYaml({ d_model: 64, n_layers: 2 }));
  writeFileSync(join(dir, 'metrics.csv'), 'epoch,loss,step\r\n' + LOSS.map((v, i) => `0,${v},${i * 10}\r\n`).join(''));
  out.push({ format: 'lightning-csv', dir, mainFile: join(dir, 'metrics.csv'), lossPoints: 3 });

  dir = at('dvc', 'dvclive');
  at('dvc', 'dvclive', 'plots', 'metrics');
  writeFileSync(join(dir, 'params.yaml'), pyYaml({ lr: 0.001 }));
  writeFileSync(
    join(dir, 'plots', 'metrics', 'loss.tsv'),
    'step\tloss\n' + LOSS.map((v, i) => `${i * 10}\t${v}\n`).join(''),
  );
  out.push({ format: 'dvclive', dir, mainFile: join(dir, 'plots', 'metrics', 'loss.tsv'), lossPoints: 3 });

  const runId = '0123456789abcdef0123456789abcdef';
  dir = at('mlf', 'mlruns', '0', runId);
  at('mlf', 'mlruns', '0', runId, 'metrics');
  at('mlf', 'mlruns', '0', runId, 'params');
  writeFileSync(
    join(root, 'mlf', 'mlruns', '0', 'meta.yaml'),
    "artifact_location: file:///tmp/mlruns/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n",
  );
  writeFileSync(
    join(dir, 'meta.yaml'),
    `artifact_uri: file:///tmp/mlruns/0/${runId}/artifacts\nexperiment_id: '0'\nlifecycle_stage: active\nrun_id: ${runId}\nrun_name: tiny\nstatus: 3\n`,
  );
  writeFileSync(join(dir, 'params', 'd_model'), '64');
  writeFileSync(join(dir, 'metrics', 'loss'), LOSS.map((v, i) => `${1721450907230 + i} ${v} ${i * 10}\n`).join(''));
  out.push({ format: 'mlflow', dir, mainFile: join(dir, 'metrics', 'loss'), lossPoints: 3 });

  const hfOut = at('hf', 'out');
  dir = at('hf', 'out', 'checkpoint-30');
  const history = LOSS.map((v, i) => ({ epoch: (i + 1) / 3, learning_rate: 1e-4, loss: v, step: (i + 1) * 10 }));
  writeFileSync(
    join(dir, 'trainer_state.json'),
    JSON.stringify({ global_step: 30, log_history: history, total_flos: 1e12 }, null, 2) + '\n',
  );
  out.push({ format: 'hf-trainer', dir: hfOut, mainFile: join(dir, 'trainer_state.json'), lossPoints: 3 });

  dir = at('tb', 'runs', 'exp');
  const events = join(dir, tfEventsFileName(1.7e9));
  writeTfEvents(
    events,
    LOSS.map((v, i) => ({ tag: 'loss', step: i * 10, value: v, wallTime: 1.7e9 + i })),
  );
  out.push({ format: 'tensorboard', dir, mainFile: events, lossPoints: 3 });

  dir = wandbOfflineRunDir(at('wb', 'wandb'), 'abc123xy');
  const wandbLog = writeWandbRun(dir, {
    runId: 'abc123xy',
    config: { d_model: 64 },
    history: LOSS.map((v) => ({ loss: v })),
  });
  out.push({ format: 'wandb-offline', dir, mainFile: wandbLog, lossPoints: 3 });

  dir = at('paper');
  writeFileSync(join(dir, 'results.csv'), 'model,N,D,loss\nsmall,1e8,2e9,3.1\n');
  out.push({ format: 'summary-table', dir, mainFile: join(dir, 'results.csv'), lossPoints: 1 });

  dir = at('mldb');
  const db = new (await loadSqlJs()).Database();
  db.exec(`CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), experiment_id INTEGER, status VARCHAR(9), start_time BIGINT, lifecycle_stage VARCHAR(20));
    CREATE TABLE metrics (key VARCHAR(250), value FLOAT, timestamp BIGINT, run_uuid VARCHAR(32), step BIGINT, is_nan BOOLEAN);
    INSERT INTO runs VALUES ('${runId}', 'tiny', 0, 'FINISHED', 1721450907230, 'active');`);
  LOSS.forEach((v, i) =>
    db.run('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)', ['loss', v, 1721450907230 + i, runId, i * 10, 0]),
  );
  writeFileSync(join(dir, 'mlflow.db'), db.export());
  db.close();
  out.push({ format: 'mlflow-sqlite', dir, mainFile: join(dir, 'mlflow.db'), lossPoints: 3 });
  return out;
}
