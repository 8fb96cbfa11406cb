import type { FitSpec, LawName, LossKind } from '../../contract/fit';
import { isLawName } from '../../core/laws/registry';

/** Bootstrap and holdout when the input does not say (the user's settings). */
export interface FitBudget {
  bootstrap: number;
  holdout: number;
}

const MAX_NAME = 200;
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_NAME;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : fallback;

/** Laws a fit from the extension can name: the built-ins (a custom law needs a declaration only the CLI reads). */
function lawOf(v: unknown): LawName | 'auto' | undefined {
  return typeof v === 'string' && (v === 'auto' || (isLawName(v) && v !== 'custom')) ? v : undefined;
}

/**
 * A FitSpec from a command argument (a test, a keybinding, a link anyone can write), in its flat form
 * `{law, x, y?, checkpoints?, bootstrap?, holdout?, loss?, delta?}`. Nothing is trusted: an unknown law, missing
 * or non-string variables give undefined; malformed optional fields fall back to the defaults.
 */
export function specFromArgument(arg: unknown, defaults: FitBudget): FitSpec | undefined {
  if (!isRecord(arg)) return undefined;
  const x = Array.isArray(arg.x) && arg.x.length > 0 && arg.x.every(isName) ? [...arg.x] : undefined;
  const law = lawOf(arg.law);
  if (!x || !law) return undefined;
  const loss: LossKind | undefined = arg.loss === 'lsq' || arg.loss === 'huber' ? arg.loss : undefined;
  const delta = typeof arg.delta === 'number' && Number.isFinite(arg.delta) && arg.delta > 0 ? arg.delta : undefined;
  return {
    selection: { x, ...(isName(arg.y) ? { y: arg.y } : {}), checkpoints: arg.checkpoints === true },
    options: {
      law,
      bootstrap: count(arg.bootstrap, defaults.bootstrap),
      holdout: count(arg.holdout, defaults.holdout),
      ...(loss ? { loss } : {}),
      ...(delta !== undefined ? { delta } : {}),
    },
  };
}

/**
 * The FitSpec kept in workspace state, read back as untrusted input (another version, or a hand-edited state
 * database, may have written it). The flat form earlier versions stored is read too, so Refit keeps working.
 */
export function storedSpec(value: unknown, defaults: FitBudget): FitSpec | undefined {
  if (!isRecord(value)) return undefined;
  if (isRecord(value.selection) && isRecord(value.options))
    return specFromArgument({ ...value.selection, ...value.options }, defaults);
  return specFromArgument(value, defaults);
}

/** Excluded run ids or point keys kept in workspace state: strings only, anything else is dropped. */
export function storedStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter(isName) : [];
}
