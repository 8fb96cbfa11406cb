import { put, splitBatch, truthOf, type TruthRun } from './out';
import type { LogPoint, RunPlan } from './plan';
import { f32, PyFloat, pyFloat, pyJson, type PyValue } from './pyfmt';

/** A GPT-NeoX config as `PretrainedConfig.to_json_file` writes it (sorted keys, indent 2); FFN 4d, GELU: N = 12·L·d². */
function hfConfig(p: RunPlan): string {
  const s = p.size;
  return pyJson({
    architectures: ['GPTNeoXForCausalLM'],
    attention_bias: true,
    attention_dropout: new PyFloat(0),
    bos_token_id: 0,
    classifier_dropout: 0.1,
    eos_token_id: 0,
    hidden_act: 'gelu',
    hidden_dropout: new PyFloat(0),
    hidden_size: s.d,
    initializer_range: 0.02,
    intermediate_size: 4 * s.d,
    layer_norm_eps: 1e-5,
    max_position_embeddings: s.seq,
    model_type: 'gpt_neox',
    num_attention_heads: s.heads,
    num_hidden_layers: s.layers,
    rope_scaling: null,
    rotary_emb_base: 10000,
    rotary_pct: 0.25,
    tie_word_embeddings: false,
    torch_dtype: 'bfloat16',
    transformers_version: '4.44.2',
    use_cache: true,
    use_parallel_residual: true,
    vocab_size: s.vocab,
  }, { indent: 2, sortKeys: true }) + '\n';
}

const epochOf = (p: RunPlan, step: number) => new PyFloat(Number((step / p.steps).toFixed(4)));

function trainEntry(p: RunPlan, t: LogPoint): PyValue {
  return { epoch: epochOf(p, t.step), grad_norm: f32(t.gradNorm), learning_rate: t.lr, loss: Number(f32(t.loss).toFixed(4)), num_input_tokens_seen: t.tokens, step: t.step };
}

function evalEntry(p: RunPlan, e: LogPoint): PyValue {
  const runtime = Number((20 + p.N / 2e7).toFixed(4));
  return { epoch: epochOf(p, e.step), eval_loss: f32(e.loss), eval_runtime: runtime, eval_samples_per_second: Number((3200 / runtime).toFixed(3)), eval_steps_per_second: Number((400 / runtime).toFixed(3)), num_input_tokens_seen: e.tokens, step: e.step };
}

/** `TrainerState.save_to_json`: asdict, sorted keys, indent 2. */
function trainerState(p: RunPlan, upTo: number, history: PyValue[], final: boolean): string {
  const { micro } = splitBatch(p.size.batch);
  return pyJson({
    best_global_step: null,
    best_metric: null,
    best_model_checkpoint: null,
    epoch: epochOf(p, upTo),
    eval_steps: p.interval * 10,
    global_step: upTo,
    is_hyper_param_search: false,
    is_local_process_zero: true,
    is_world_process_zero: true,
    log_history: history,
    logging_steps: p.interval,
    max_steps: p.steps,
    num_input_tokens_seen: upTo * p.tokensPerStep,
    num_train_epochs: 1,
    save_steps: p.steps / 2,
    stateful_callbacks: {
      TrainerControl: { args: { should_epoch_stop: false, should_evaluate: false, should_log: false, should_save: true, should_training_stop: final }, attributes: {} },
    },
    total_flos: new PyFloat(6 * p.N * upTo * p.tokensPerStep),
    train_batch_size: micro,
    trial_name: null,
    trial_params: null,
  }, { indent: 2, sortKeys: true }) + '\n';
}

/**
 * Hugging Face Trainer output_dir: `checkpoint-<step>/` with `trainer_state.json` and the model `config.json`
 * (save_total_limit=2 keeps the last two; weights and optimizer files are left out to keep the folder small).
 * With `finished`, the script's trainer.save_model()/save_state() also wrote `config.json`, `trainer_state.json`
 * (whose history ends with the train summary entry) and `*_results.json` at the top.
 */
