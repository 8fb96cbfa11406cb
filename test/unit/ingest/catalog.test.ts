import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog, type CatalogChange } from '../../../src/core/ingest/catalog';
import { runFolderOf } from '../../../src/core/ingest/catalogPaths';
import { pyJson } from '../../../scripts/examples/pyfmt';
import { appendTfEvents, tfEventsFileName, writeTfEvents } from '../../../scripts/writers/tensorboard';
import { tmpDir } from '../../support/tmp';

const NONE: CatalogChange = { added: [], updated: [], removed: [] };

async function scan(root: string): Promise<Catalog> {
  const cat = new Catalog([root]);
  await cat.scan();
  return cat;
}

function count(cat: Catalog, id: string, metric: string): number | undefined {
  return cat
    .runs()
    .find((r) => r.id === id)
    ?.metrics.find(metric)?.count;
}

function trainerState(step: number): string {
  const log_history = [];
  for (let s = 10; s <= step; s += 10)
    log_history.push({ epoch: s / 100, learning_rate: 1e-4, loss: 4 - s / 100, step: s });
  return JSON.stringify({ global_step: step, log_history, total_flos: step * 1e12 }, null, 2) + '\n';
}

function checkpoint(out: string, step: number): string[] {
  const dir = join(out, `checkpoint-${step}`);
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'trainer_state.json'), join(dir, 'config.json'), join(dir, 'model.safetensors')];
  writeFileSync(files[0], trainerState(step));
  writeFileSync(files[1], JSON.stringify({ model_type: 'gpt2', n_embd: 64, n_layer: 2, vocab_size: 100 }));
  writeFileSync(files[2], Buffer.alloc(64));
  return [dir, ...files];
}

test('runFolderOf: layout folders belong to the run above them', () => {
  const r = '/ws';
  assert.equal(runFolderOf(r, '/ws/mlruns/0/abc/metrics/train/loss'), '/ws/mlruns/0/abc');
  assert.equal(runFolderOf(r, '/ws/exp/dvclive/plots/metrics/val/loss.tsv'), '/ws/exp/dvclive');
  assert.equal(runFolderOf(r, '/ws/out/checkpoint-500/trainer_state.json'), '/ws/out');
  assert.equal(runFolderOf(r, '/ws/wandb/offline-run-x/files/config.yaml'), '/ws/wandb/offline-run-x');
  assert.equal(runFolderOf(r, '/ws/runs/a/log.jsonl'), '/ws/runs/a');
  assert.equal(runFolderOf(r, '/ws/log.jsonl'), '/ws');
});

test('a new checkpoint of a Trainer run is picked up as an update of that run, not as a new run', async () => {
  const root = tmpDir('sl-cat-');
  const out = join(root, 'out');
  checkpoint(out, 100);
  const cat = await scan(root);
  assert.equal(count(cat, 'out', 'loss'), 10);
  const events = checkpoint(out, 200); // the folder, then its files, as a watcher reports them
  const change = await cat.applyFileEvents(events);
  assert.deepEqual(change, { added: [], updated: ['out'], removed: [] });
  assert.equal(count(cat, 'out', 'loss'), 20);
  assert.deepEqual(
    cat.runs().map((r) => r.id),
    ['out'],
  );
  // the old checkpoint rotated away (save_total_limit): still one run, newest data kept
  rmSync(join(out, 'checkpoint-100'), { recursive: true });
  await cat.applyFileEvents([join(out, 'checkpoint-100')]);
  assert.deepEqual(
    cat.runs().map((r) => r.id),
    ['out'],
  );
  assert.equal(count(cat, 'out', 'loss'), 20);
  assert.deepEqual(cat.diagnostics(), []);
});

