/** Positioned, flattened entries from each config format, including what a mid-edit document still yields. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectFormat, locateEntries, type ParsedConfig } from '../../../src/core/hover/index';
import { readFixture } from './fitFixture';

function entry(p: ParsedConfig, key: string) {
  const e = p.entries.find((x) => x.key === key);
  assert.ok(e, `no entry ${key} (have ${p.entries.map((x) => x.key).join(', ')})`);
  return e;
}

function spanText(text: string, s: { start: number; end: number }): string {
  return text.slice(s.start, s.end);
}

test('format from language id first, then extension', () => {
  assert.equal(detectFormat('/a/b/config.yml'), 'yaml');
  assert.equal(detectFormat('C:\\x\\train.TOML'), 'toml');
  assert.equal(detectFormat('/a/config.jsonc'), 'json');
  assert.equal(detectFormat('/a/train.py'), 'python');
  assert.equal(detectFormat('/a/train.cfg', 'yaml'), 'yaml');
  assert.equal(detectFormat('/a.dir/Makefile'), undefined);
  assert.equal(detectFormat('/a/notes.md'), undefined);
});

test('JSON/JSONC: comments, trailing commas, nesting, arrays, key and value spans', () => {
  const text = `{
  // model
  "model": { "d_model": 4096, /* width */ "n_layers": 32, },
  'vocab_size': 32000,
  "betas": [0.9, 0.95,],
  "train_tokens": "1.4T",
}`;
  const p = locateEntries(text, 'json');
  assert.deepEqual(p.errors, []);
  const d = entry(p, 'model.d_model');
  assert.equal(d.value, 4096);
  assert.equal(spanText(text, d.keySpan), '"d_model"');
  assert.equal(spanText(text, d.valueSpan), '4096');
  assert.equal(entry(p, 'vocab_size').value, 32000);
  assert.equal(entry(p, 'betas.1').value, 0.95);
  assert.equal(entry(p, 'train_tokens').value, '1.4T');
});

test('JSON mid-edit: entries before the error survive, the error names the line', () => {
  const text = '{\n "n_layer": 12,\n "n_embd": 76\n "x": }';
  const p = locateEntries(text, 'json');
  assert.equal(entry(p, 'n_layer').value, 12);
  assert.equal(entry(p, 'n_embd').value, 76);
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0], /^line 4: expected "," or "}"/);
});

test('YAML: NeoX flow mapping with comments and a trailing comma, hyphenated keys', () => {
  const text = readFixture('neox/pythia-1.4b.yml');
  const p = locateEntries(text, 'yaml');
  assert.deepEqual(p.errors, []);
  const L = entry(p, 'num-layers');
  assert.equal(L.value, 24);
  assert.equal(spanText(text, L.keySpan), '"num-layers"');
  assert.equal(entry(p, 'optimizer.params.lr').value, 0.0002);
  assert.equal(entry(p, 'optimizer.params.betas.1').value, 0.95);
  assert.equal(entry(p, 'deepspeed_slurm').value, true);
});

test('YAML: block mappings; 739_328 stays text for parseScaleNumber; null keys are still entries', () => {
  const text = readFixture('olmo/OLMo-1B.yaml');
  const p = locateEntries(text, 'yaml');
  const dur = entry(p, 'max_duration');
  assert.equal(dur.value, '739_328');
  assert.equal(dur.raw, '739_328');
  assert.equal(spanText(text, dur.keySpan), 'max_duration');
  assert.equal(entry(p, 'model.d_model').value, 2048);
  assert.equal(entry(p, 'optimizer.learning_rate').value, 4e-4);
  assert.equal(entry(p, 'load_path').value, null);
});

test('TOML: tables, arrays of tables, inline tables, underscores, typed values from smol-toml', () => {
  const text = `# top
