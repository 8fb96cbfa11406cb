import type { FitDataset } from '../../contract/fit';
import { DatasetError } from '../errors';

/**
 * The y metric used when none is named: validation losses first (they are what scaling laws are about), then
 * training losses. Matched case-insensitively against metric and column names.
 */
export const Y_CANDIDATES = [
  'val_loss',
  'eval_loss',
  'validation_loss',
  'valid_loss',
  'val/loss',
  'eval/loss',
  'validation/loss',
  'valid/loss',
  'loss_val',
  'val_lm_loss',
  'validation loss',
  'val loss',
  // training losses from here on (TRAIN_FROM)
  'loss',
  'train_loss',
  'train/loss',
  'training_loss',
];

/** Index in Y_CANDIDATES where the training-loss spellings start; before it, validation-loss spellings. */
export const TRAIN_FROM = Y_CANDIDATES.indexOf('loss');

export type { DatasetSelection } from '../../contract/fit';

export interface DatasetBuild {
  dataset: FitDataset;
  /** What was skipped or assumed, in sentences a user can act on. */
  warnings: string[];
}

export { DatasetError };

/** Collects distinct definitions per variable; several runs usually share one, otherwise the first few are shown. */
export class Definitions {
  private readonly byName = new Map<string, Set<string>>();

  add(name: string, definition: string): void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    if (set.size < 50) set.add(definition);
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, set] of this.byName) {
      // Runs usually differ only in their numbers ("last step 2800 × …", "last step 11600 × …"): one line per shape.
      const shapes = new Map<string, string>();
      for (const d of set) {
        const shape = d.replace(STANDALONE_NUMBER, '…');
        shapes.set(shape, shapes.has(shape) ? shape : d);
      }
      const all = [...shapes.values()];
      out[name] =
        all.length <= 2
          ? all.join('; ')
          : `${all.slice(0, 2).join('; ')}; and ${all.length - 2} other source${all.length === 3 ? '' : 's'}`;
    }
    return out;
  }
}

/** A number standing alone between spaces (a step count, a batch size), not part of a formula like 12·L·d². */
const STANDALONE_NUMBER = /(?<=^|\s)\d[\d.,]*(?=\s|$)/g;

/** "a, b, c and 4 more": names in a warning without flooding the terminal. */
export function listNames(names: string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
