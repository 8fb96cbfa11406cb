import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import type { Run } from '../../../src/core/model/run';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'sl-mlf-'));
}

const T0 = 1721450907230;

/** FileStore._create_experiment: `<store>/<id>/meta.yaml` written with yaml.safe_dump (keys sorted). */
function experiment(store: string, id: string, name: string): string {
  const dir = join(store, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'meta.yaml'),
    `artifact_location: file://${dir}\ncreation_time: ${T0}\nexperiment_id: '${id}'\nlast_update_time: ${T0}\nlifecycle_stage: active\nname: ${name}\n`,
  );
  return dir;
}

/** FileStore.create_run: meta.yaml plus empty metrics/, params/, tags/, artifacts/ folders. */
function run(expDir: string, uuid: string, runName: string, stage = 'active'): string {
  const dir = join(expDir, uuid);
  for (const sub of ['metrics', 'params', 'tags', 'artifacts']) mkdirSync(join(dir, sub), { recursive: true });
  const expId = expDir.split('/').pop();
  writeFileSync(
    join(dir, 'meta.yaml'),
    `artifact_uri: file://${dir}/artifacts\nend_time: null\nentry_point_name: ''\nexperiment_id: '${expId}'\nlifecycle_stage: ${stage}\nrun_id: ${uuid}\nrun_name: ${runName}\nrun_uuid: ${uuid}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: ${T0}\nstatus: 1\ntags: []\nuser_id: alice\n`,
  );
  writeFileSync(join(dir, 'tags', 'mlflow.runName'), runName);
  writeFileSync(join(dir, 'tags', 'mlflow.user'), 'alice');
  return dir;
}

/** log_param: the value's str() as the whole file, no newline; "/" in a key makes a subfolder. */
function param(runDir: string, key: string, value: string): void {
  const f = join(runDir, 'params', key);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, value);
}

/** log_metric: append "<timestamp> <value> <step>\n" ("{} {} {}".format of Python values). */
function metric(runDir: string, key: string, lines: string[]): string {
  const f = join(runDir, 'metrics', key);
  mkdirSync(dirname(f), { recursive: true });
  appendFileSync(f, lines.map((l) => l + '\n').join(''));
  return f;
}

const UUID = '1c6b2d5b909041df93e6e00b960de019';

