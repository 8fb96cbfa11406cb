import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import { tmpDir } from '../../support/tmp';

test('a folder that looks like a log folder but yields no run gets a diagnostic saying what was found and what is missing', async () => {
  const root = tmpDir('sl-silent-');
  const wb = join(root, 'wandb', 'run-20240101_101010-abcd1234', 'files');
  mkdirSync(wb, { recursive: true });
  writeFileSync(join(wb, 'config.yaml'), 'lr:\n  value: 0.1\n');
  const version = join(root, 'lightning_logs', 'version_3');
  mkdirSync(version, { recursive: true });
  writeFileSync(join(version, 'hparams.yaml'), 'lr: 0.1\n');
  const mlrun = join(root, 'mlruns', '0', '0123456789abcdef0123456789abcdef');
  mkdirSync(join(mlrun, 'tags'), { recursive: true });
  writeFileSync(join(mlrun, 'meta.yaml'), 'run_id: 0123456789abcdef0123456789abcdef\nlifecycle_stage: active\n');
  writeFileSync(join(mlrun, 'tags', 'mlflow.runName'), 'parent');
  const live = join(root, 'dvclive');
  mkdirSync(live);
  writeFileSync(join(live, 'metrics.json'), '{"loss": 1}\n');
  // and a log that holds no value: a CSV with its header only
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'empty', 'metrics.csv'), 'step,loss\n');
  const cat = new Catalog([root]);
  await cat.scan();
  const d = cat.diagnostics();
  const about = (file: string) =>
    d
      .filter((x) => x.file === file)
      .map((x) => x.message)
      .join(' | ');
  assert.match(
    about(join(root, 'wandb', 'run-20240101_101010-abcd1234')),
    /looks like a W&B run folder .*found files\/config\.yaml; missing its run-<id>\.wandb/,
  );
  assert.match(
    about(version),
    /looks like a Lightning version folder .*found hparams\.yaml; missing metrics\.csv or an events\.out\.tfevents/,
  );
  assert.match(about(mlrun), /looks like an MLflow run folder .*missing metrics\/ or params\//);
  assert.match(about(live), /looks like a DVCLive folder .*found metrics\.json; missing plots\/metrics/);
  assert.match(about(join(root, 'empty', 'metrics.csv')), /no metric values/);
  assert.ok(
    d.every((x) => x.severity === 'warning'),
    JSON.stringify(d),
  );
});
