import type { ConfigValue } from '../model/run';
import { parseScaleNumber } from './values';

/**
 * The alias table: one canonical name per scale-relevant quantity, and the config keys that mean it
 * across HF, nanoGPT, Megatron/NeoX, OLMo, Lightning and hand-written configs. Matching is on the last
 * segment of a dotted key, case-insensitive. Users extend it with the `scalingLens.aliases` setting.
 * The hover provider reads configs through this same table.
 */
export const DEFAULT_ALIASES = {
  n_params: [
    'n_params',
    'num_params',
    'n_parameters',
    'num_parameters',
    'params',
    'parameters',
    'param_count',
    'total_params',
    'model_params',
    'model_size',
    'N',
  ],
  d_model: ['d_model', 'hidden_size', 'n_embd', 'dim', 'model_dim', 'hidden_dim', 'd_embed', 'emb_dim', 'width'],
  n_layers: ['n_layers', 'num_hidden_layers', 'n_layer', 'num_layers', 'layers', 'depth'],
  n_heads: ['n_heads', 'num_attention_heads', 'n_head', 'num_heads'],
  n_kv_heads: ['n_kv_heads', 'num_key_value_heads', 'num_kv_heads', 'num_query_groups'],
  d_ff: ['d_ff', 'intermediate_size', 'ffn_hidden_size', 'ffn_dim', 'mlp_hidden_size', 'd_mlp'],
  vocab_size: ['vocab_size', 'n_vocab', 'padded_vocab_size', 'embedding_size'],
  seq_len: [
    'seq_len',
    'max_position_embeddings',
    'block_size',
    'context_length',
    'seq_length',
    'max_seq_len',
    'sequence_length',
    'max_seq_length',
    'n_ctx',
    'n_positions',
    'max_sequence_length',
  ],
  global_batch_size: ['global_batch_size', 'global_train_batch_size', 'train_batch_size_global', 'total_batch_size'],
  batch_size: [
    'batch_size',
    'train_batch_size',
    'per_device_train_batch_size',
    'micro_batch_size',
    'train_micro_batch_size_per_gpu',
    'device_train_microbatch_size',
  ],
  grad_accum: [
    'gradient_accumulation_steps',
    'grad_accum',
    'gradient_accumulation',
    'accumulate_grad_batches',
    'grad_accum_steps',
  ],
  world_size: ['world_size', 'n_gpus', 'num_gpus', 'data_parallel_size', 'dp_size', 'num_devices'],
  max_steps: ['max_steps', 'train_steps', 'total_steps', 'num_steps', 'max_iters', 'train_iters', 'max_iter'],
  train_tokens: [
    'train_tokens',
    'num_tokens',
    'n_tokens',
    'total_tokens',
    'tokens',
    'max_tokens',
    'train_tokens_total',
    'D',
  ],
  flops: ['flops', 'total_flops', 'train_flops', 'compute', 'C'],
  lr: ['learning_rate', 'lr', 'max_lr', 'peak_lr'],
  tie_embeddings: ['tie_word_embeddings', 'tie_embeddings', 'weight_tying'],
  /** Log fields that carry the step, tried before the built-in order (see ingest/common STEP_KEYS); empty by default. */
  step: [],
} as const;

export type Canonical = keyof typeof DEFAULT_ALIASES;
export type AliasTable = Record<Canonical, readonly string[]>;

/** Built-in table plus user additions (`{canonical: [alias…]}`); unknown canonical names are ignored. */
export function mergeAliases(extra: Record<string, readonly string[]> | undefined): AliasTable {
  const out = { ...DEFAULT_ALIASES } as Record<Canonical, readonly string[]>;
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (k in out && Array.isArray(v))
      out[k as Canonical] = [...v.filter((x) => typeof x === 'string'), ...out[k as Canonical]];
  }
  return out;
}

export interface Resolved {
  key: string;
  value: number;
  raw: ConfigValue;
}

/** Config keys by their last dotted part, lower-cased; each list shortest path first (see resolveKey). */
type KeyIndex = Map<string, string[]>;

/**
 * The key index of the config asked about last, kept while its keys stay the same: deriving N, D and C asks for a
 * dozen quantities of one config in a row (10,000 runs: 120,000 lookups), and a hover asks again and again about
 * the config it is on. Only the last one is kept: an index kept per config (a WeakMap) was a Map and a dozen arrays
 * more for the collector to trace in every one of 10,000 runs, for lookups that come in runs of the same config.
 */
let last: { config: object; keys: string[]; index: KeyIndex } | undefined;

/** Whether `config` still has exactly `keys`, in order (for…in: no array made per lookup). */
function sameKeys(config: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in config) if (k !== keys[i++]) return false;
  return i === keys.length;
}

function keyIndex(config: Record<string, ConfigValue>): KeyIndex {
  if (last?.config === config && sameKeys(config, last.keys)) return last.index;
  const keys = Object.keys(config);
  const index: KeyIndex = new Map();
  for (const key of keys) {
    const tail = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
    const list = index.get(tail);
    if (list) list.push(key);
    else index.set(tail, [key]);
  }
  for (const list of index.values())
    if (list.length > 1) list.sort((a, b) => a.split('.').length - b.split('.').length || a.length - b.length);
  last = { config, keys, index };
  return index;
}

/** Each table's aliases lower-cased, worked out once per table rather than on every lookup. */
const lowered = new WeakMap<AliasTable, AliasTable>();

function lowerAliases(table: AliasTable): AliasTable {
  let out = lowered.get(table);
  if (!out) {
    const lower: Partial<Record<Canonical, readonly string[]>> = {};
    for (const k of Object.keys(table) as Canonical[]) lower[k] = table[k].map((a) => a.toLowerCase());
    out = lower as AliasTable;
    lowered.set(table, out);
  }
  return out;
}

/**
 * Finds the config entry for a canonical quantity. Earlier aliases win; among keys with the same
 * alias, the shortest dotted path wins (`d_model` over `teacher.d_model`).
 */
export function resolveKey(
  config: Record<string, ConfigValue>,
  canonical: Canonical,
  table: AliasTable = DEFAULT_ALIASES,
): Resolved | undefined {
  const index = keyIndex(config);
  for (const alias of lowerAliases(table)[canonical]) {
    const keys = index.get(alias);
    if (!keys) continue;
    for (const key of keys) {
      const raw = config[key];
      const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : parseScaleNumber(raw);
      if (value !== undefined) return { key, value, raw };
    }
  }
  return undefined;
}

/** Which canonical quantity a single key means, if any (for hovers on one line of a config). */
export function canonicalOf(key: string, table: AliasTable = DEFAULT_ALIASES): Canonical | undefined {
  const last = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  for (const [canonical, aliases] of Object.entries(table) as [Canonical, readonly string[]][]) {
    if (aliases.some((a) => a.toLowerCase() === last)) return canonical;
  }
  return undefined;
}
