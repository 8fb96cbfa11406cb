/** Hover targets and ranges, the markdown's numbers against predict() for the same fit, CodeLens, optimality hint. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatScale } from '../../../src/core/config/values';
import { computeOptimal, predict } from '../../../src/core/fit/predict';
import type { FitResult } from '../../../src/contract/fit';
import {
  analyseConfig,
  codeLensFor,
  fmtFlop,
  fmtInterval,
  fmtLoss,
  fmtPfDays,
  fmtRatio,
  hoverAt,
  optimalityCheck,
  type PanelPoint,
} from '../../../src/core/hover/index';
import { analyseFixture, analyseText, chinchillaArtifact, chinchillaFit } from './fitFixture';

function offsetOf(text: string, needle: string, delta = 0): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `"${needle}" not in text`);
  return i + delta;
}

test('JSON: hovering the key, the value or the colon between them works; other keys and the comma give nothing', () => {
  const a = analyseFixture('hf/gpt2/config.json');
  const text = a.doc.text;
  const onKey = hoverAt(a, offsetOf(text, '"n_layer"', 3));
  assert.equal(onKey?.key, 'n_layer');
  assert.equal(onKey.role, 'n_layers');
  const line = text.slice(0, text.indexOf('"n_layer"')).split('\n').length - 1;
  assert.deepEqual(onKey.range, { start: { line, character: 2 }, end: { line, character: 15 } });
  assert.equal(text.slice(onKey.span.start, onKey.span.end), '"n_layer": 12');
  assert.equal(hoverAt(a, offsetOf(text, '"n_layer": 12', 12))?.key, 'n_layer', 'on the value');
  assert.equal(hoverAt(a, offsetOf(text, '"n_layer": 12', 9))?.key, 'n_layer', 'on the colon');
  assert.equal(hoverAt(a, offsetOf(text, '"n_layer": 12', 13)), undefined, 'the comma after the value');
  assert.equal(hoverAt(a, offsetOf(text, '"attn_pdrop"', 2)), undefined);
  assert.equal(hoverAt(a, offsetOf(text, '"model_type"', 2)), undefined);
  // line/character positions work the same as offsets
  assert.equal(hoverAt(a, { line, character: 5 })?.key, 'n_layer');
  assert.equal(hoverAt(a, { line: 0, character: 0 }), undefined);
});

test('YAML, TOML and Python argparse targets', () => {
  const olmo = analyseFixture('olmo/OLMo-1B.yaml');
  assert.equal(hoverAt(olmo, offsetOf(olmo.doc.text, 'd_model: 2048', 1))?.key, 'model.d_model');
  assert.equal(hoverAt(olmo, offsetOf(olmo.doc.text, 'max_duration: 739_328', 16))?.role, 'max_duration');
  assert.equal(
    hoverAt(olmo, offsetOf(olmo.doc.text, 'weight_tying: true', 1)),
    undefined,
    'a boolean architecture flag is not a scale key',
  );
  assert.equal(hoverAt(olmo, offsetOf(olmo.doc.text, 'run_name', 1)), undefined);

  const toml = analyseFixture('toml/train.toml');
  assert.equal(hoverAt(toml, offsetOf(toml.doc.text, 'd_ff = 2_816', 8))?.key, 'model.d_ff');
  assert.equal(hoverAt(toml, offsetOf(toml.doc.text, 'name = "llama"', 1)), undefined);

  const py = analyseFixture('nanogpt/train_args.py');
  assert.equal(hoverAt(py, offsetOf(py.doc.text, '"--n-layers"', 4))?.key, 'n-layers');
  assert.equal(hoverAt(py, offsetOf(py.doc.text, 'default=24', 8))?.key, 'n-layers', 'on the default value');
  assert.equal(hoverAt(py, offsetOf(py.doc.text, 'help="transformer blocks"', 2)), undefined);
});

test('markdown numbers match predict() and computeOptimal() for the same fit', () => {
  const fit = chinchillaArtifact();
  const a = analyseFixture('nanogpt/train_gpt2.py');
  const h = hoverAt(a, offsetOf(a.doc.text, 'n_layer = 12', 1), { fit, fitLabel: 'fits/chinchilla.json' })!;
  const s = a.scale(false); // the artifact defines N as non-embedding parameters
  const N = 12 * 12 * 768 * 768;
  const D = 600000 * 12 * 40 * 1024;
  assert.equal(s.N?.value, N);
  assert.equal(s.D?.value, D);
  const p = predict(fit, { N, D });
  // The law by hand: E + A/N^α + B/D^β.
  assert.ok(Math.abs(p.value - (1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28)) < 1e-12);
  assert.ok(p.ci95);
  const C = 6 * N * D;
  const o = computeOptimal(fit, C);
  const md = h.markdown;
  assert.ok(
    md.includes(`**Predicted loss** ${fmtLoss(p.value)} (95% interval of the mean ${fmtInterval(p.ci95)})`),
    md,
  );
  assert.ok(md.includes(`**C = 6·N·D** = ${fmtFlop(C)} FLOP = ${fmtPfDays(C)} PF-days`), md);
  assert.ok(md.includes(fmtPfDays(C)) && Math.abs(Number(fmtPfDays(C)) - C / 8.64e19) / (C / 8.64e19) < 0.005);
  assert.ok(
    md.includes(
      `N_opt ${formatScale(o.nOpt)}, D_opt ${formatScale(o.dOpt)} (${fmtRatio(o.tokensPerParam)} tokens/param;`,
    ),
    md,
  );
  assert.ok(md.includes(`→ loss ${fmtLoss(o.loss)} (95% ${fmtInterval(o.ci95)})`), md);
  assert.ok(
    md.includes(`this config: ${fmtRatio(D / N)}, ${fmtRatio(D / N / o.tokensPerParam)}× the optimum) → loss`),
    md,
  );
  assert.ok(md.includes('**N** = 84.9M non-embedding parameters (124M with embeddings) · `12·L·d²`'), md);
  assert.ok(
    md.includes('**D** = 295B tokens · `max_iters × (batch_size × gradient_accumulation_steps) × block_size`'),
    md,
  );
  assert.ok(
    md.includes(
      p.regime === 'interpolation'
        ? 'interpolation (inside the fitted data)'
        : `extrapolation, ${p.decadesBeyond.toFixed(2)} decades`,
    ),
    md,
  );
  assert.ok(md.includes('Fit: chinchilla · 24 runs · 2024-05-01 · fits/chinchilla.json'), md);
  assert.ok(md.startsWith('**Scaling Lens** · `n_layer = 12` → N'), md);
});

test("the fit's N definition decides whether N counts embeddings", () => {
  const a = analyseFixture('hf/gpt2/config.json');
  const off = offsetOf(a.doc.text, '"n_embd"', 1);
  assert.match(
    hoverAt(a, off, { fit: chinchillaArtifact('total parameters (with embeddings)') })!.markdown,
    /\*\*N\*\* = 124M parameters with embeddings \(84\.9M non-embedding\)/,
  );
  assert.match(
    hoverAt(a, off, { fit: chinchillaArtifact('non-embedding parameters') })!.markdown,
    /\*\*N\*\* = 84\.9M non-embedding parameters/,
  );
  // Silent fit: the setting decides.
  const withSetting = analyseFixture('hf/gpt2/config.json', true);
  assert.match(hoverAt(withSetting, off, { fit: chinchillaFit() })!.markdown, /124M parameters with embeddings/);
});

test('extrapolation: how many decades, and which variable is beyond the fitted range', () => {
  const fit = chinchillaFit();
  const big = analyseText('n_params: 70B\ntrain_tokens: 1.4T\n', '/w/big.yaml');
  const md = hoverAt(big, 1, { fit })!.markdown;
  const p = predict(fit, { N: 70e9, D: 1.4e12 });
  assert.equal(p.regime, 'extrapolation');
  assert.ok(Math.abs(p.decadesBeyond - Math.log10(70e9 / 1.6e10)) < 1e-9);
  assert.ok(
    md.includes(
      `extrapolation, ${p.decadesBeyond.toFixed(2)} decades beyond the fitted data (N above the fitted range, D above the fitted range; ${p.regimeReason})`,
    ),
    md,
  );

  const inside = analyseText('n_params: 1B\ntrain_tokens: 20B\n', '/w/in.yaml');
  assert.match(hoverAt(inside, 1, { fit })!.markdown, /interpolation \(inside the fitted data\)/);
});

test('no fit: the scale numbers still show, and the hover says plainly there is no prediction', () => {
  const a = analyseFixture('nanogpt/train_gpt2.py');
  const h = hoverAt(a, offsetOf(a.doc.text, 'max_iters', 1))!;
  assert.equal(h.role, 'max_steps');
  assert.match(h.markdown, /\*\*D\*\* = 295B tokens/);
  assert.match(h.markdown, /No scaling-law fit is loaded, so there is no loss prediction/);
  assert.doesNotMatch(h.markdown, /Predicted loss/);
  assert.match(
    hoverAt(a, offsetOf(a.doc.text, 'max_iters', 1), { noFitMessage: 'Choose a fit in settings.' })!.markdown,
    /Choose a fit in settings\./,
  );
});

test('missing keys: the hover names them and the fit says which variable it lacks', () => {
  const a = analyseFixture('hf/llama-2-7b/config.json');
  const md = hoverAt(a, offsetOf(a.doc.text, '"hidden_size"', 1), { fit: chinchillaFit() })!.markdown;
  assert.match(
    md,
    /\*\*D\*\* unknown: D needs train_tokens, or steps × global batch × sequence length; missing a step count/,
  );
  assert.match(md, /\*\*C\*\* unknown: C = 6·N·D needs D/);
  assert.match(md, /The chinchilla fit · 24 runs needs `D`, which this config does not give/);
  assert.doesNotMatch(md, /Predicted loss/);
});

test('a one-variable fit in C predicts from C alone, without a compute-optimal line', () => {
  const power: FitResult = {
    ...chinchillaFit(),
    law: 'power',
    params: { A: { value: 40 }, alpha: { value: 0.05 } },
    draws: undefined,
    domain: { C: [1e18, 1e21] },
    variables: ['C'],
  };
  const a = analyseText('n_params: 1B\ntrain_tokens: 20B\n', '/w/c.yaml');
  const md = hoverAt(a, 1, { fit: power })!.markdown;
  const p = predict(power, { C: 6 * 1e9 * 20e9 });
  assert.ok(md.includes(`**Predicted loss** ${fmtLoss(p.value)} (no interval: the fit has no bootstrap)`), md);
  assert.doesNotMatch(md, /Compute-optimal/);
});

test('the panel link gets the point (file, N, D, C, loss) from the caller-built URI', () => {
  const a = analyseFixture('olmo/OLMo-1B.yaml');
  let seen: PanelPoint | undefined;
  const h = hoverAt(a, offsetOf(a.doc.text, 'n_layers: 16', 1), {
    fit: chinchillaFit(),
    panelLink: (pt) => {
      seen = pt;
      return `command:scalingLens.openPanel?${encodeURIComponent(JSON.stringify([pt]))}`;
    },
  })!;
  const s = a.scale(false);
  assert.deepEqual(seen, {
    file: a.doc.fileName,
    N: s.N!.value,
    D: s.D!.value,
    C: s.C!.value,
    loss: predict(chinchillaFit(), { N: s.N!.value, D: s.D!.value }).value,
  });
  assert.match(h.markdown, /\[Show in Scaling Lens panel\]\(command:scalingLens\.openPanel\?%5B%7B/);
});

test('CodeLens: one line with the prediction; only for recognised training configs', () => {
  const fit = chinchillaFit();
  const a = analyseFixture('nanogpt/train_gpt2.py');
  const lens = codeLensFor(a, { fit })!;
  const s = a.scale(false);
  const p = predict(fit, { N: s.N!.value, D: s.D!.value });
  assert.equal(lens.range.start.line, 0);
  assert.ok(
    lens.title.startsWith(
      `Scaling Lens: N 84.9M · D 295B · C ${fmtPfDays(s.C!.value)} PF-days · loss ${fmtLoss(p.value)} [${fmtLoss(p.ci95![0])}, ${fmtLoss(p.ci95![1])}]`,
    ),
    lens.title,
  );
  assert.match(lens.title, /tokens\/param \d+× the optimum$/);
  assert.equal(
    codeLensFor(a)!.title,
    `Scaling Lens: N 84.9M · D 295B · C ${fmtPfDays(s.C!.value)} PF-days · no fit loaded`,
  );
  assert.match(codeLensFor(analyseFixture('hf/llama-2-7b/config.json'), { fit })!.title, /D \? · C \? · fit needs D$/);
  // A package.json-like file with a learning rate is not a training config.
  assert.equal(
    codeLensFor(analyseText('{"name": "x", "lr": 0.1, "version": "1.0.0"}', '/w/package.json'), { fit }),
    undefined,
  );
});

test('far-from-optimal hint: fires beyond the ratio threshold either way, not within it', () => {
  const fit = chinchillaFit();
  const a = analyseFixture('nanogpt/train_gpt2.py');
  const s = a.scale(false);
  const o = computeOptimal(fit, s.C!.value);
  const ratio = s.D!.value / s.N!.value / o.tokensPerParam;
  assert.ok(ratio > 20 && ratio < 200, `nanoGPT trains far past the optimum (ratio ${ratio})`);
  const hint = optimalityCheck(a, { fit }, 4)!;
  assert.ok(Math.abs(hint.ratio - ratio) < 1e-9);
  assert.match(
    hint.message,
    new RegExp(
      `^Far from compute-optimal: ${fmtRatio(s.D!.value / s.N!.value)} tokens per parameter, ${fmtRatio(ratio)}× the optimum of ${fmtRatio(o.tokensPerParam)}`,
    ),
  );
  assert.equal(a.doc.text.slice(hint.span.start, hint.span.end), 'gradient_accumulation_steps = 5 * 8');
  assert.equal(optimalityCheck(a, { fit }, Math.ceil(ratio) + 1), undefined);
  assert.equal(optimalityCheck(a, {}, 4), undefined, 'no fit, no hint');
  // Too few tokens per parameter: 10B params on 20B tokens.
  const starved = analyseText('n_params: 10B\ntrain_tokens: 20B\n', '/w/s.yaml');
  assert.match(optimalityCheck(starved, { fit }, 4)!.message, /× below the optimum/);
});

test('the prediction is memoised per fit, and recomputed when the fit is updated in place', () => {
  const fit = chinchillaFit();
  const a = analyseFixture('nanogpt/train_gpt2.py');
  const off = offsetOf(a.doc.text, 'n_layer = 12', 1);
  const before = hoverAt(a, off, { fit })!.markdown;
  assert.equal(hoverAt(a, off, { fit })!.markdown, before);
  fit.params.E = { value: 2.0 };
  const s = a.scale(false);
  const after = hoverAt(a, off, { fit })!.markdown;
  assert.notEqual(after, before);
  assert.ok(
    after.includes(`**Predicted loss** ${fmtLoss(predict(fit, { N: s.N!.value, D: s.D!.value }).value)}`),
    after,
  );
});

test('scripts that merely contain N or lr get no CodeLens, and single-letter Python names are not hover targets', () => {
  const script = analyseText('import numpy as np\nN = 1000\nC = 3\nlr = 0.1\nx = np.zeros(N)\n', '/w/script.py');
  assert.deepEqual(
    script.targets.map((t) => t.entry.key),
    ['lr'],
  );
  assert.equal(codeLensFor(script), undefined);
  assert.equal(hoverAt(script, offsetOf(script.doc.text, 'N = 1000', 0)), undefined);
  // In YAML a single-letter N is a deliberate setting (scaling-law sweep configs write it that way).
  const sweep = analyseText('N: 7B\nD: 1.4T\n', '/w/sweep.yaml');
  assert.equal(sweep.scale(false).N?.value, 7e9);
  assert.ok(codeLensFor(sweep));
});

test('documents too long to be configs are not analysed', () => {
  const big = `{"vocab": [${Array.from({ length: 30 }, (_, i) => i).join(',')}], "n_layer": 2}`;
  assert.equal(analyseConfig({ text: big, fileName: '/w/tokenizer.json' }, { maxLength: 50 }), undefined);
  assert.ok(analyseConfig({ text: big, fileName: '/w/tokenizer.json' }));
});