test('a new event file in a TensorBoard run updates it; one in a new subfolder adds a run', async () => {
  const root = tmpDir('sl-cat-');
  const run = join(root, 'runs', 'exp1');
  mkdirSync(run, { recursive: true });
  writeTfEvents(join(run, tfEventsFileName(1.7e9)), [{ tag: 'loss', step: 0, value: 3, wallTime: 1.7e9 }]);
  const cat = await scan(root);
  const restarted = join(run, tfEventsFileName(1.7e9 + 60, 'gpu-node-01', 4243));
  writeTfEvents(restarted, [{ tag: 'loss', step: 1, value: 2.5, wallTime: 1.7e9 + 61 }]);
  assert.deepEqual(await cat.applyFileEvents([restarted]), { added: [], updated: ['runs/exp1'], removed: [] });
  assert.equal(count(cat, 'runs/exp1', 'loss'), 2);
  appendTfEvents(restarted, [{ tag: 'loss', step: 2, value: 2.4, wallTime: 1.7e9 + 62 }]);
  assert.deepEqual(await cat.applyFileEvents([restarted]), { added: [], updated: ['runs/exp1'], removed: [] });
  mkdirSync(join(run, 'validation'));
  const val = join(run, 'validation', tfEventsFileName(1.7e9 + 70));
  writeTfEvents(val, [{ tag: 'loss', step: 2, value: 2.6, wallTime: 1.7e9 + 70 }]);
  assert.deepEqual(await cat.applyFileEvents([join(run, 'validation'), val]), {
    added: ['runs/exp1/validation'],
    updated: [],
    removed: [],
  });
  assert.equal(count(cat, 'runs/exp1', 'loss'), 3, 'the parent run is unchanged');
});

test('MLflow: a new metric file (key with "/") updates its run; a new run folder is added once it has its layout', async () => {
  const root = tmpDir('sl-cat-');
  const exp = join(root, 'mlruns', '0');
  const mkRun = (id: string) => {
    const dir = join(exp, id);
    mkdirSync(join(dir, 'metrics'), { recursive: true });
    mkdirSync(join(dir, 'params'));
    writeFileSync(
      join(dir, 'meta.yaml'),
      `run_id: ${id}\nrun_name: r-${id}\nexperiment_id: '0'\nlifecycle_stage: active\nstatus: 1\n`,
    );
    writeFileSync(join(dir, 'params', 'd_model'), '128');
    writeFileSync(join(dir, 'metrics', 'loss'), '1721450907230 3.5 0\n');
    return dir;
  };
  mkdirSync(exp, { recursive: true });
  writeFileSync(join(exp, 'meta.yaml'), "experiment_id: '0'\nname: Default\nlifecycle_stage: active\n");
  const a = mkRun('a'.repeat(32));
  const cat = await scan(root);
  const idA = `mlruns/0/${'a'.repeat(32)}`;
  mkdirSync(join(a, 'metrics', 'val'));
  writeFileSync(join(a, 'metrics', 'val', 'loss'), '1721450907230 3.7 0\n1721450908230 3.6 100\n');
  assert.deepEqual(await cat.applyFileEvents([join(a, 'metrics', 'val'), join(a, 'metrics', 'val', 'loss')]), {
    added: [],
    updated: [idA],
    removed: [],
  });
  assert.equal(count(cat, idA, 'val/loss'), 2);
  const b = mkRun('b'.repeat(32));
  const change = await cat.applyFileEvents([
    b,
    join(b, 'meta.yaml'),
    join(b, 'params', 'd_model'),
    join(b, 'metrics', 'loss'),
  ]);
  assert.deepEqual(change, { added: [`mlruns/0/${'b'.repeat(32)}`], updated: [], removed: [] });
  // the run deleted from the UI (lifecycle_stage: deleted) goes
  writeFileSync(join(b, 'meta.yaml'), `run_id: b\nexperiment_id: '0'\nlifecycle_stage: deleted\nstatus: 3\n`);
  assert.deepEqual(await cat.applyFileEvents([join(b, 'meta.yaml')]), {
    added: [],
    updated: [],
    removed: [`mlruns/0/${'b'.repeat(32)}`],
  });
});