export function writeHfTrainer(root: string, p: RunPlan, finished: boolean): TruthRun {
  const dir = `hf/${p.name}`;
  const history: PyValue[] = [];
  let e = 0;
  const saves = new Set([p.steps / 2, p.steps]);
  for (const t of p.train) {
    history.push(trainEntry(p, t));
    if (p.evals[e]?.step === t.step) history.push(evalEntry(p, p.evals[e++]));
    if (saves.has(t.step)) {
      put(root, `${dir}/checkpoint-${t.step}/config.json`, hfConfig(p));
      put(root, `${dir}/checkpoint-${t.step}/trainer_state.json`, trainerState(p, t.step, [...history], t.step === p.steps));
    }
  }
  if (finished) {
    const runtime = Number((p.steps * p.secondsPerStep).toFixed(4));
    const meanLoss = p.train.reduce((a, t) => a + t.loss, 0) / p.train.length; // HF reports the mean train loss
    const summary = {
      epoch: new PyFloat(1),
      total_flos: new PyFloat(6 * p.N * p.D),
      train_loss: meanLoss,
      train_runtime: runtime,
      train_samples_per_second: Number(((p.steps * p.size.batch) / runtime).toFixed(3)),
      train_steps_per_second: Number((p.steps / runtime).toFixed(3)),
    };
    history.push({ ...summary, num_input_tokens_seen: p.D, step: p.steps });
    put(root, `${dir}/config.json`, hfConfig(p));
    put(root, `${dir}/trainer_state.json`, trainerState(p, p.steps, history, true));
    put(root, `${dir}/train_results.json`, pyJson(summary, { indent: 4, sortKeys: true }) + '\n');
    put(root, `${dir}/all_results.json`, pyJson(summary, { indent: 4, sortKeys: true }) + '\n');
  }
  const metrics = { loss: p.train.length, eval_loss: p.evals.length, learning_rate: p.train.length, grad_norm: p.train.length };
  return truthOf(p, dir, metrics, 'num_input_tokens_seen in trainer_state.json (newest)');
}

const FAKE_ROOT = 'file:///home/researcher/scaling'; // artifact URIs are absolute in real stores; a fixed one keeps output reproducible

/** The experiment folder's `meta.yaml` (Default experiment, id 0). */
export function writeMlflowExperiment(root: string): void {
  put(root, 'mlflow/mlruns/0/meta.yaml', `artifact_location: ${FAKE_ROOT}/mlruns/0\ncreation_time: 1721449990000\nexperiment_id: '0'\nlast_update_time: 1721449990000\nlifecycle_stage: active\nname: Default\n`);
}

/**
 * MLflow file store: `mlruns/0/<run_id>/` with `meta.yaml`, `metrics/<key>` ("<ts_ms> <value> <step>" lines; a
 * "/" in a key makes a folder), `params/<key>` (the value as text, no newline) and `tags/<key>`.
 */
export function writeMlflow(root: string, p: RunPlan): TruthRun {
  const id = p.rng.hex(32);
  const dir = `mlflow/mlruns/0/${id}`;
  const ms = (sec: number) => Math.round(sec * 1000);
  const end = p.train[p.train.length - 1].time + 30;
  put(root, `${dir}/meta.yaml`, [
    `artifact_uri: ${FAKE_ROOT}/mlruns/0/${id}/artifacts`,
    `end_time: ${ms(end)}`,
    "entry_point_name: ''",
    "experiment_id: '0'",
    'lifecycle_stage: active',
    `run_id: ${id}`,
    `run_name: ${p.name}`,
    `run_uuid: ${id}`,
    "source_name: ''",
    'source_type: 4',
    "source_version: ''",
    `start_time: ${ms(p.start)}`,
    'status: 3',
    'tags: []',
    'user_id: researcher',
    '',
  ].join('\n'));
  const params: Record<string, string> = {
    d_model: String(p.size.d),
    n_layers: String(p.size.layers),
    n_heads: String(p.size.heads),
    vocab_size: String(p.size.vocab),
    seq_len: String(p.size.seq),
    global_batch_size: String(p.size.batch),
    lr: pyFloat(p.peakLr),
    warmup_steps: String(p.warmup),
    max_steps: String(p.steps),
  };
  for (const [k, v] of Object.entries(params)) put(root, `${dir}/params/${k}`, v);
  const tags: Record<string, string> = {
    'mlflow.runName': p.name,
    'mlflow.user': 'researcher',
    'mlflow.source.name': 'train.py',
    'mlflow.source.type': 'LOCAL',
    'mlflow.source.git.commit': p.rng.hex(40),
  };
  for (const [k, v] of Object.entries(tags)) put(root, `${dir}/tags/${k}`, v);
  const lines = (pts: LogPoint[], val: (t: LogPoint) => number) => pts.map((t) => `${ms(t.time)} ${pyFloat(val(t))} ${t.step}\n`).join('');
  put(root, `${dir}/metrics/train/loss`, lines(p.train, (t) => f32(t.loss)));
  put(root, `${dir}/metrics/lr`, lines(p.train, (t) => t.lr));
  put(root, `${dir}/metrics/val/loss`, lines(p.evals, (t) => f32(t.loss)));
  return truthOf(p, dir, { 'train/loss': p.train.length, 'val/loss': p.evals.length, lr: p.train.length }, 'last step × global_batch_size × seq_len in params/');
}
