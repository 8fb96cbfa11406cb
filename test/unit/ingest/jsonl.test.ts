import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeAliases } from '../../../src/core/config/aliases';
import { Catalog } from '../../../src/core/ingest/catalog';
import type { Run } from '../../../src/core/model/run';
import { f32, PyFloat, pyJson, type PyValue, pyYaml } from '../../../scripts/examples/pyfmt';
import { countBytesRead } from '../../support/ioSpy';
import { tmpDir } from '../../support/tmp';

async function scan(root: string, opts = {}): Promise<Catalog> {
  const cat = new Catalog([root], opts);
  await cat.scan();
  return cat;
}

function byId(cat: Catalog): Record<string, Run> {
  return Object.fromEntries(cat.runs().map((r) => [r.id, r]));
}

/** nanoGPT with a JSON logger: `json.dumps({...})` per log_interval, val_loss on eval iterations. */
function nanoLines(from: number, to: number): string {
  let out = '';
  for (let it = from; it < to; it += 10) {
    const rec: Record<string, PyValue> = {
      iter: it,
      loss: f32(10 / (1 + it / 100)),
      lr: 6e-4 * (1 - it / 1e4),
      tokens: it * 491520,
    };
    if (it % 50 === 0) rec.val_loss = f32(10.2 / (1 + it / 100));
    out += pyJson(rec) + '\n';
  }
  return out;
}

test('nanoGPT-style log.jsonl and a legacy W&B run folder: metrics, steps, tokens, time, configs', async () => {
  const root = tmpDir('sl-jsonl-');
  const nano = join(root, 'out-small');
  mkdirSync(nano);
  writeFileSync(
    join(nano, 'config.yaml'),
    pyYaml({
      n_layer: 6,
      n_embd: 384,
      n_head: 6,
      block_size: 256,
      batch_size: 64,
      gradient_accumulation_steps: 1,
      dropout: new PyFloat(0.2),
    }),
  );
  writeFileSync(join(nano, 'log.jsonl'), nanoLines(0, 200));
  // pre-0.10 W&B: wandb-history.jsonl (one dict per log call), wandb-events.jsonl (system stats), config.yaml
  const wb = join(root, 'wandb', 'run-20200507_101010-1a2b3c4d');
  mkdirSync(wb, { recursive: true });
  writeFileSync(
    join(wb, 'config.yaml'),
    'wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    cli_version: 0.9.7\nd_model:\n  desc: null\n  value: 512\nn_layers:\n  desc: null\n  value: 8\n',
  );
  const hist = [0, 1, 2]
    .map(
      (s) =>
        pyJson({
          loss: 3 - s * 0.5,
          'eval/acc': 0.1 * s,
          train: { grad_norm: 1 + s },
          _step: s,
          _runtime: 10.5 * (s + 1),
          _timestamp: 1588846210.5 + s,
        }) + '\n',
    )
    .join('');
  writeFileSync(join(wb, 'wandb-history.jsonl'), hist);
  writeFileSync(
    join(wb, 'wandb-events.jsonl'),
    pyJson({ 'system.cpu': 12.5, _runtime: 30, _timestamp: 1588846240 }) + '\n',
  );
  const cat = await scan(root);
  const runs = byId(cat);
  assert.deepEqual(Object.keys(runs).sort(), ['out-small', 'wandb/run-20200507_101010-1a2b3c4d']);

  const n = runs['out-small'];
  assert.equal(n.format, 'jsonl');
  // `iter` is the step (the logger's own field wins over the line index) and is kept as a series of its own
  assert.deepEqual(n.metrics.names(), ['iter', 'loss', 'lr', 'val_loss']);
  assert.equal(n.metrics.find('loss')?.count, 20);
  assert.equal(n.metrics.find('val_loss')?.count, 4);
  assert.deepEqual(n.metrics.find('loss')?.last(), { step: 190, value: f32(10 / 2.9) });
  assert.equal(n.metrics.find('loss')?.tokens[19], 190 * 491520);
  assert.equal(n.config.n_embd, 384);
  assert.equal(n.N?.value, 12 * 6 * 384 * 384);
  assert.equal(n.D?.value, 190 * 491520, n.D?.provenance);

  const w = runs['wandb/run-20200507_101010-1a2b3c4d'];
  assert.deepEqual(w.metrics.names(), ['eval/acc', 'loss', 'train.grad_norm']);
  assert.deepEqual(Array.from(w.metrics.find('loss')?.step ?? []), [0, 1, 2]);
  assert.deepEqual(
    Array.from(w.metrics.find('train.grad_norm')?.time ?? []),
    [1588846210.5, 1588846211.5, 1588846212.5],
  );
  assert.equal(w.config.d_model, 512);
  assert.equal(w.config['_wandb.cli_version'], undefined);
  assert.deepEqual(cat.diagnostics(), []);
});

