import { extname } from 'node:path';

/** Extensions that make a file a JSON-lines log by its name alone. */
const JSON_LINES_EXT = new Set(['.jsonl', '.ndjson']);
/** Names whose content decides: detectron2's `metrics.json`, DETR/MAE's `log.txt`, a `train.log`. */
const BY_CONTENT = /\.(json|log|txt)$/i;

/** A `*.jsonl` or `*.ndjson`: a JSON-lines log by its name (a file name or a path). */
export function isJsonLinesName(name: string): boolean {
  return JSON_LINES_EXT.has(extname(name));
}

/** A name under which a JSON-lines log may be (see jsonlFormat): by name, or a `.json`/`.log`/`.txt` to look into. */
export function mayHoldJsonLines(name: string): boolean {
  return isJsonLinesName(name) || BY_CONTENT.test(name);
}

/**
 * Legacy W&B run folders also hold `wandb-events.jsonl`: system monitoring (CPU, GPU), not a training run's metrics,
 * so it is never a run's log.
 */
export const isSystemMetricsLog = (name: string): boolean => name === 'wandb-events.jsonl';