function store(root: string, name = 'mlruns'): string {
  const s = join(root, name);
  const exp = experiment(s, '0', 'Default');
  const r = run(exp, UUID, 'bright-owl-42');
  param(r, 'd_model', '512');
  param(r, 'n_layers', '8');
  param(r, 'lr', '0.0003');
  param(r, 'optimizer', 'adamw');
  param(r, 'model/vocab_size', '32000');
  metric(
    r,
    'train/loss',
    [0, 1, 2, 3].map((i) => `${T0 + i * 1000} ${(4 - i * 0.5).toFixed(1)} ${i * 100}`),
  );
  metric(r, 'val_loss', [`${T0} 3.622 99`, `${T0 + 5000} 3.4107 199`]);
  metric(r, 'final_acc', [`${T0 + 9000} 0.71`]); // no step field: MLflow reads step 0
  const gone = run(exp, 'ffffffffffffffffffffffffffffffff', 'deleted-run', 'deleted');
  metric(gone, 'loss', [`${T0} 1.0 0`]);
  const trashed = run(join(s, '.trash'), 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', 'trashed');
  metric(trashed, 'loss', [`${T0} 1.0 0`]);
  return r;
}

async function scan(root: string): Promise<Catalog> {
  const cat = new Catalog([root]);
  await cat.scan();
  return cat;
}

function only(cat: Catalog): Run {
  const runs = cat.runs();
  assert.equal(runs.length, 1, runs.map((r) => `${r.id}:${r.format}`).join(', '));
  return runs[0];
}

test('file store: one run per run folder, deleted and .trash runs skipped, metrics/params/names read', async () => {
  const root = tmp();
  const r = store(root);
  // An artifact that is itself a log stays with its own format.
  writeFileSync(join(r, 'artifacts', 'history.csv'), 'step,loss\n0,1\n');
  const cat = await scan(root);
  const runs = cat.runs().filter((x) => x.format === 'mlflow');
  assert.equal(
    runs.length,
    1,
    cat
      .runs()
      .map((x) => `${x.id}:${x.format}`)
      .join(', '),
  );
  const run = runs[0];
  assert.equal(run.id, `mlruns/0/${UUID}`);
  assert.equal(run.config['mlflow.run_name'], 'bright-owl-42');
  assert.equal(run.config['mlflow.experiment_name'], 'Default');
  assert.equal(run.config['mlflow.status'], 'RUNNING');
  assert.equal(run.config.d_model, 512);
  assert.equal(run.config.lr, 0.0003);
  assert.equal(run.config.optimizer, 'adamw');
  assert.equal(run.config['model.vocab_size'], 32000);
  assert.equal(run.configFrom.d_model, join(r, 'params', 'd_model'));
  assert.deepEqual(run.metrics.names(), ['final_acc', 'train/loss', 'val_loss']);
  const loss = run.metrics.find('train/loss');
  assert.equal(loss?.count, 4);
  assert.deepEqual(loss.first(), { step: 0, value: 4 });
  assert.deepEqual(loss.last(), { step: 300, value: 2.5 });
  assert.equal(loss.time[1], (T0 + 1000) / 1000);
  assert.deepEqual(run.metrics.find('final_acc')?.last(), { step: 0, value: 0.71 });
  assert.equal(run.N?.value, 12 * 8 * 512 * 512);
  assert.ok(cat.runs().some((x) => x.format === 'csv' && x.id.endsWith('artifacts')));
  // the deleted run is hidden, and said so (an info note, not a problem)
  assert.deepEqual(
    cat.diagnostics().map((d) => [d.severity, d.message]),
    [['info', '1 deleted run hidden (lifecycle_stage: deleted in meta.yaml)']],
  );
});

test('the store is found by layout under any folder name; appended points and new metric files are read', async () => {
  const root = tmp();
  const r = store(root, 'tracking');
  const cat = await scan(root);
  assert.equal(only(cat).id, `tracking/0/${UUID}`);
  metric(r, 'train/loss', [`${T0 + 9000} 2.25 400`]);
  metric(r, 'train/lr', [`${T0 + 9000} 0.0003 400`]);
  param(r, 'batch_size', '64');
  const changed = await cat.refresh();
  assert.deepEqual(changed, [`tracking/0/${UUID}`]);
  const run = only(cat);
  assert.equal(run.metrics.find('train/loss')?.count, 5);
  assert.deepEqual(run.metrics.find('train/loss')?.last(), { step: 400, value: 2.25 });
  assert.equal(run.metrics.find('train/lr')?.count, 1);
  assert.equal(run.config.batch_size, 64);
  assert.deepEqual(await cat.refresh(), []);

  // The run is deleted in the UI: meta.yaml says so and it disappears.
  const meta = join(r, 'meta.yaml');
  writeFileSync(meta, readFileSync(meta, 'utf8').replace('lifecycle_stage: active', 'lifecycle_stage: deleted\n'));
  await cat.refresh();
  assert.equal(cat.runs().length, 0);
});

test('damaged metric files: nan/inf spellings, garbage and wrong field counts are skipped with diagnostics', async () => {
  const root = tmp();
  const r = store(root);
  const f = metric(r, 'train/loss', [
    `${T0} nan 400`,
    `${T0} inf 500`,
    `${T0} -inf 600`,
    `${T0} NaN 700`,
    `${T0} Infinity 800`,
    `${T0} abc 900`,
    'garbage',
    `${T0} 1.5 1000 extra`,
    `${T0} 2.0 1100`,
  ]);
  writeFileSync(
    join(r, 'metrics', 'weights'),
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00]),
  );
  const cat = await scan(root);
  const run = only(cat);
  // nan/inf (every spelling) are data: kept and counted; text and wrong field counts are skipped
  const loss = run.metrics.find('train/loss');
  assert.equal(loss?.count, 10, '4 good + 5 non-finite + step 1100');
  assert.deepEqual(Array.from(loss.value).slice(4, 9), [NaN, Infinity, -Infinity, NaN, Infinity]);
  assert.equal(loss.nonfiniteCount, 5);
  assert.deepEqual(loss.last(), { step: 1100, value: 2 });
  const mine = cat.diagnostics().filter((d) => d.file === f && !/diverged/.test(d.message));
  assert.deepEqual(
    mine.map((d) => d.position),
    ['line 10', 'line 11', 'line 12'],
  );
  assert.match(mine[0].message, /not a number/);
  assert.ok(cat.diagnostics().some((d) => d.file === join(r, 'metrics', 'weights') && /binary/.test(d.message)));

  // A truncated meta.yaml: reported, the metrics stay.
  writeFileSync(join(r, 'meta.yaml'), 'artifact_uri: "file:///x\nrun_id: [');
  await cat.refresh();
  assert.equal(only(cat).metrics.find('train/loss')?.count, 10);
  assert.ok(cat.diagnostics().some((d) => d.file === join(r, 'meta.yaml') && /meta\.yaml/.test(d.message)));
});

test('a run folder copied without its experiment meta.yaml and without params/ is still a run; files list metrics first', async () => {
  const root = tmp();
  const exp = join(root, 'mlruns', '1'); // no experiment meta.yaml here
  const r = run(exp, UUID, 'Run_0');
  rmSync(join(r, 'params'), { recursive: true }); // a run that logged no params has no params/ folder
  rmSync(join(r, 'artifacts'), { recursive: true });
  const loss = metric(r, 'Generator loss', [`${T0} 0.7 0`, `${T0 + 10} 0.6 1`]);
  const nested = metric(r, 'val/acc/top1', [`${T0} 0.5 0`]);
  const cat = await scan(root);
  const only1 = only(cat);
  assert.equal(only1.id, `mlruns/1/${UUID}`);
  assert.deepEqual(only1.metrics.find('Generator loss')?.last(), { step: 1, value: 0.6 });
  assert.equal(only1.metrics.find('val/acc/top1')?.count, 1, 'nested metric keys are sub-folders');
  assert.deepEqual(only1.files.slice(0, 2).sort(), [loss, nested].sort(), 'metric files first');
  assert.ok(only1.files.includes(join(r, 'meta.yaml')) && only1.files.includes(join(r, 'tags', 'mlflow.runName')));
  assert.equal(cat.diagnostics().length, 0, JSON.stringify(cat.diagnostics()));
});
