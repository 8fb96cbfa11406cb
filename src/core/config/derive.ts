import { basename } from 'node:path';
import type { ConfigValue, Run, Scale } from '../model/run';
import { type AliasTable, DEFAULT_ALIASES, resolveKey } from './aliases';
import { shareText } from '../util/shareText';

export interface DeriveOptions {
  aliases?: AliasTable;
  /** Count embedding (and learned position) parameters in N when N comes from architecture keys. */
  countEmbeddings?: boolean;
}

export interface ParamEstimate {
  total: number;
  nonEmbedding: number;
  embedding: number;
  /** The formula of the total (non-embedding part + embeddings). */
  formula: string;
  /** The formula of the non-embedding part alone. */
  nonEmbeddingFormula: string;
  keys: string[];
}

const GATED = /silu|swiglu|swish|geglu|llama|mistral|qwen|olmo|gemma/i;

/**
 * Parameters from architecture keys. Per layer: attention d·(d + 2·d_kv) + d·d (Q, K, V, O; d_kv = d·kv_heads/heads
 * for grouped-query attention) and an MLP of 2·d·d_ff, or 3·d·d_ff when the activation is gated (SwiGLU, as in
 * Llama/OLMo). With d_ff = 4d and full heads this is Kaplan's 12·L·d². Embeddings: V·d, doubled when input and
 * output embeddings are not tied, plus seq·d for learned positions (GPT-2 style `n_positions`/`block_size`).
 * Biases and norms (under 0.1% at scale) are left out. Returns undefined without d_model and n_layers.
 */
export function estimateParams(
  config: Record<string, ConfigValue>,
  aliases: AliasTable = DEFAULT_ALIASES,
): ParamEstimate | undefined {
  const d = resolveKey(config, 'd_model', aliases);
  const L = resolveKey(config, 'n_layers', aliases);
  if (!d || !L || d.value <= 0 || L.value <= 0) return undefined;
  const keys = [d.key, L.key];
  const heads = resolveKey(config, 'n_heads', aliases);
  const kv = resolveKey(config, 'n_kv_heads', aliases);
  const ff = resolveKey(config, 'd_ff', aliases);
  const V = resolveKey(config, 'vocab_size', aliases);
  const tie = resolveKey(config, 'tie_embeddings', aliases);
  const dm = d.value;
  const dKv = heads && kv && heads.value > 0 ? (dm * kv.value) / heads.value : dm;
  if (heads && kv) keys.push(heads.key, kv.key);
  const dFF = ff ? ff.value : 4 * dm;
  if (ff) keys.push(ff.key);
  const activation = Object.entries(config).find(([k]) =>
    /(^|\.)(hidden_act|activation|activation_function|model_type|architectures\.0)$/.test(k),
  );
  const gated = ff !== undefined && activation !== undefined && GATED.test(String(activation[1]));
  const attn = dm * (dm + 2 * dKv) + dm * dm;
  const mlp = (gated ? 3 : 2) * dm * dFF;
  const nonEmbedding = L.value * (attn + mlp);
  let embedding = 0;
  let embedFormula = '';
  if (V) {
    const untied = tie !== undefined && tie.value === 0;
    embedding = (untied ? 2 : 1) * V.value * dm;
    embedFormula = untied ? ' + 2·V·d' : ' + V·d';
    keys.push(V.key);
    const modelType = String(config['model_type'] ?? '');
    const learnedPositions =
      /gpt2|gpt_neo$|opt|nanogpt/i.test(modelType) || 'block_size' in config || 'n_positions' in config;
    const pos = resolveKey(config, 'seq_len', aliases);
    if (learnedPositions && pos) {
      embedding += pos.value * dm;
      embedFormula += ' + seq·d';
    }
  }
  const base = ff || kv ? `L·(attn + ${gated ? '3' : '2'}·d·d_ff)` : '12·L·d²';
  return {
    total: nonEmbedding + embedding,
    nonEmbedding,
    embedding,
    formula: base + embedFormula,
    nonEmbeddingFormula: base,
    keys,
  };
}

