import type { ConfigValue } from '../model/run';

/**
 * Flattens nested config objects into dotted keys (`model.d_model`). Arrays become `key.0`, `key.1`.
 * W&B wraps every value as `{value: …, desc: …}`; that wrapper is unwrapped here so configs from every
 * tracker look the same to the alias table.
 */
export function flattenConfig(
  obj: unknown,
  prefix = '',
  out: Record<string, ConfigValue> = {},
): Record<string, ConfigValue> {
  if (obj === null || obj === undefined) {
    if (prefix) out[prefix] = null;
    return out;
  }
  if (ArrayBuffer.isView(obj)) return out; // bytes (a YAML !!binary) are no setting
  if (typeof obj !== 'object') {
    if (prefix) out[prefix] = obj as ConfigValue;
    return out;
  }
  if (Array.isArray(obj)) {
    obj.forEach((v, i) => flattenConfig(v, prefix ? `${prefix}.${i}` : String(i), out));
    return out;
  }
  const rec = obj as Record<string, unknown>;
  const keys = Object.keys(rec);
  if (keys.includes('value') && keys.every((k) => k === 'value' || k === 'desc')) {
    return flattenConfig(rec.value, prefix, out);
  }
  for (const k of keys) {
    if (k === '_wandb') continue; // W&B's own bookkeeping, not the user's config
    flattenConfig(rec[k], prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}
