import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import type { Run } from '../../../src/core/model/run';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'sl-hf-'));
}

/** The way TrainerState.save_to_json writes: json.dumps(asdict(state), indent=2, sort_keys=True) + "\n". */
function pyJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, x]) => [k, sort(x)]),
      );
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + '\n';
}

type Entry = Record<string, number>;

/** log_history up to `upTo` steps: a train entry every 10 steps, an eval entry every 50. */
function history(upTo: number, final = false): Entry[] {
  const out: Entry[] = [];
  for (let s = 10; s <= upTo; s += 10) {
    out.push({
      epoch: s / 160,
      grad_norm: 1.5 - s / 1000,
      learning_rate: 3e-4 * (1 - s / 1000),
      loss: 4 - s / 100,
      num_input_tokens_seen: s * 8192,
      step: s,
    });
    if (s % 50 === 0)
      out.push({
        epoch: s / 160,
        eval_loss: 4.1 - s / 100,
        eval_runtime: 12.5,
        eval_samples_per_second: 80.1,
        eval_steps_per_second: 10.0,
        num_input_tokens_seen: s * 8192,
        step: s,
      });
  }
  if (final)
    out.push({
      epoch: upTo / 160,
      step: upTo,
      total_flos: 5.1e15,
      train_loss: 3.2,
      train_runtime: 600.2,
      train_samples_per_second: 21.3,
      train_steps_per_second: 0.17,
    });
  return out;
}

function state(step: number, final = false): Record<string, unknown> {
  return {
    best_global_step: null,
    best_metric: null,
    best_model_checkpoint: null,
    epoch: step / 160,
    eval_steps: 50,
    global_step: step,
    is_hyper_param_search: false,
    is_local_process_zero: true,
    is_world_process_zero: true,
    log_history: history(step, final),
    logging_steps: 10,
    max_steps: 200,
    num_input_tokens_seen: step * 8192,
    num_train_epochs: 2,
    save_steps: 50,
    stateful_callbacks: { TrainerControl: { args: { should_epoch_stop: false, should_save: true }, attributes: {} } },
    total_flos: step * 2.55e13,
    train_batch_size: 8,
    trial_name: null,
    trial_params: null,
  };
}

const LLAMA_CONFIG = {
  architectures: ['LlamaForCausalLM'],
  bos_token_id: 1,
  eos_token_id: 2,
  hidden_act: 'silu',
  hidden_size: 256,
  intermediate_size: 688,
  max_position_embeddings: 1024,
  model_type: 'llama',
  num_attention_heads: 4,
  num_hidden_layers: 4,
  num_key_value_heads: 4,
  rms_norm_eps: 1e-6,
  tie_word_embeddings: false,
  torch_dtype: 'float32',
  transformers_version: '4.44.0',
  vocab_size: 32000,
};