function fromConfig(
  run: Run,
  canonical: 'n_params' | 'train_tokens' | 'flops',
  aliases: AliasTable,
): Scale | undefined {
  const r = resolveKey(run.config, canonical, aliases);
  if (!r || r.value <= 0) return undefined;
  const file = run.configFrom[r.key];
  return { value: r.value, provenance: shareText(`${r.key} in ${file ? basename(file) : 'config'}`) };
}

/** Global batch in sequences: an explicit global batch, else per-device batch × grad accumulation × world size. */
export function globalBatch(
  config: Record<string, ConfigValue>,
  aliases: AliasTable = DEFAULT_ALIASES,
): { value: number; text: string } | undefined {
  const g = resolveKey(config, 'global_batch_size', aliases);
  if (g) return { value: g.value, text: g.key };
  const b = resolveKey(config, 'batch_size', aliases);
  if (!b) return undefined;
  const acc = resolveKey(config, 'grad_accum', aliases);
  const ws = resolveKey(config, 'world_size', aliases);
  const value = b.value * (acc?.value ?? 1) * (ws?.value ?? 1);
  return { value, text: [b.key, acc?.key, ws?.key].filter(Boolean).join('×') };
}

function lastStep(run: Run): number | undefined {
  let best: number | undefined;
  for (const s of run.metrics.all()) {
    const l = s.last();
    if (l && Number.isFinite(l.step) && (best === undefined || l.step > best)) best = l.step;
  }
  return best;
}

function maxTokens(run: Run): number | undefined {
  let best: number | undefined;
  for (const s of run.metrics.unordered()) {
    const t = s.lastFiniteTokens(); // tokens grow along a run: the last finite one is the largest
    if (t !== undefined && (best === undefined || t > best)) best = t;
  }
  return best;
}

/**
 * Fills run.N, run.D and run.C, each with its provenance, in this order of trust:
 * N: a logged/configured parameter count, then the architecture formula.
 * D: tokens the logs say were seen, then last step × global batch × sequence length, then planned tokens in config.
 * C: FLOPs the logs or config state, then 6·N·D.
 */
export function deriveScale(run: Run, opts: DeriveOptions = {}): void {
  const aliases = opts.aliases ?? DEFAULT_ALIASES;
  run.N = run.facts.n_params ?? fromConfig(run, 'n_params', aliases);
  if (!run.N) {
    const est = estimateParams(run.config, aliases);
    if (est) {
      const useTotal = opts.countEmbeddings === true;
      run.N = {
        value: useTotal ? est.total : est.nonEmbedding,
        provenance: shareText(
          useTotal
            ? `${est.formula} from ${est.keys.join(', ')}`
            : `${est.nonEmbeddingFormula} from ${est.keys.join(', ')} (non-embedding)`,
        ),
      };
    }
  }

  const seen = run.facts.tokens_seen;
  const logged = maxTokens(run);
  if (seen) run.D = seen;
  else if (logged !== undefined && logged > 0)
    run.D = { value: logged, provenance: 'tokens column of the metric log (last value)' };
  else {
    const batch = globalBatch(run.config, aliases);
    const seq = resolveKey(run.config, 'seq_len', aliases);
    const steps = lastStep(run);
    const planned = fromConfig(run, 'train_tokens', aliases);
    if (batch && seq && steps !== undefined && steps > 0) {
      run.D = {
        value: steps * batch.value * seq.value,
        provenance: `last step ${steps} × global batch (${batch.text}) × ${seq.key}`,
      };
    } else if (planned) run.D = planned;
  }

  run.C = run.facts.flops ?? fromConfig(run, 'flops', aliases);
  if (!run.C && run.N && run.D) run.C = { value: 6 * run.N.value * run.D.value, provenance: '6ND' };
}
