/**
 * N from real-world config shapes against published parameter counts (within 1%). The formula leaves out biases
 * and norms (< 0.1% at these sizes), which is why exact equality is not expected. Published counts (looked up in public model cards and repositories):
 *  - GPT-2 small: 124,439,808 (HF `gpt2`, GPT2LMHeadModel, tied embeddings).
 *  - Llama-2-7B: 6,738,415,616 (HF `meta-llama/Llama-2-7b-hf`).
 *  - Pythia-1.4B: 1,414,647,808 total and 1,208,602,624 non-embedding (EleutherAI/pythia README, paper Table 1).
 *  - OLMo-1B: 1,176,764,416 (sum of parameter sizes of allenai/OLMo-1B; no biases, no norm weights).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseFixture } from './fitFixture';

function within1pct(actual: number | undefined, published: number, what: string): void {
  assert.ok(actual !== undefined, `${what}: no N`);
  const rel = Math.abs(actual - published) / published;
  assert.ok(rel < 0.01, `${what}: N = ${actual} is ${(rel * 100).toFixed(3)}% from the published ${published}`);
}

test('GPT-2 small (HF config.json): N with tied embeddings within 1% of 124,439,808', () => {
  const s = analyseFixture('hf/gpt2/config.json', true).scale(true);
  assert.equal(s.N?.definition, 'total');
  within1pct(s.N.value, 124_439_808, 'gpt2');
  // 12·L·d² with learned positions and a single (tied) embedding matrix.
  assert.equal(s.N.how, '12·L·d² + V·d + seq·d');
  assert.equal(s.N.nonEmbedding, 12 * 12 * 768 * 768);
});

test('Llama-2-7B (HF config.json): gated MLP, untied embeddings, within 1% of 6,738,415,616', () => {
  const s = analyseFixture('hf/llama-2-7b/config.json', true).scale(true);
  within1pct(s.N?.value, 6_738_415_616, 'llama-2-7b');
  assert.match(s.N!.how, /3·d·d_ff/);
  assert.match(s.N!.how, /2·V·d/);
});

test('Pythia-1.4B (HF config.json): within 1% of 1,414,647,808', () => {
  const s = analyseFixture('hf/pythia-1.4b/config.json', true).scale(true);
  within1pct(s.N?.value, 1_414_647_808, 'pythia-1.4b');
});

test('Pythia-1.4B (GPT-NeoX YAML, hyphenated keys, no vocab): non-embedding N within 1% of 1,208,602,624', () => {
  const s = analyseFixture('neox/pythia-1.4b.yml', true).scale(true);
  assert.equal(s.N?.definition, 'non-embedding');
  within1pct(s.N.value, 1_208_602_624, 'pythia-1.4b neox');
  assert.deepEqual(s.N.keys, ['hidden-size', 'num-layers']);
  assert.ok(
    s.notes.some((n) => /no vocab_size/.test(n)),
    'says the embeddings are left out',
  );
});

test('OLMo-1B (OLMo YAML, mlp_ratio with SwiGLU, weight tying): within 1% of 1,176,764,416', () => {
  const s = analyseFixture('olmo/OLMo-1B.yaml', true).scale(true);
  within1pct(s.N?.value, 1_176_764_416, 'olmo-1b');
  // Without the OLMo adapter the MLP would count as ungated 2·d·(8d) = 16d² per layer: 15% too many.
  assert.equal(s.N?.nonEmbedding, 16 * (4 * 2048 ** 2 + 3 * 2048 * 8192));
  assert.ok(s.N.keys.includes('model.mlp_ratio'));
});

test('nanoGPT train.py-style globals and GPTConfig dataclass: within 1% of GPT-2 small', () => {
  within1pct(analyseFixture('nanogpt/train_gpt2.py', true).scale(true).N?.value, 124_439_808, 'nanogpt globals');
  within1pct(analyseFixture('nanogpt/model_config.py', true).scale(true).N?.value, 124_439_808, 'nanogpt GPTConfig');
});

test('without countEmbeddings, N is the non-embedding count and the total is kept alongside', () => {
  const s = analyseFixture('hf/llama-2-7b/config.json').scale(false);
  assert.equal(s.N?.definition, 'non-embedding');
  assert.equal(s.N.value, 32 * (4 * 4096 ** 2 + 3 * 4096 * 11008));
  assert.equal(s.N.how, 'L·(attn + 3·d·d_ff)');
  within1pct(s.N.total, 6_738_415_616, 'llama total alongside');
});
