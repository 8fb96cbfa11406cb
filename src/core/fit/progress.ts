/**
 * Progress and cancellation for one fit: stages report a fraction of their own span, mapped onto the whole fit,
 * and poll for cancellation at every start and resample (the fit is synchronous, so this is the only way out).
 */
import { FitCancelledError } from '../errors';
import type { FitHooks } from './hooks';

export interface Progress {
  /** `fraction` of this stage (0..1) is done. */
  report(fraction: number, message: string): void;
  /** Throws FitCancelledError when the caller asked to stop. */
  check(): void;
  /** A sub-stage covering [from, to] of this stage. */
  span(from: number, to: number, label?: string): Progress;
}

export function rootProgress(opts: FitHooks): Progress {
  let lastFraction = -1;
  let lastTime = 0;
  const emit = (f: number, message: string): void => {
    if (!opts.onProgress) return;
    // Bootstraps tick thousands of times: forward 1% steps, or a message at most every 200 ms, not every tick.
    const now = Date.now();
    if (f - lastFraction < 0.01 && now - lastTime < 200 && f < 1) return;
    lastFraction = f;
    lastTime = now;
    opts.onProgress(Math.min(1, Math.max(0, f)), message);
  };
  const check = (): void => {
    if (opts.isCancelled?.()) throw new FitCancelledError();
  };
  const make = (from: number, to: number, label: string): Progress => ({
    report(fraction, message) {
      check();
      emit(from + (to - from) * Math.min(1, Math.max(0, fraction)), label ? `${label}: ${message}` : message);
    },
    check,
    span(a, b, sub) {
      return make(from + (to - from) * a, from + (to - from) * b, sub ?? label);
    },
  });
  return make(0, 1, '');
}