test('run folders created and deleted; a second log in a folder; unrelated files change nothing', async () => {
  const root = tmpDir('sl-cat-');
  mkdirSync(join(root, 'sweep', 'r1'), { recursive: true });
  writeFileSync(join(root, 'sweep', 'r1', 'log.jsonl'), pyJson({ step: 1, loss: 3 }) + '\n');
  const cat = await scan(root);
  assert.deepEqual(
    cat.runs().map((r) => r.id),
    ['sweep/r1'],
  );

  mkdirSync(join(root, 'sweep', 'r2'));
  writeFileSync(join(root, 'sweep', 'r2', 'log.jsonl'), pyJson({ step: 1, loss: 2.9 }) + '\n');
  assert.deepEqual(await cat.applyFileEvents([join(root, 'sweep', 'r2'), join(root, 'sweep', 'r2', 'log.jsonl')]), {
    added: ['sweep/r2'],
    updated: [],
    removed: [],
  });

  // weights and a README beside a run: no run changes
  writeFileSync(join(root, 'sweep', 'r1', 'model.pt'), Buffer.alloc(16));
  writeFileSync(join(root, 'README.md'), '# notes\n');
  assert.deepEqual(await cat.applyFileEvents([join(root, 'sweep', 'r1', 'model.pt'), join(root, 'README.md')]), NONE);

  // a second log file in r1: the folder now holds two runs, named by file
  writeFileSync(join(root, 'sweep', 'r1', 'eval.jsonl'), pyJson({ step: 1, acc: 0.5 }) + '\n');
  assert.deepEqual(await cat.applyFileEvents([join(root, 'sweep', 'r1', 'eval.jsonl')]), {
    added: ['sweep/r1/eval', 'sweep/r1/log'],
    updated: [],
    removed: ['sweep/r1'],
  });

  appendFileSync(join(root, 'sweep', 'r2', 'log.jsonl'), pyJson({ step: 2, loss: 2.8 }) + '\n');
  assert.deepEqual(await cat.applyFileEvents([join(root, 'sweep', 'r2', 'log.jsonl')]), {
    added: [],
    updated: ['sweep/r2'],
    removed: [],
  });

  rmSync(join(root, 'sweep', 'r2'), { recursive: true });
  assert.deepEqual(await cat.applyFileEvents([join(root, 'sweep', 'r2')]), {
    added: [],
    updated: [],
    removed: ['sweep/r2'],
  });
  rmSync(join(root, 'sweep', 'r1', 'eval.jsonl'));
  assert.deepEqual(await cat.applyFileEvents([join(root, 'sweep', 'r1', 'eval.jsonl')]), {
    added: ['sweep/r1'],
    updated: [],
    removed: ['sweep/r1/eval', 'sweep/r1/log'],
  });
  assert.ok(cat.watchedFiles().includes(join(root, 'sweep', 'r1', 'log.jsonl')));
  assert.deepEqual(cat.diagnostics(), []);
});

test('two formats in one folder get distinct ids; refresh() keeps its old contract', async () => {
  const root = tmpDir('sl-cat-');
  writeFileSync(join(root, 'metrics.jsonl'), '{"step": 1, "loss": 3}\n');
  writeFileSync(join(root, 'metrics.csv'), 'step,acc\n1,0.5\n');
  const cat = await scan(root);
  const ids = cat.runs().map((r) => `${r.id}:${r.format}`);
  assert.equal(new Set(cat.runs().map((r) => r.id)).size, 2, ids.join(', '));
  appendFileSync(join(root, 'metrics.csv'), '2,0.6\n');
  assert.equal((await cat.refresh([join(root, 'metrics.csv')])).length, 1);
  assert.deepEqual(await cat.refresh(), []);
});

