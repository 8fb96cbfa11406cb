/**
 * N, D and C of the training run a config describes, each with how it was obtained and the keys it used, and a
 * plain sentence for whatever cannot be obtained. Parameter counts come from the shared formula
 * (core/config/derive.ts estimateParams) through the dialect adapters; D is the planned token count: stated
 * tokens, else steps × global batch × sequence length; C is stated FLOPs, else 6·N·D.
 */
import type { ConfigValue } from '../model/run';
import { type AliasTable, type Resolved, resolveKey } from '../config/aliases';
import { estimateParams } from '../config/derive';
import { parseScaleNumber } from '../config/values';
import { adaptArchitecture } from './adapters';
import { lastSegment, normaliseKey, PIPELINE_PARALLEL_KEYS, TENSOR_PARALLEL_KEYS } from './scaleKeys';

export interface Quantity {
  value: number;
  /** How it was obtained: a formula or "as written", in the file's own key names. */
  how: string;
  /** The keys (as written) it was computed from. */
  keys: string[];
}

export interface ParamCount extends Quantity {
  /** 'stated': a parameter-count key; otherwise which count `value` is. */
  definition: 'stated' | 'total' | 'non-embedding';
  total?: number;
  nonEmbedding?: number;
}

export interface ScaleResolution {
  N?: ParamCount;
  D?: Quantity;
  C?: Quantity;
  /** One sentence per quantity that could not be obtained, naming the keys it needs. */
  missing: Partial<Record<'N' | 'D' | 'C', string>>;
  /** Assumptions made on the way (e.g. no world size: batch × accumulation taken as global). */
  notes: string[];
  lr?: number;
}

export interface ResolveOptions {
  table: AliasTable;
  /** N with embedding parameters (V·d) when derived from architecture keys; else non-embedding N (Kaplan). */
  countEmbeddings: boolean;
}

/** Position-table sizes are the model's capacity, not the training sequence length: last resort for D. */
const POSITION_CAPACITY = ['max_position_embeddings', 'n_positions', 'n_ctx'];
const PER_DEVICE = /per_device|per_gpu|micro|device_train/i;

function perKeyNumber(
  config: Record<string, ConfigValue>,
  names: string[],
): { key: string; value: number } | undefined {
  for (const name of names) {
    for (const [k, v] of Object.entries(config)) {
      if (lastSegment(k).toLowerCase() !== name) continue;
      const n = parseScaleNumber(v);
      if (n !== undefined && n > 0) return { key: k, value: n };
    }
  }
  return undefined;
}

/** The architecture part of estimateParams' formula: `L·(attn + 3·d·d_ff) + 2·V·d` → `L·(attn + 3·d·d_ff)`. */
function withoutEmbeddingTerms(formula: string): string {
  return formula.replace(/ \+ (2·)?V·d| \+ seq·d/g, '');
}

export function resolveScale(values: Record<string, ConfigValue>, opts: ResolveOptions): ScaleResolution {
  const original = new Map<string, string>();
  const normalised: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(values)) {
    const nk = normaliseKey(k);
    normalised[nk] = v;
    original.set(nk, k);
  }
  const { table } = opts;
  const adapted = adaptArchitecture(normalised, original, table);
  const config = adapted.config;
  const show = (k: string): string => original.get(k) ?? k;
  const out: ScaleResolution = { missing: {}, notes: [...adapted.notes] };
  const get = (c: Parameters<typeof resolveKey>[1], t: AliasTable = table): Resolved | undefined => {
    const r = resolveKey(config, c, t);
    return r && r.value > 0 && Number.isFinite(r.value) ? r : undefined;
  };

  // N
  const stated = get('n_params');
  if (stated)
    out.N = {
      value: stated.value,
      how: `${show(stated.key)} as written`,
      keys: [show(stated.key)],
      definition: 'stated',
    };
  else {
    const est = estimateParams(config, table);
    if (est) {
      const keys = [...new Set(est.keys.map(show))];
      const hasEmbedding = est.embedding > 0;
      const total = opts.countEmbeddings && hasEmbedding;
      out.N = {
        value: total ? est.total : est.nonEmbedding,
        how: total ? est.formula : withoutEmbeddingTerms(est.formula),
        keys,
        definition: total ? 'total' : 'non-embedding',
        nonEmbedding: est.nonEmbedding,
        ...(hasEmbedding ? { total: est.total } : {}),
      };
      if (opts.countEmbeddings && !hasEmbedding)
        out.notes.push('no vocab_size in this config: N leaves out the embeddings');
    } else {
      const lacking = [
        get('d_model') ? '' : 'a width (d_model/hidden_size/n_embd)',
        get('n_layers') ? '' : 'a depth (n_layers/num_hidden_layers/n_layer)',
      ].filter(Boolean);
      out.missing.N = `N needs ${lacking.join(' and ')}, or a parameter count (n_params)`;
    }
  }

  // D
  const tokens = get('train_tokens');
  const duration = Object.entries(config).find(([k]) => lastSegment(k) === 'max_duration');
  const durationText = duration ? String(duration[1]).trim() : '';
  const durationTokens = /^[\d_.eE+]+\s*T$/.test(durationText)
    ? parseScaleNumber(durationText.slice(0, -1))
    : undefined;
  if (tokens) out.D = { value: tokens.value, how: `${show(tokens.key)} as written`, keys: [show(tokens.key)] };
  else if (duration && durationTokens !== undefined) {
    out.D = { value: durationTokens, how: `${show(duration[0])} (tokens)`, keys: [show(duration[0])] };
  } else {
    const stepsKey = get('max_steps');
    // OLMo durations: plain numbers are steps (`739_328`, `2**18`); `…T` is tokens (above), `…ep` epochs.
    const durationSteps = duration && !/(T|ep)$/.test(durationText) ? parseScaleNumber(durationText) : undefined;
    const steps = stepsKey
      ? { value: stepsKey.value, key: stepsKey.key }
      : duration && durationSteps
        ? { value: durationSteps, key: duration[0] }
        : undefined;
    const batch = globalBatch(config, table, show, out.notes);
    const seqTable = {
      ...table,
      seq_len: [
        ...table.seq_len.filter((a) => !POSITION_CAPACITY.includes(a)),
        ...POSITION_CAPACITY.filter((a) => table.seq_len.includes(a)),
      ],
    };
    const seq = get('seq_len', seqTable);
    if (steps && 'value' in batch && seq) {
      out.D = {
        value: steps.value * batch.value * seq.value,
        how: `${show(steps.key)} × ${batch.how} × ${show(seq.key)}`,
        keys: [show(steps.key), ...batch.keys, show(seq.key)],
      };
    } else {
      const lacking = [
        steps ? '' : 'a step count (max_steps/train_iters)',
        'missing' in batch ? batch.missing : '',
        seq ? '' : 'a sequence length (seq_len/block_size)',
      ].filter(Boolean);
      if (duration && /ep$/.test(durationText))
        lacking.push(`${show(duration[0])} counts epochs, whose token count is not in the config`);
      out.missing.D = `D needs train_tokens, or steps × global batch × sequence length; missing ${lacking.join(', ')}`;
    }
  }

  // C
  const flops = get('flops');
  if (flops) out.C = { value: flops.value, how: `${show(flops.key)} as written`, keys: [show(flops.key)] };
  else if (out.N && out.D) out.C = { value: 6 * out.N.value * out.D.value, how: '6·N·D', keys: [] };
  else out.missing.C = `C = 6·N·D needs ${[out.N ? '' : 'N', out.D ? '' : 'D'].filter(Boolean).join(' and ')}`;

  const lr = get('lr');
  if (lr) out.lr = lr.value;
  return out;
}

