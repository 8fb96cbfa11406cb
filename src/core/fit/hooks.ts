/**
 * What the engine needs besides the plain FitOptions of the contract: callbacks, which cannot cross a thread
 * boundary or be written to a file, so they stay out of src/contract.
 */
import type { FitOptions } from '../../contract/fit';

export interface FitHooks {
  /** Progress callback (fraction 0..1, message); the worker forwards it. */
  onProgress?: (fraction: number, message: string) => void;
  /** Polled between stages/resamples; when it returns true the fit stops with a cancellation error. */
  isCancelled?: () => boolean;
}

/** FitOptions as the engine takes them: the plain options plus the hooks. */
export type FitRunOptions = FitOptions & FitHooks;