test('logs the walk did not size are read whole, large or small, guessed early or not, and again after appends', async () => {
  // The walk does not stat regular files (FileEntry.size is NaN): a run's size is found out before its reader's
  // next update, and a run of unknown size must never fall between "small" and "large" and go unread.
  const logged = (cat: Catalog, id: string) =>
    cat
      .runs()
      .find((r) => r.id === id)
      ?.metrics.find('loss')?.logged;
  const root = tmpDir('sl-catalog-');
  const lines = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => `{"step": ${from + i}, "loss": ${pyJson(3 - (from + i) / 1e5)}}\n`).join('');
  const big = 40_000; // over 1 MiB: a large run
  mkdirSync(join(root, 'plain'), { recursive: true }); // guessed early: one log and a config
  writeFileSync(join(root, 'plain', 'log.jsonl'), lines(0, big));
  writeFileSync(join(root, 'plain', 'config.yaml'), 'd_model: 64\n');
  mkdirSync(join(root, 'mixed', 'sub'), { recursive: true }); // not guessed: a subfolder beside the log
  writeFileSync(join(root, 'mixed', 'metrics.jsonl'), lines(0, 10));
  writeFileSync(join(root, 'mixed', 'sub', 'notes.md'), 'x\n');
  const cat = await scan(root);
  assert.equal(logged(cat, 'plain'), big);
  assert.equal(logged(cat, 'mixed'), 10);
  appendFileSync(join(root, 'plain', 'log.jsonl'), lines(big, 5));
  appendFileSync(join(root, 'mixed', 'metrics.jsonl'), lines(10, 5));
  const change = await cat.applyFileEvents([join(root, 'plain', 'log.jsonl'), join(root, 'mixed', 'metrics.jsonl')]);
  assert.deepEqual(change, { ...NONE, updated: ['mixed', 'plain'] });
  assert.equal(logged(cat, 'plain'), big + 5);
  assert.equal(logged(cat, 'mixed'), 15);
  // a full scan again: every run is updated through its (now sized) reader, nothing added or removed
  appendFileSync(join(root, 'plain', 'log.jsonl'), lines(big + 5, 1));
  assert.deepEqual(await cat.scan(), { ...NONE, updated: ['plain'] });
  assert.equal(logged(cat, 'plain'), big + 6);
});

test('a reader that gains or loses runs on an append or rewrite (a summary table) reports them added or removed', async () => {
  // no folder is detected again here: the change is worked out from the reader that read alone
  const root = tmpDir('sl-catalog-');
  mkdirSync(join(root, 'sweep'));
  writeFileSync(join(root, 'sweep', 'log.jsonl'), '{"step": 1, "loss": 3}\n');
  const table = join(root, 'final.csv');
  writeFileSync(table, 'N,D,loss\n1e8,2e9,3.1\n');
  const cat = await scan(root);
  assert.deepEqual(
    cat.runs().map((r) => r.id),
    ['final.csv#row1', 'sweep'],
  );
  appendFileSync(table, '4e8,8e9,2.7\n');
  // (the table is read again whole: its other rows count as updated)
  assert.deepEqual(await cat.applyFileEvents([table]), {
    ...NONE,
    added: ['final.csv#row2'],
    updated: ['final.csv#row1'],
  });
  writeFileSync(table, 'N,D,loss\n1e8,2e9,3.0\n');
  assert.deepEqual(await cat.applyFileEvents([table]), {
    ...NONE,
    updated: ['final.csv#row1'],
    removed: ['final.csv#row2'],
  });
  appendFileSync(join(root, 'sweep', 'log.jsonl'), '{"step": 2, "loss": 2}\n');
  assert.deepEqual(await cat.applyFileEvents([join(root, 'sweep', 'log.jsonl')]), { ...NONE, updated: ['sweep'] });
  assert.deepEqual(
    cat.runs().map((r) => r.id),
    ['final.csv#row1', 'sweep'],
  );
});