test('damaged lines: a record cut mid-write, NaN/Infinity, text and null values; only the bad part is skipped', async () => {
  const root = tmpDir('sl-jsonl-');
  mkdirSync(join(root, 'bad'));
  mkdirSync(join(root, 'good'));
  const file = join(root, 'bad', 'metrics.jsonl');
  writeFileSync(
    file,
    [
      '{"step": 1, "loss": 2.5, "lr": 0.001}',
      '{"step": 2, "loss": 2.4, "l', // a writer killed mid-line, then restarted appending
      '{"step": 3, "loss": NaN, "lr": 0.001}',
      '{"step": 4, "loss": Infinity, "lr": -Infinity}',
      '{"step": 5, "loss": "diverged", "lr": null}',
      '[1, 2, 3]',
      '',
      '{"step": 6, "loss": 2.1, "lr": 0.0009, "tags": ["a", "b"]}',
      '{"step": 7, "loss": 2.0, "lr": 0.0008}',
      '{"step": 8, "loss": 1e999, "lr": 0.0007}',
    ].join('\n') + '\n',
  );
  writeFileSync(join(root, 'good', 'metrics.jsonl'), '{"step": 1, "loss": 1.0}\n');
  const cat = await scan(root);
  const runs = byId(cat);
  assert.equal(runs.good.metrics.find('loss')?.count, 1, 'the other run loads');
  const bad = runs.bad;
  // NaN/Infinity are data (a diverged run): kept and counted
  assert.deepEqual(Array.from(bad.metrics.find('loss')?.step ?? []), [1, 3, 4, 6, 7, 8]);
  assert.deepEqual(Array.from(bad.metrics.find('loss')?.value ?? []), [2.5, NaN, Infinity, 2.1, 2.0, Infinity]);
  assert.deepEqual(Array.from(bad.metrics.find('lr')?.step ?? []), [1, 3, 4, 6, 7, 8]);
  assert.equal(bad.metrics.find('lr')?.nonfiniteCount, 1);
  const d = cat.diagnostics().filter((x) => x.file === file);
  const at = (line: number) => d.filter((x) => x.position === `line ${line}`).map((x) => x.message);
  assert.match(at(2)[0], /not valid JSON/);
  assert.deepEqual(at(3), []);
  assert.deepEqual(at(4), []);
  assert.match(at(5).join(), /"lr" is null/);
  assert.match(at(6)[0], /not a JSON object/);
  assert.equal(at(8).length, 0, 'an array value is not a problem: it is not a metric');
  assert.deepEqual(at(10), []);
  assert.ok(
    d.some((x) => x.severity === 'warning' && /diverged at step 3/.test(x.message)),
    JSON.stringify(d),
  );
  assert.equal(cat.diagnostics().filter((x) => x.file !== file).length, 0);
});

test('a binary file named .jsonl gives a diagnostic and no metrics; the other runs load', async () => {
  const root = tmpDir('sl-jsonl-');
  mkdirSync(join(root, 'a'));
  mkdirSync(join(root, 'b'));
  writeFileSync(
    join(root, 'a', 'log.jsonl'),
    Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0x56]),
  );
  writeFileSync(join(root, 'b', 'log.jsonl'), '{"iter": 0, "loss": 3}\n');
  const cat = await scan(root);
  const runs = byId(cat);
  assert.deepEqual(runs.a.metrics.names(), []);
  assert.equal(runs.b.metrics.find('loss')?.count, 1);
  const d = cat.diagnostics();
  assert.equal(d.length, 1);
  assert.equal(d[0].file, join(root, 'a', 'log.jsonl'));
  assert.match(d[0].message, /binary/);
  assert.deepEqual(await cat.refresh(), [], 'a binary file is not read again');
});

