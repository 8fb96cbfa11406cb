/**
 * Config dialects the shared parameter formula (core/config/derive.ts estimateParams) does not read directly,
 * translated into the keys it does read. Each synthetic key remembers the key it came from, so hovers name what
 * the user wrote. Why each exists:
 *  - OLMo writes `activation_type: swiglu`, not `hidden_act`; without it the MLP is counted ungated (2·d·d_ff).
 *  - OLMo sizes the MLP by `mlp_ratio` (or `mlp_hidden_size`), the width of ff_proj *before* SwiGLU halves it,
 *    so the gated d_ff is half of it (OLMo-1B: 8·2048/2 = 8192, giving its published 1,176,764,416).
 *  - NeoX writes `no-weight-tying: true` instead of `tie_word_embeddings: false`.
 *  - estimateParams counts learned positions only for a *top-level* `block_size`/`n_positions`; nanoGPT's
 *    dataclass puts it under `GPTConfig.block_size` (skipped when the config says RoPE/ALiBi or a gated MLP:
 *    litgpt uses `block_size` for Llama too, which has no learned positions).
 */
import type { ConfigValue } from '../model/run';
import { type AliasTable, resolveKey } from '../config/aliases';
import { parseScaleNumber } from '../config/values';
import { lastSegment } from './scaleKeys';

export interface Adapted {
  config: Record<string, ConfigValue>;
  /** Normalised or synthetic key → the key as written in the file. */
  original: Map<string, string>;
  notes: string[];
}

const ACTIVATION_KEY = /(^|\.)(hidden_act|activation|activation_function)$/;

function findLast(config: Record<string, ConfigValue>, segment: string): [string, ConfigValue] | undefined {
  let best: [string, ConfigValue] | undefined;
  for (const [k, v] of Object.entries(config)) {
    if (lastSegment(k) === segment && (!best || k.split('.').length < best[0].split('.').length)) best = [k, v];
  }
  return best;
}

function relativePositions(config: Record<string, ConfigValue>): boolean {
  for (const [k, v] of Object.entries(config)) {
    const last = lastSegment(k).toLowerCase();
    if (/^(rope|rotary|alibi|use_rope|use_rotary_position_embeddings)$/.test(last) && v === true) return true;
    if (/pos_emb|position_embedding_type|positional_embedding/.test(last) && /rot|rope|alibi/i.test(String(v)))
      return true;
    if (ACTIVATION_KEY.test(k) && /silu|swiglu|swish|geglu/i.test(String(v))) return true;
    if (/^rope_theta$|^rotary_emb_base$|^rope_base$/.test(last)) return true;
  }
  return false;
}

export function adaptArchitecture(
  config: Record<string, ConfigValue>,
  original: Map<string, string>,
  table: AliasTable,
): Adapted {
  const out = { ...config };
  const notes: string[] = [];
  const from = (k: string): string => original.get(k) ?? k;

  const activationType = findLast(config, 'activation_type');
  const hasActivation = Object.keys(config).some((k) => ACTIVATION_KEY.test(k));
  if (activationType && !hasActivation && typeof activationType[1] === 'string') {
    out.hidden_act = activationType[1];
    original.set('hidden_act', from(activationType[0]));
  }
  const olmoGated = activationType !== undefined && /swiglu|geglu/i.test(String(activationType[1]));

  const ff = resolveKey(config, 'd_ff', table);
  const d = resolveKey(config, 'd_model', table);
  if (olmoGated && ff && /(^|\.)mlp_hidden_size$/.test(ff.key)) {
    out.d_ff = ff.value / 2;
    original.set('d_ff', from(ff.key));
    notes.push(`d_ff = ${from(ff.key)}/2 (OLMo's SwiGLU halves the MLP width)`);
  } else if (!ff && d) {
    const ratio = findLast(config, 'mlp_ratio');
    const r = ratio ? parseScaleNumber(ratio[1]) : undefined;
    if (ratio && r !== undefined && r > 0) {
      out.d_ff = (olmoGated ? r / 2 : r) * d.value;
      original.set('d_ff', from(ratio[0]));
      notes.push(
        olmoGated ? `d_ff = ${from(ratio[0])}·d/2 (OLMo's SwiGLU halves the MLP width)` : `d_ff = ${from(ratio[0])}·d`,
      );
    }
  }

  if (!resolveKey(config, 'tie_embeddings', table)) {
    const noTie = findLast(config, 'no_weight_tying');
    if (noTie && typeof noTie[1] === 'boolean') {
      out.tie_word_embeddings = !noTie[1];
      original.set('tie_word_embeddings', from(noTie[0]));
    }
  }

  if (!('block_size' in config) && !('n_positions' in config) && !relativePositions(out)) {
    const nested = findLast(config, 'block_size') ?? findLast(config, 'n_positions');
    const v = nested ? parseScaleNumber(nested[1]) : undefined;
    if (nested && v !== undefined) {
      out.n_positions = v;
      original.set('n_positions', from(nested[0]));
    }
  }
  return { config: out, original, notes };
}