name = "x"
[model]
d_model = 4_096  # width
"n.quoted" = 2
sizes = [
  1,
  2,
]
rope = { theta = 1e4, scale = 8 }
[[stage]]
steps = 100
[[stage]]
steps = 2**20
`;
  const p = locateEntries(text, 'toml');
  // 2**20 is not TOML: smol-toml refuses the document, the scanner still reads every entry.
  assert.equal(p.errors.length, 1);
  assert.equal(entry(p, 'model.d_model').value, 4096);
  assert.equal(spanText(text, entry(p, 'model.d_model').keySpan), 'd_model');
  assert.equal(entry(p, 'model.rope.theta').value, 1e4);
  assert.equal(entry(p, 'stage.0.steps').value, 100);
  assert.equal(entry(p, 'stage.1.steps').raw, '2**20');
  assert.ok(!p.entries.some((e) => e.key.startsWith('model.sizes')), 'arrays are not scalar entries');

  const ok = locateEntries('[training]\nmax_steps = 20_000\nlr = 3e-4\n', 'toml');
  assert.deepEqual(ok.errors, []);
  assert.equal(entry(ok, 'training.max_steps').value, 20000);
  assert.equal(entry(ok, 'training.lr').value, 3e-4);
});

test('Python: module globals with references and arithmetic, comments and docstrings ignored', () => {
  const text = readFixture('nanogpt/train_gpt2.py');
  const p = locateEntries(text, 'python');
  assert.equal(entry(p, 'gradient_accumulation_steps').value, 40);
  assert.equal(entry(p, 'gradient_accumulation_steps').raw, '5 * 8');
  assert.equal(entry(p, 'n_layer').value, 12);
  assert.equal(entry(p, 'tokens_per_iter').value, 40 * 12 * 1024);
  assert.equal(entry(p, 'model_args.n_embd').value, 768);
  assert.equal(entry(p, 'model_args.vocab_size').value, null);
  assert.equal(entry(p, 'eval_only').value, false);
  // "12 batch size * 1024 block size …" sits in a comment; the docstring mentions vocab_size: neither is read.
  assert.equal(p.entries.filter((e) => e.key === 'vocab_size').length, 1);
});

test('Python: dataclass defaults keyed by class, method locals skipped', () => {
  const p = locateEntries(readFixture('nanogpt/model_config.py'), 'python');
  assert.equal(entry(p, 'GPTConfig.n_layer').value, 12);
  assert.equal(entry(p, 'GPTConfig.bias').value, true);
  assert.ok(
    !p.entries.some((e) => e.key.endsWith('n_embd') && e.value === 1),
    'a local inside a method is not a setting',
  );
});

test('Python: argparse defaults (multi-line calls, hyphenated flags) and TrainingArguments kwargs', () => {
  const text = readFixture('nanogpt/train_args.py');
  const p = locateEntries(text, 'python');
  const L = entry(p, 'n-layers');
  assert.equal(L.value, 24);
  assert.equal(spanText(text, L.keySpan), '"--n-layers"');
  assert.equal(spanText(text, L.valueSpan), '24');
  assert.equal(entry(p, 'batch_size').value, 32);
  assert.equal(entry(p, 'seq_len').value, 2048);
  assert.equal(entry(p, 'vocab_size').value, 50304);
  assert.equal(entry(p, 'TrainingArguments.per_device_train_batch_size').value, 16);
  assert.ok(!p.entries.some((e) => e.key === 'compile'), 'a flag without default has no value');
});

test('Python: dict literals, nested dicts and lists, dict() calls', () => {
  const text = `cfg = {'model': {'d_model': 2**10, "n_layers": 8}, 'lr': 3e-4}
opt = dict(betas=[0.9, 0.95], warmup=dict(steps=1_000))
_base_ = ['./base.py', "./data.py"]
`;
  const p = locateEntries(text, 'python');
  assert.equal(entry(p, 'cfg.model.d_model').value, 1024);
  assert.equal(spanText(text, entry(p, 'cfg.model.d_model').keySpan), "'d_model'");
  assert.equal(entry(p, 'cfg.model.n_layers').value, 8);
  assert.equal(entry(p, 'opt.betas.1').value, 0.95);
  assert.equal(entry(p, 'opt.warmup.steps').value, 1000);
  assert.equal(entry(p, '_base_.1').value, './data.py');
});