test('incremental: an append reads only the new bytes; a partial last line waits for its newline', async () => {
  const root = tmpDir('sl-jsonl-');
  const file = join(root, 'log.jsonl');
  writeFileSync(file, nanoLines(0, 5000));
  const cat = await scan(root);
  const loss = () => cat.runs()[0].metrics.find('loss');
  assert.equal(loss()?.count, 500);
  const more = nanoLines(5000, 5100);
  const cut = more.length - 7;
  appendFileSync(file, more.slice(0, cut)); // the writer flushed mid-line
  const { bytes } = await countBytesRead(() => cat.applyFileEvents([file]));
  assert.equal(loss()?.count, 509, 'the incomplete 10th line is not read yet');
  assert.ok(bytes <= cut + 64, `read ${bytes} bytes for ${cut} appended`);
  appendFileSync(file, more.slice(cut));
  const change = await cat.applyFileEvents([file]);
  assert.deepEqual(change, { added: [], updated: [cat.runs()[0].id], removed: [] });
  assert.equal(loss()?.count, 510);
  assert.deepEqual(loss()?.last(), { step: 5090, value: f32(10 / 51.9) });
  assert.deepEqual(cat.diagnostics(), []);
});

test('a log truncated or rewritten in place is read again from the top: no lost and no doubled points', async () => {
  const root = tmpDir('sl-jsonl-');
  const file = join(root, 'log.jsonl');
  writeFileSync(file, nanoLines(0, 300));
  writeFileSync(join(root, 'config.yaml'), 'n_layer: 2\nn_embd: 64\n');
  const cat = await scan(root);
  const run = () => cat.runs()[0];
  assert.equal(run().metrics.find('loss')?.count, 30);
  // a restarted run truncates its log and starts again
  writeFileSync(file, nanoLines(0, 30));
  await cat.refresh([file]);
  assert.equal(run().metrics.find('loss')?.count, 3);
  assert.deepEqual(Array.from(run().metrics.find('loss')?.step ?? []), [0, 10, 20]);
  // rewritten larger, with different first bytes (another run's log moved over it)
  writeFileSync(file, nanoLines(0, 400).replace(/"iter"/g, '"step"'));
  await cat.refresh([file]);
  assert.equal(run().metrics.find('loss')?.count, 40);
  assert.equal(run().metrics.find('val_loss')?.count, 8);
  assert.equal(run().config.n_embd, 64, 'configs beside the log are kept');
  assert.deepEqual(cat.diagnostics(), []);
});

test('a very long series is thinned to the cap; first, last and the logged count stay exact', async () => {
  const root = tmpDir('sl-jsonl-');
  const file = join(root, 'log.jsonl');
  let text = '';
  for (let s = 0; s < 1000; s++) text += `{"step": ${s}, "loss": ${1000 - s}}\n`;
  writeFileSync(file, text);
  const cat = await scan(root, { maxPointsPerSeries: 64 });
  const s = cat.runs()[0].metrics.find('loss');
  assert.ok(s && s.count <= 64 && s.count >= 32, `kept ${s?.count}`);
  assert.equal(s.logged, 1000);
  assert.deepEqual(s.first(), { step: 0, value: 1000 });
  assert.deepEqual(s.last(), { step: 999, value: 1 });
  // kept points are evenly spaced in log order
  const steps = Array.from(s.step).slice(0, -1);
  const gaps = new Set(steps.slice(1).map((v, i) => v - steps[i]));
  assert.equal(gaps.size, 1, `gaps ${[...gaps].join(', ')}`);
});