function writeCheckpoint(out: string, step: number, final = false): string {
  const dir = join(out, `checkpoint-${step}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(LLAMA_CONFIG, null, 2) + '\n');
  writeFileSync(join(dir, 'training_args.bin'), Buffer.from([0x80, 0x04, 0x95, 0, 0, 0x63, 0x74]));
  writeFileSync(join(dir, 'trainer_state.json'), pyJson(state(step, final)));
  return join(dir, 'trainer_state.json');
}

async function scan(root: string): Promise<{ cat: Catalog; run: Run }> {
  const cat = new Catalog([root]);
  await cat.scan();
  const runs = cat.runs().filter((r) => r.format === 'hf-trainer');
  assert.equal(
    runs.length,
    1,
    `one hf-trainer run expected, got ${cat
      .runs()
      .map((r) => `${r.id}:${r.format}`)
      .join(', ')}`,
  );
  return { cat, run: runs[0] };
}

test('reads the newest checkpoint: train/eval/final metrics, facts and the model config', async () => {
  const root = tmp();
  const out = join(root, 'out');
  writeCheckpoint(out, 100);
  writeCheckpoint(out, 200, true);
  const { cat, run } = await scan(root);
  assert.equal(run.id, 'out');
  assert.equal(run.files.filter((f) => f.endsWith('trainer_state.json')).length, 2, 'claims both state files');
  const loss = run.metrics.find('loss');
  assert.ok(loss);
  assert.equal(loss.count, 20);
  assert.deepEqual(loss.first(), { step: 10, value: 3.9 });
  assert.deepEqual(loss.last(), { step: 200, value: 2 });
  assert.equal(loss.tokens[19], 200 * 8192);
  assert.equal(run.metrics.find('eval_loss')?.count, 4);
  assert.equal(run.metrics.find('learning_rate')?.count, 20);
  assert.equal(run.metrics.find('grad_norm')?.count, 20);
  assert.deepEqual(run.metrics.find('train_loss')?.last(), { step: 200, value: 3.2 });
  assert.equal(run.metrics.find('epoch')?.count, 25, 'epoch is kept as a series of its own');
  for (const name of ['eval_runtime', 'train_runtime', 'total_flos', 'num_input_tokens_seen', 'step'])
    assert.equal(run.metrics.find(name), undefined, name);
  assert.equal(run.facts.flops?.value, 200 * 2.55e13);
  assert.match(run.facts.flops.provenance, /total_flos in trainer_state\.json/);
  assert.equal(run.C?.value, 200 * 2.55e13, 'C from total_flos, not 6ND');
  assert.equal(run.D?.value, 200 * 8192);
  assert.equal(run.config.hidden_size, 256);
  assert.equal(run.config['trainer_state.max_steps'], 200);
  // Llama: 4 layers of d(d + 2d) + d² attention and a gated 3·d·d_ff MLP, embeddings excluded.
  assert.equal(run.N?.value, 4 * (256 * 768 + 256 * 256 + 3 * 256 * 688));
  assert.equal(cat.diagnostics().length, 0, JSON.stringify(cat.diagnostics()));
});

test('a top-level trainer_state.json newer than the checkpoints wins; a new checkpoint replaces metrics', async () => {
  const root = tmp();
  const out = join(root, 'runs', 'llama-s');
  writeCheckpoint(out, 50);
  writeFileSync(join(out, 'config.json'), JSON.stringify({ ...LLAMA_CONFIG, hidden_size: 512 }));
  const { cat } = await scan(root);
  let run = cat.runs()[0];
  assert.equal(run.metrics.find('loss')?.count, 5);
  assert.equal(run.config.hidden_size, 512, "the output folder's config.json comes before the checkpoint's");

  writeCheckpoint(out, 150);
  assert.ok((await cat.refresh()).includes('runs/llama-s'));
  run = cat.runs()[0];
  assert.equal(run.metrics.find('loss')?.count, 15, 'replaced, not appended to');
  assert.ok(run.files.some((f) => f.includes('checkpoint-150')));

  writeFileSync(join(out, 'trainer_state.json'), pyJson(state(170, true)));
  await cat.refresh();
  run = cat.runs()[0];
  assert.equal(run.metrics.find('loss')?.count, 17);
  assert.equal(run.metrics.find('train_loss')?.count, 1);
  assert.deepEqual(await cat.refresh(), [], 'nothing changed: nothing re-read');
});

test('damaged state files: truncated JSON, NaN loss and a non-object entry give diagnostics, never throw', async () => {
  const root = tmp();
  const out = join(root, 'out');
  writeCheckpoint(out, 100);
  const newest = writeCheckpoint(out, 200);
  const full = pyJson(state(200));
  writeFileSync(newest, full.slice(0, Math.floor(full.length / 2))); // killed mid-save
  const { cat } = await scan(root);
  let run = cat.runs()[0];
  assert.equal(run.metrics.find('loss')?.count, 10, 'falls back to the last readable checkpoint');
  const diag = cat.diagnostics().find((d) => d.file === newest);
  assert.ok(diag, 'diagnostic names the broken file');
  assert.match(diag.message, /not valid JSON/);

  // Python writes NaN for a diverged loss: the point is data (kept, counted, a warning), the rest read.
  const text = pyJson(state(200))
    .replace('"loss": 2.1', '"loss": NaN')
    .replace(/"log_history": \[/, '"log_history": [\n    "oops",');
  writeFileSync(newest, text);
  await cat.refresh();
  run = cat.runs()[0];
  assert.equal(run.metrics.find('loss')?.count, 20);
  assert.equal(run.metrics.find('loss')?.nonfiniteCount, 1);
  assert.equal(run.metrics.find('eval_loss')?.count, 4);
  const msgs = cat
    .diagnostics()
    .filter((d) => d.file === newest)
    .map((d) => d.message);
  assert.ok(
    cat.diagnostics().some((d) => d.severity === 'warning' && /diverged at step 190/.test(d.message)),
    msgs.join('; '),
  );
  assert.ok(
    msgs.some((m) => /not an object/.test(m)),
    msgs.join('; '),
  );
  assert.ok(!msgs.some((m) => /not valid JSON/.test(m)), 'old parse error cleared once the file reads');

  // The loaded file breaks: the run keeps what it had.
  writeFileSync(newest, '{"log_history": [');
  await cat.refresh();
  run = cat.runs()[0];
  assert.equal(run.metrics.find('loss')?.count, 20);
  assert.ok(cat.diagnostics().some((d) => d.file === newest && /not valid JSON/.test(d.message)));

  // A state file without log_history is not a Trainer's: diagnostic, nothing thrown.
  const other = join(root, 'weird');
  mkdirSync(other);
  writeFileSync(join(other, 'trainer_state.json'), '{"global_step": 3}\n');
  const cat2 = new Catalog([other]);
  await cat2.scan();
  assert.ok(cat2.diagnostics().some((d) => d.file.endsWith('trainer_state.json') && /log_history/.test(d.message)));
  rmSync(root, { recursive: true, force: true });
});

test('trainer_state.json rewritten whole in place (save_state at every log) is parsed again each time it changes', async () => {
  const root = tmp();
  const out = join(root, 'out');
  mkdirSync(out);
  const file = join(out, 'trainer_state.json');
  writeFileSync(file, pyJson(state(40)));
  const { cat } = await scan(root);
  for (const step of [60, 80, 200]) {
    writeFileSync(file, pyJson(state(step, step === 200)));
    const change = await cat.applyFileEvents([file]);
    assert.deepEqual(change, { added: [], updated: ['out'], removed: [] }, `step ${step}`);
    const run = cat.runs()[0];
    assert.equal(run.metrics.find('loss')?.count, step / 10, `step ${step}: replaced, not appended to`);
    assert.equal(run.C?.value, step * 2.55e13);
  }
  // written shorter (a new run into the same folder): replaced as well
  writeFileSync(file, pyJson(state(20)));
  await cat.applyFileEvents([file]);
  assert.equal(cat.runs()[0].metrics.find('loss')?.count, 2);
  assert.deepEqual(cat.diagnostics(), []);
});

test('checkpoints of another training in the same output folder (another max_steps) are a run of their own', async () => {
  const root = tmp();
  const out = join(root, 'results');
  writeCheckpoint(out, 200);
  // the same script re-run with a shorter schedule, saving into the same folder
  const other = join(out, 'checkpoint-30');
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 'trainer_state.json'), pyJson({ ...state(30), max_steps: 30 }));
  writeFileSync(join(other, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: 8, lora_alpha: 16 }) + '\n');
  const cat = new Catalog([root]);
  await cat.scan();
  const runs = Object.fromEntries(cat.runs().map((r) => [r.id, r]));
  assert.deepEqual(Object.keys(runs).sort(), ['results', 'results/checkpoint-30']);
  assert.equal(runs.results.metrics.find('loss')?.count, 20);
  assert.equal(runs.results.config['trainer_state.max_steps'], 200);
  assert.ok(
    !runs.results.files.includes(join(other, 'trainer_state.json')),
    'the other training is not read into this run',
  );
  const short = runs['results/checkpoint-30'];
  assert.equal(short.metrics.find('loss')?.count, 3);
  assert.equal(short.config['trainer_state.max_steps'], 30);
  assert.equal(short.config['trainer_state.epoch'], 30 / 160);
  assert.equal(short.config['trainer_state.best_metric'], null);
  assert.equal(short.config.r, 8, 'the PEFT adapter config of the checkpoint is read');
  // provenance: the state file first, then the config files the values came from
  assert.deepEqual(short.files, [join(other, 'trainer_state.json'), join(other, 'adapter_config.json')]);
});
