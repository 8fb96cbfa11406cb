import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeAliases, resolveKey } from '../../../src/core/config/aliases';
import { deriveScale, estimateParams } from '../../../src/core/config/derive';
import { flattenConfig } from '../../../src/core/config/flatten';
import type { Run } from '../../../src/core/model/run';
import { MetricTable } from '../../../src/core/model/series';

function run(config: Record<string, unknown>, from = '/x/config.yaml'): Run {
  const flat = flattenConfig(config);
  return {
    id: 'r',
    format: 'jsonl',
    dir: '/x',
    files: [],
    config: flat,
    configFrom: Object.fromEntries(Object.keys(flat).map((k) => [k, from])),
    metrics: new MetricTable(),
    facts: {},
  };
}

test('N from architecture: Kaplan 12·L·d² for GPT blocks, GQA + SwiGLU for Llama; the provenance names the formula', () => {
  const gpt = run({ n_layer: 12, n_embd: 768, n_head: 12, vocab_size: 50304, block_size: 1024 });
  deriveScale(gpt);
  assert.equal(gpt.N?.value, 12 * 12 * 768 * 768);
  assert.equal(gpt.N.provenance, '12·L·d² from n_embd, n_layer, vocab_size (non-embedding)');
  deriveScale(gpt, { countEmbeddings: true });
  assert.equal(gpt.N.value, 12 * 12 * 768 * 768 + 50304 * 768 + 1024 * 768);
  assert.equal(gpt.N.provenance, '12·L·d² + V·d + seq·d from n_embd, n_layer, vocab_size');

  // TinyLlama-1.1B: 22 layers, d 2048, 32 heads / 4 kv heads, d_ff 5632, SwiGLU
  const llama = run({
    hidden_size: 2048,
    num_hidden_layers: 22,
    num_attention_heads: 32,
    num_key_value_heads: 4,
    intermediate_size: 5632,
    hidden_act: 'silu',
    vocab_size: 32000,
    tie_word_embeddings: false,
    model_type: 'llama',
  });
  const est = estimateParams(llama.config);
  const attn = 2048 * (2048 + 2 * 256) + 2048 * 2048;
  assert.equal(est?.nonEmbedding, 22 * (attn + 3 * 2048 * 5632));
  assert.equal(est.total, 22 * (attn + 3 * 2048 * 5632) + 2 * 32000 * 2048);
  deriveScale(llama);
  assert.equal(llama.N?.provenance.startsWith('L·(attn + 3·d·d_ff) from hidden_size'), true, llama.N?.provenance);
  assert.ok(llama.N.provenance.endsWith('(non-embedding)'));
});

test('D from tokens seen, else last step × global batch × sequence length; C from FLOPs, else 6ND', () => {
  const r = run({
    d_model: 512,
    n_layers: 8,
    batch_size: 16,
    gradient_accumulation_steps: 4,
    world_size: 8,
    seq_len: 2048,
  });
  r.metrics.get('loss').push(1000, 3.2);
  deriveScale(r);
  assert.equal(r.D?.value, 1000 * 16 * 4 * 8 * 2048);
  assert.equal(
    r.D.provenance,
    'last step 1000 × global batch (batch_size×gradient_accumulation_steps×world_size) × seq_len',
  );
  assert.equal(r.C?.value, 6 * (r.N?.value ?? 0) * r.D.value);
  assert.equal(r.C.provenance, '6ND');
  r.metrics.get('loss').push(2000, 3.0, 5e9);
  deriveScale(r);
  assert.equal(r.D.value, 5e9);
  r.facts.flops = { value: 1e19, provenance: 'total_flos in trainer_state.json' };
  r.facts.n_params = { value: 1.2e8, provenance: 'n_params in the W&B summary' };
  deriveScale(r);
  assert.deepEqual([r.N?.value, r.C.value, r.C.provenance], [1.2e8, 1e19, 'total_flos in trainer_state.json']);
});

test('aliases: user additions come first; a key resolves through its last dotted segment', () => {
  const cfg = flattenConfig({ model: { width: 1024, d_model: 7 }, teacher: { d_model: 4096 } });
  assert.equal(resolveKey(cfg, 'd_model')?.key, 'model.d_model');
  const table = mergeAliases({ d_model: ['width'] });
  assert.equal(resolveKey(cfg, 'd_model', table)?.value, 1024);
  assert.deepEqual(
    flattenConfig({
      lr: { desc: null, value: 0.1 },
      _wandb: { value: { x: 1 } },
      blob: new Uint8Array([1, 2]),
      list: [1, 2],
    }),
    { lr: 0.1, 'list.0': 1, 'list.1': 2 },
  );
});
