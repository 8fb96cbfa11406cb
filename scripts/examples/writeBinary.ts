// The binary formats go through the fixture writers in scripts/writers, which frame records exactly as
// TensorBoard's and wandb's own writers do; one implementation of that framing is enough.
import { tfEventsFileName, type TbScalar, writeTfEvents } from '../writers/tensorboard';
import { wandbOfflineRunDir, writeWandbRun } from '../writers/wandb';
import { join } from 'node:path';
import { put, truthOf, type TruthRun } from './out';
import type { RunPlan } from './plan';
import { f32, PyFloat, pyYaml } from './pyfmt';

/**
 * A PyTorch `SummaryWriter` run (`style: 'simple'`, simple_value scalars) or a TF2 `tf.summary` run (`'tensor'`):
 * `tensorboard/runs/<name>/events.out.tfevents.<ts>.<host>.<pid>.0`, one Event per add_scalar at the global step,
 * and the script's `config.yaml` dumped into the log dir (TensorBoard itself keeps no config).
 */
export function writeTensorboard(root: string, p: RunPlan, style: 'simple' | 'tensor'): TruthRun {
  const dir = `tensorboard/runs/${p.name}`;
  put(root, `${dir}/config.yaml`, pyYaml({
    model: { d_model: p.size.d, n_layers: p.size.layers, n_heads: p.size.heads, vocab_size: p.size.vocab },
    data: { seq_len: p.size.seq, global_batch_size: p.size.batch },
    optim: { lr: p.peakLr, min_lr: p.minLr, warmup_steps: p.warmup, max_steps: p.steps, weight_decay: 0.1, grad_clip: new PyFloat(1) },
  }));
  const scalars: TbScalar[] = [];
  let e = 0;
  for (const t of p.train) {
    scalars.push({ tag: 'train/loss', step: t.step, value: f32(t.loss), wallTime: t.time });
    scalars.push({ tag: 'train/lr', step: t.step, value: t.lr, wallTime: t.time });
    if (p.evals[e]?.step === t.step) {
      const ev = p.evals[e++];
      scalars.push({ tag: 'val/loss', step: ev.step, value: f32(ev.loss), wallTime: ev.time });
    }
  }
  const pid = 4000 + p.index;
  writeTfEvents(join(root, dir, tfEventsFileName(p.start, 'gpu-node-01', pid)), scalars, style === 'tensor' ? { style: 'tensor', dtype: 'float', encoding: 'val' } : { style: 'simple' });
  return truthOf(p, dir, { 'train/loss': p.train.length, 'train/lr': p.train.length, 'val/loss': p.evals.length }, 'last step × data.global_batch_size × data.seq_len in config.yaml');
}

/**
 * A W&B offline run: `wandb/offline-run-<stamp>-<id>/run-<id>.wandb` with `files/config.yaml` and
 * `files/wandb-summary.json`. The script calls `wandb.log({...}, step=global_step)`; train and val values logged at
 * the same step share one history row, as wandb merges them.
 */
export function writeWandb(root: string, p: RunPlan): TruthRun {
  const runId = p.rng.hex(8); // wandb ids are 8 characters of [a-z0-9]
  const runDir = wandbOfflineRunDir(join(root, 'wandb'), runId, p.start);
  const history: Record<string, number>[] = [];
  let e = 0;
  for (const t of p.train) {
    const row: Record<string, number> = { 'train/loss': f32(t.loss), 'train/lr': t.lr, 'train/tokens': t.tokens, _step: t.step, _timestamp: t.time };
    if (p.evals[e]?.step === t.step) row['val/loss'] = f32(p.evals[e++].loss);
    history.push(row);
  }
  const config = { d_model: p.size.d, n_layers: p.size.layers, n_heads: p.size.heads, vocab_size: p.size.vocab, seq_len: p.size.seq, global_batch_size: p.size.batch, lr: p.peakLr, warmup_steps: p.warmup, max_steps: p.steps };
  writeWandbRun(runDir, { runId, config, history, startTime: p.start });
  const dir = runDir.slice(root.length + 1).split('\\').join('/');
  return truthOf(p, dir, { 'train/loss': p.train.length, 'train/lr': p.train.length, 'val/loss': p.evals.length }, 'train/tokens in the history');
}
