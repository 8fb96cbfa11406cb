/**
 * Shared shapes of the config-hover core: where each key and value of a config document sits, and the
 * parsed document. Plain data, no behaviour, so every locator (YAML, JSON, TOML, Python) fills the same shape.
 */
import type { ConfigValue } from '../model/run';

export type ConfigFormat = 'yaml' | 'json' | 'toml' | 'python';

/** Character offsets into the document text; `end` is exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A 0-based line/character position, as editors count them (UTF-16 code units). */
export interface LineCharacter {
  line: number;
  character: number;
}

export interface ConfigEntry {
  /** Flattened dotted path as written in the file (`model.d_model`, `num-layers`, `GPTConfig.n_layer`). */
  key: string;
  /** The value as the format reads it (a YAML 1.2 scalar, a JSON value, a Python literal after evaluation). */
  value: ConfigValue;
  /** The value's source text (`7B`, `2**20`, `5 * 8`), shown in hovers and re-read by parseScaleNumber. */
  raw: string;
  keySpan: Span;
  valueSpan: Span;
}

export interface ParsedConfig {
  format: ConfigFormat;
  /** Scalar entries in document order. */
  entries: ConfigEntry[];
  /** Problems met while reading; the entries found around them are still usable (documents are often mid-edit). */
  errors: string[];
}
