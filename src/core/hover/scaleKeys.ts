/**
 * Which keys of a config the hover answers on. The run model's alias table decides (same names everywhere), with
 * hyphens read as underscores (NeoX/Megatron write `num-layers`, argparse `--n-layer`) and a few names the run model
 * has no use for but a config hover needs: DeepSpeed/NeoX `gas` (gradient accumulation), OLMo's `max_duration`
 * (steps, or tokens with a `T` suffix) and `mlp_ratio`, and the tensor/pipeline parallel sizes that turn a world
 * size into a data-parallel size.
 */
import { type AliasTable, type Canonical, mergeAliases } from '../config/aliases';

export type ScaleRole =
  | Exclude<Canonical, 'tie_embeddings' | 'step'>
  | 'max_duration'
  | 'mlp_ratio'
  | 'tensor_parallel'
  | 'pipeline_parallel';

const EXTRA_ALIASES: Partial<Record<Canonical, string[]>> = {
  grad_accum: ['gas'],
};

export const TENSOR_PARALLEL_KEYS = [
  'tensor_model_parallel_size',
  'model_parallel_size',
  'tensor_parallel_size',
  'tp_size',
];
export const PIPELINE_PARALLEL_KEYS = [
  'pipeline_model_parallel_size',
  'pipe_parallel_size',
  'pipeline_parallel_size',
  'pp_size',
];

/** `num-layers` → `num_layers`: one spelling for matching; display keeps what the file says. */
export function normaliseKey(key: string): string {
  return key.replace(/-/g, '_');
}

export function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

const tableCache = new Map<string, AliasTable>();

/** The alias table the hover uses: built-ins, the user's `scalingLens.aliases`, the extras above; hyphens normalised. */
export function hoverAliasTable(userAliases?: Record<string, readonly string[]>): AliasTable {
  const cacheKey = userAliases ? JSON.stringify(userAliases) : '';
  const hit = tableCache.get(cacheKey);
  if (hit) return hit;
  const merged = mergeAliases(userAliases) as Record<Canonical, readonly string[]>;
  const out = {} as Record<Canonical, readonly string[]>;
  for (const [k, list] of Object.entries(merged) as [Canonical, readonly string[]][]) {
    out[k] = [...list, ...(EXTRA_ALIASES[k] ?? [])].map(normaliseKey);
  }
  if (tableCache.size > 16) tableCache.clear();
  tableCache.set(cacheKey, out);
  return out;
}

const roleMaps = new WeakMap<AliasTable, Map<string, ScaleRole | null>>();

/** Lower-cased last key segment → role, per table: a 1,000-line config asks once per key, not once per alias. */
function roleMap(table: AliasTable): Map<string, ScaleRole | null> {
  let m = roleMaps.get(table);
  if (m) return m;
  m = new Map<string, ScaleRole | null>();
  // First canonical wins, as in the alias table's canonicalOf.
  for (const [canonical, aliases] of Object.entries(table) as [Canonical, readonly string[]][]) {
    for (const a of aliases) {
      const k = a.toLowerCase();
      if (!m.has(k)) m.set(k, canonical === 'tie_embeddings' || canonical === 'step' ? null : canonical);
    }
  }
  const extra: [string[], ScaleRole][] = [
    [['max_duration'], 'max_duration'],
    [['mlp_ratio'], 'mlp_ratio'],
    [TENSOR_PARALLEL_KEYS, 'tensor_parallel'],
    [PIPELINE_PARALLEL_KEYS, 'pipeline_parallel'],
  ];
  for (const [names, role] of extra) for (const n of names) if (!m.has(n)) m.set(n, role);
  roleMaps.set(table, m);
  return m;
}

/** The scale quantity a key stands for, or undefined when hovering it should show nothing. */
export function scaleRoleOf(key: string, table: AliasTable): ScaleRole | undefined {
  const last = normaliseKey(lastSegment(key)).toLowerCase();
  return roleMap(table).get(last) ?? undefined;
}

/** What each role feeds, for the hover's first line ("`n_layer` → N"). */
export function roleTarget(role: ScaleRole): string {
  switch (role) {
    case 'n_params':
    case 'd_model':
    case 'n_layers':
    case 'n_heads':
    case 'n_kv_heads':
    case 'd_ff':
    case 'vocab_size':
    case 'mlp_ratio':
      return 'N';
    case 'seq_len':
      return 'N and D';
    case 'global_batch_size':
    case 'batch_size':
    case 'grad_accum':
    case 'world_size':
    case 'max_steps':
    case 'max_duration':
    case 'train_tokens':
    case 'tensor_parallel':
    case 'pipeline_parallel':
      return 'D';
    case 'flops':
      return 'C';
    case 'lr':
      return 'learning rate';
  }
}