test('JSON lines are found by content in .json and .txt (detectron2 metrics.json, DETR log.txt), not by name', async () => {
  const root = tmpDir('sl-jsonl-');
  mkdirSync(join(root, 'd2', 'output'), { recursive: true });
  mkdirSync(join(root, 'detr', 'out'), { recursive: true });
  // detectron2's JSONWriter: one dict per line, its own `iteration` field, restarts append to the same file
  const d2 =
    [0, 19, 39, 19, 39, 59]
      .map((it) =>
        pyJson({
          data_time: 0.01,
          iteration: it,
          loss_cls: 0.5 - it / 200,
          lr: 0.00025,
          time: 0.3,
          total_loss: 2 - it / 100,
        }),
      )
      .join('\n') + '\n';
  writeFileSync(join(root, 'd2', 'output', 'metrics.json'), d2);
  // DETR: json.dumps of a long dict per epoch (lines of several KiB), `epoch` is the only step field
  const wide = (e: number) => {
    const rec: Record<string, PyValue> = { train_lr: 1e-4, train_loss: 25 - e };
    for (let i = 0; i < 300; i++) rec[`train_loss_extra_${i}`] = new PyFloat(i + 0.123456789 * e);
    rec.epoch = e;
    rec.n_parameters = 41302368;
    return pyJson(rec);
  };
  writeFileSync(join(root, 'detr', 'out', 'log.txt'), [0, 1, 2].map(wide).join('\n') + '\n');
  // a pretty-printed .json and a one-line .json are documents, not logs
  writeFileSync(join(root, 'd2', 'output', 'results.json'), JSON.stringify({ bbox: { AP: 40.1 } }, null, 2) + '\n');
  writeFileSync(join(root, 'd2', 'output', 'summary.json'), '{"AP": 40.1}\n');
  const cat = await scan(root);
  const runs = byId(cat);
  assert.deepEqual(Object.keys(runs).sort(), ['d2/output', 'detr/out']);
  const total = runs['d2/output'].metrics.find('total_loss');
  assert.deepEqual(
    Array.from(total?.step ?? []),
    [0, 19, 39, 19, 39, 59],
    "the logger's iteration, restart duplicates kept",
  );
  assert.equal(runs['d2/output'].metrics.find('iteration')?.count, 6, 'iteration is kept as a series too');
  assert.ok(
    cat.diagnostics().some((d) => d.severity === 'info' && /steps go back once.*first to step 19/.test(d.message)),
    JSON.stringify(cat.diagnostics()),
  );
  const detr = runs['detr/out'];
  assert.deepEqual(Array.from(detr.metrics.find('train_loss')?.step ?? []), [0, 1, 2], 'stepped by epoch');
  assert.equal(detr.metrics.find('epoch')?.count, 3);
});

test('the step field order: step, global_step, _step, trainer/global_step, iteration, iter, current_steps, then epoch; the step alias goes first', async () => {
  const root = tmpDir('sl-jsonl-');
  mkdirSync(join(root, 'lf'));
  mkdirSync(join(root, 'both'));
  mkdirSync(join(root, 'mine'));
  // LLaMA-Factory's trainer_log.jsonl: current_steps beside epoch
  writeFileSync(
    join(root, 'lf', 'trainer_log.jsonl'),
    [5, 10]
      .map((s) =>
        pyJson({ current_steps: s, total_steps: 10, loss: 2 - s / 10, lr: 1e-4, epoch: s / 10, percentage: s * 10 }),
      )
      .join('\n') + '\n',
  );
  writeFileSync(join(root, 'both', 'log.jsonl'), pyJson({ epoch: 1, iter: 7, global_step: 700, loss: 1 }) + '\n');
  writeFileSync(join(root, 'mine', 'log.jsonl'), pyJson({ step: 1, optimizer_updates: 42, loss: 1 }) + '\n');
  const cat = await scan(root, { aliases: mergeAliases({ step: ['optimizer_updates'] }) });
  const runs = byId(cat);
  assert.deepEqual(runs.lf.metrics.find('loss')?.first(), { step: 5, value: 1.5 });
  assert.deepEqual(runs.lf.metrics.find('epoch')?.last(), { step: 10, value: 1 });
  assert.deepEqual(runs.both.metrics.find('loss')?.first(), { step: 700, value: 1 });
  assert.deepEqual(
    runs.mine.metrics.find('loss')?.first(),
    { step: 42, value: 1 },
    'a user alias wins over the built-in order',
  );
});
