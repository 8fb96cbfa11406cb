/**
 * The hover's planning line for a config that is not yet a run: "training this would narrow the interval at
 * C=… from X to Y". Linearised (core/plan/quick.ts), so it costs a 5×5 solve per config and nothing per mouse move
 * (the hover memoises it with the prediction).
 */
import { narrowingByRun } from '../plan/quick';
import { fmtFlop, fmtInterval } from './markdown';
import type { HoverFit } from './predictPoint';
import type { ScaleResolution } from './resolveScale';

export function planLine(fit: HoverFit, scale: ScaleResolution, targetC?: number): string | undefined {
  if (!scale.N || !scale.D) return undefined;
  const q = narrowingByRun(fit, scale.N.value, scale.D.value, targetC);
  if (!q) return undefined;
  const after = fmtInterval(q.after);
  if (after === fmtInterval(q.now)) return undefined;
  return `Training this would narrow the 95% interval of the loss at C = ${fmtFlop(q.C)} FLOPs (compute-optimal) from ${fmtInterval(q.now)} to ${after} _(linearised estimate; \`scaling-lens plan\` simulates it)_.`;
}
