/** D and C from configs (steps × global batch × sequence, parallelism, OLMo durations), value spellings, and what is
 * said when keys are missing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseConfig } from '../../../src/core/hover/index';
import { analyseFixture, analyseText } from './fitFixture';

test('value spellings 7B, 1.4T, 4_096, 2**20, 5e5 feed N, D and C', () => {
  const stated = analyseText('model:\n  n_params: 7B\ntrain:\n  train_tokens: 1.4T\n', '/w/a.yaml').scale(false);
  assert.equal(stated.N?.value, 7e9);
  assert.equal(stated.N.definition, 'stated');
  assert.equal(stated.D?.value, 1.4e12);
  assert.equal(stated.C?.value, 6 * 7e9 * 1.4e12);
  assert.equal(stated.C.how, '6·N·D');

  const arch = analyseText(
    'd_model: 4_096\nn_layers: 32\nseq_len: 2**11\nglobal_batch_size: 2**10\nmax_steps: 5e5\n',
    '/w/b.yaml',
  ).scale(false);
  assert.equal(arch.N?.value, 12 * 32 * 4096 * 4096);
  assert.equal(arch.D?.value, 5e5 * 1024 * 2048);
  assert.equal(arch.D.how, 'max_steps × global_batch_size × seq_len');

  const py = analyseText("n_params = '1.3B'\nnum_tokens = 26e9\nflops = 2.1e20\n", '/w/c.py').scale(false);
  assert.equal(py.N?.value, 1.3e9);
  assert.equal(py.D?.value, 26e9);
  assert.equal(py.C?.value, 2.1e20);
  assert.equal(py.C.how, 'flops as written');
});

test('nanoGPT: D = max_iters × (batch × accumulation) × block_size, noting the assumed world size', () => {
  const s = analyseFixture('nanogpt/train_gpt2.py').scale(false);
  assert.equal(s.D?.value, 600000 * 12 * 40 * 1024); // ≈ 295B, the "about 300B tokens" of the comment
  assert.equal(s.D.how, 'max_iters × (batch_size × gradient_accumulation_steps) × block_size');
  assert.ok(s.notes.some((n) => /no world size/.test(n)));
  assert.equal(s.C?.value, 6 * s.N!.value * s.D.value);
  assert.equal(s.lr, 6e-4);
});

test('OLMo: max_duration in steps × global_train_batch_size × max_sequence_length = 3.1T tokens; `T` suffix means tokens', () => {
  const s = analyseFixture('olmo/OLMo-1B.yaml').scale(false);
  assert.equal(s.D?.value, 739_328 * 2048 * 2048);
  assert.ok(Math.abs(s.D.value - 3.1e12) / 3.1e12 < 0.01);
  const t = analyseText('max_duration: 2e12T\nmodel: {d_model: 512, n_layers: 8}\n', '/w/o.yaml').scale(false);
  assert.equal(t.D?.value, 2e12);
  const pow = analyseText(
    'max_duration: 2**18\nglobal_train_batch_size: 512\nmax_sequence_length: 2048\n',
    '/w/p.yaml',
  ).scale(false);
  assert.equal(pow.D?.value, 2 ** 18 * 512 * 2048);
  const ep = analyseText(
    'max_duration: 1ep\nglobal_train_batch_size: 512\nmax_sequence_length: 2048\n',
    '/w/e.yaml',
  ).scale(false);
  assert.equal(ep.D, undefined);
  assert.match(ep.missing.D!, /counts epochs/);
});

test('Megatron/NeoX parallelism: data parallel = world size / (tensor × pipeline)', () => {
  const text = `{
  "pipe-parallel-size": 2,
  "model-parallel-size": 4,
  "world_size": 256,
  "train_micro_batch_size_per_gpu": 8,
  "gradient_accumulation_steps": 4,
  "train-iters": 1000,
  "seq-length": 4096,
  "num-layers": 24, "hidden-size": 2048,
}`;
  const s = analyseText(text, '/w/neox.yml').scale(false);
  assert.equal(s.D?.value, 1000 * (8 * 4 * (256 / (4 * 2))) * 4096);
  assert.equal(
    s.D.how,
    'train-iters × (train_micro_batch_size_per_gpu × gradient_accumulation_steps × (world_size/model-parallel-size/pipe-parallel-size)) × seq-length',
  );
  // An explicit data-parallel size is used as is.
  const dp = analyseText(
    'micro_batch_size: 4\ndata_parallel_size: 16\nmax_steps: 10\nseq_length: 1024\n',
    '/w/dp.yaml',
  ).scale(false);
  assert.equal(dp.D?.value, 10 * 4 * 16 * 1024);
});

test('Pythia NeoX YAML: per-GPU batch without world size gives no D, and says why', () => {
  const s = analyseFixture('neox/pythia-1.4b.yml').scale(false);
  assert.equal(s.D, undefined);
  assert.match(s.missing.D!, /data-parallel devices .* train_micro_batch_size_per_gpu is per device/);
  assert.equal(s.C, undefined);
  assert.equal(s.missing.C, 'C = 6·N·D needs D');
  assert.equal(s.lr, 0.0002);
});

test('argparse + TrainingArguments in one script: accumulation and world size come from the batch key’s group', () => {
  const s = analyseFixture('nanogpt/train_args.py').scale(false);
  assert.equal(s.D?.value, 20000 * (32 * 4 * 8) * 2048);
  assert.deepEqual(s.D.keys, ['max_steps', 'batch_size', 'grad_accum', 'world_size', 'seq_len']);
});

test('TOML: GQA + gated MLP architecture and training keys', () => {
  const s = analyseFixture('toml/train.toml').scale(false);
  const d = 1024;
  const dKv = (d * 4) / 16;
  assert.equal(s.N?.value, 24 * (d * (d + 2 * dKv) + d * d + 3 * d * 2816));
  assert.equal(s.D?.value, 20000 * 256 * 2048);
});

test('missing keys are named: no width, no steps, no sequence length', () => {
  const s = analyseText('n_layers: 12\nbatch_size: 8\n', '/w/m.yaml').scale(false);
  assert.equal(s.N, undefined);
  assert.equal(s.missing.N, 'N needs a width (d_model/hidden_size/n_embd), or a parameter count (n_params)');
  assert.match(s.missing.D!, /missing a step count \(max_steps\/train_iters\), a sequence length/);
  assert.equal(s.missing.C, 'C = 6·N·D needs N and D');
});

test('HF model configs have N but no training plan: D is missing, the position-table size is not used as D', () => {
  const s = analyseFixture('hf/llama-2-7b/config.json').scale(false);
  assert.ok(s.N);
  assert.equal(s.D, undefined);
  assert.match(s.missing.D!, /step count/);
});

test('user aliases (hyphenated too) are recognised', () => {
  const a = analyseConfig(
    { text: 'width-px: 1024\nn_layers: 4\n', fileName: '/w/u.yaml' },
    { settings: { aliases: { d_model: ['width-px'] } } },
  )!;
  assert.equal(a.scale(false).N?.value, 12 * 4 * 1024 * 1024);
  assert.equal(a.targets.map((t) => t.role).join(','), 'd_model,n_layers');
});
