import { put, splitBatch, truthOf, type TruthRun } from './out';
import type { RunPlan } from './plan';
import { f32, PyFloat, pyFloat, pyJson, type PyValue, pyYaml } from './pyfmt';

/**
 * nanoGPT with a JSON-lines logger: `out-<name>/log.jsonl`, one `json.dumps` dict per log_interval, `val_loss`
 * added on eval iterations, and the run's config (nanoGPT's globals) dumped to `config.yaml` beside it.
 */
export function writeNanoGpt(root: string, p: RunPlan): TruthRun {
  const dir = `nanogpt/out-${p.name}`;
  const { micro, accum } = splitBatch(p.size.batch, 1); // nanoGPT's gradient_accumulation_steps is the global count
  put(root, `${dir}/config.yaml`, pyYaml({
    out_dir: `out-${p.name}`,
    eval_interval: p.interval * 10,
    log_interval: p.interval,
    eval_iters: 200,
    always_save_checkpoint: true,
    dataset: 'openwebtext',
    gradient_accumulation_steps: accum,
    batch_size: micro,
    block_size: p.size.seq,
    vocab_size: p.size.vocab,
    n_layer: p.size.layers,
    n_head: p.size.heads,
    n_embd: p.size.d,
    dropout: new PyFloat(0),
    bias: false,
    learning_rate: p.peakLr,
    max_iters: p.steps,
    weight_decay: 0.1,
    beta1: 0.9,
    beta2: 0.95,
    grad_clip: new PyFloat(1),
    decay_lr: true,
    warmup_iters: p.warmup,
    lr_decay_iters: p.steps,
    min_lr: p.minLr,
    dtype: 'bfloat16',
    compile: true,
  }));
  let log = '';
  let e = 0;
  for (const t of p.train) {
    const ev = p.evals[e]?.step === t.step ? p.evals[e++] : undefined;
    const rec: { [key: string]: PyValue } = ev
      ? { iter: t.step, loss: f32(t.loss), val_loss: f32(ev.loss), lr: t.lr, tokens: t.tokens }
      : { iter: t.step, loss: f32(t.loss), lr: t.lr, tokens: t.tokens };
    log += pyJson(rec) + '\n';
  }
  put(root, `${dir}/log.jsonl`, log);
  return truthOf(p, dir, { loss: p.train.length, val_loss: p.evals.length, lr: p.train.length }, 'tokens field of log.jsonl');
}

/**
 * Lightning's CSVLogger: `lightning_logs/version_<v>/metrics.csv` (Python csv module: sorted header, CRLF line
 * ends, sparse rows — LearningRateMonitor, training_step and validation each log their own row) and
 * `hparams.yaml` from `save_hyperparameters()`. The logged `step` is the global step before the optimizer step,
 * so the last row says steps-1.
 */
export function writeLightning(root: string, p: RunPlan, version: number): TruthRun {
  const dir = `lightning/lightning_logs/version_${version}`;
  const { micro, accum, devices } = splitBatch(p.size.batch);
  put(root, `${dir}/hparams.yaml`, pyYaml({
    d_model: p.size.d,
    n_layers: p.size.layers,
    n_heads: p.size.heads,
    vocab_size: p.size.vocab,
    seq_len: p.size.seq,
    batch_size: micro,
    accumulate_grad_batches: accum,
    num_devices: devices,
    lr: p.peakLr,
    min_lr: p.minLr,
    warmup_steps: p.warmup,
    max_steps: p.steps,
    weight_decay: 0.1,
  }));
  const rows = ['epoch,lr-AdamW,step,train_loss,val_loss'];
  let e = 0;
  for (const t of p.train) {
    const s = t.step - 1;
    rows.push(`,${pyFloat(t.lr)},${s},,`);
    rows.push(`0,,${s},${pyFloat(f32(t.loss))},`);
    if (p.evals[e]?.step === t.step) rows.push(`0,,${s},,${pyFloat(f32(p.evals[e++].loss))}`);
  }
  put(root, `${dir}/metrics.csv`, rows.join('\r\n') + '\r\n');
  return truthOf(p, dir, { train_loss: p.train.length, val_loss: p.evals.length, 'lr-AdamW': p.train.length }, 'last step × batch_size × accumulate_grad_batches × num_devices × seq_len (step is logged as steps-1)');
}

/**
 * DVCLive 3: `dvclive/plots/metrics/<name>.tsv` per metric ("/" in a name makes folders; header `step\t<basename>`),
 * `params.yaml` from `log_params`, the latest values in `metrics.json`, and a `dvc.yaml` at the project root.
 * The script sets `live.step = global_step`, so steps are optimizer steps.
 */
export function writeDvclive(root: string, p: RunPlan): TruthRun {
  const dir = `dvclive/${p.name}`;
  put(root, `${dir}/dvc.yaml`, 'params:\n- dvclive/params.yaml\nmetrics:\n- dvclive/metrics.json\nplots:\n- dvclive/plots/metrics:\n    x: step\n');
  put(root, `${dir}/dvclive/params.yaml`, pyYaml({
    model: { d_model: p.size.d, n_layers: p.size.layers, n_heads: p.size.heads, vocab_size: p.size.vocab, seq_len: p.size.seq },
    train: { global_batch_size: p.size.batch, lr: p.peakLr, min_lr: p.minLr, warmup_steps: p.warmup, max_steps: p.steps, weight_decay: 0.1 },
  }));
  const tsv = (name: string, pts: { step: number; v: number }[]) => `step\t${name}\n${pts.map((x) => `${x.step}\t${pyFloat(x.v)}\n`).join('')}`;
  put(root, `${dir}/dvclive/plots/metrics/train/loss.tsv`, tsv('loss', p.train.map((t) => ({ step: t.step, v: f32(t.loss) }))));
  put(root, `${dir}/dvclive/plots/metrics/lr.tsv`, tsv('lr', p.train.map((t) => ({ step: t.step, v: t.lr }))));
  put(root, `${dir}/dvclive/plots/metrics/val/loss.tsv`, tsv('loss', p.evals.map((t) => ({ step: t.step, v: f32(t.loss) }))));
  const last = p.train[p.train.length - 1];
  const lastEval = p.evals[p.evals.length - 1];
  put(root, `${dir}/dvclive/metrics.json`, pyJson({ train: { loss: f32(last.loss) }, lr: last.lr, val: { loss: f32(lastEval.loss) }, step: last.step }, { indent: 4 }) + '\n');
  return truthOf(p, dir, { 'train/loss': p.train.length, 'val/loss': p.evals.length, lr: p.train.length }, 'last step × train.global_batch_size × model.seq_len in params.yaml');
}