function parentOf(key: string): string {
  const i = key.lastIndexOf('.');
  return i < 0 ? '' : key.slice(0, i);
}

function resolveNear(
  config: Record<string, ConfigValue>,
  canonical: 'grad_accum' | 'world_size',
  table: AliasTable,
  anchor: string,
): Resolved | undefined {
  const parent = parentOf(anchor);
  const siblings: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(config)) if (parentOf(k) === parent) siblings[k] = v;
  const near = resolveKey(siblings, canonical, table);
  if (near && near.value > 0) return near;
  const any = resolveKey(config, canonical, table);
  return any && any.value > 0 ? any : undefined;
}

type Batch = { value: number; how: string; keys: string[] } | { missing: string };

/**
 * Sequences per optimizer step. An explicit global batch wins. Otherwise per-device batch × accumulation ×
 * data-parallel size, where data parallel = world size / (tensor × pipeline parallel) unless the key already is
 * a data-parallel size. A batch named per-device with no world size cannot give a global batch; a plain
 * `batch_size` with none is taken as global (nanoGPT's accumulation steps already span all GPUs).
 */
function globalBatch(
  config: Record<string, ConfigValue>,
  table: AliasTable,
  show: (k: string) => string,
  notes: string[],
): Batch {
  const g = resolveKey(config, 'global_batch_size', table);
  if (g && g.value > 0) return { value: g.value, how: show(g.key), keys: [show(g.key)] };
  const b = resolveKey(config, 'batch_size', table);
  if (!b || b.value <= 0)
    return { missing: 'a batch size (global_batch_size, or batch_size with gradient_accumulation_steps)' };
  // Accumulation and world size from the batch's own group first: a script may hold an argparse parser and an HF
  // TrainingArguments(...) side by side, and mixing their settings would describe neither run.
  const acc = resolveNear(config, 'grad_accum', table, b.key);
  const ws = resolveNear(config, 'world_size', table, b.key);
  const parts = [show(b.key)];
  const keys = [show(b.key)];
  let value = b.value;
  if (acc && acc.value > 0) {
    value *= acc.value;
    parts.push(show(acc.key));
    keys.push(show(acc.key));
  }
  if (ws && ws.value > 0) {
    let dp = ws.value;
    keys.push(show(ws.key));
    if (/data_parallel|dp_size/.test(ws.key)) parts.push(show(ws.key));
    else {
      const tp = perKeyNumber(config, TENSOR_PARALLEL_KEYS);
      const pp = perKeyNumber(config, PIPELINE_PARALLEL_KEYS);
      const divisors = [tp, pp].filter((x): x is { key: string; value: number } => x !== undefined);
      dp = ws.value / divisors.reduce((p, x) => p * x.value, 1);
      parts.push(divisors.length ? `(${show(ws.key)}/${divisors.map((x) => show(x.key)).join('/')})` : show(ws.key));
      keys.push(...divisors.map((x) => show(x.key)));
    }
    value *= dp;
  } else if (PER_DEVICE.test(b.key)) {
    return { missing: `the number of data-parallel devices (world_size/num_gpus), since ${show(b.key)} is per device` };
  } else {
    notes.push(`no world size in this config: ${parts.join(' × ')} taken as the global batch`);
  }
  return { value, how: parts.length > 1 ? `(${parts.join(' × ')})` : parts[0], keys };
}
