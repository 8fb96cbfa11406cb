import type { ConfigValue, Diagnostic, Run } from './run';

/** The `runs --json` contract (issue #2): keep field names stable. */
export interface RunSummaryJson {
  id: string;
  format: string;
  files: string[];
  N: number | null;
  D: number | null;
  C: number | null;
  provenance: { N?: string; D?: string; C?: string };
  config: Record<string, ConfigValue>;
  /**
   * `count` is the number of points the log holds; `stored` appears only when a very long series was thinned to
   * stay under the per-series cap (see Series), and says how many points are kept in memory.
   */
  metrics: Record<string, MetricSummaryJson>;
}

/** A metric in `runs --json`. NaN/±Inf values print as `null`; `nonfinite` appears only when there are some. */
export interface MetricSummaryJson {
  count: number;
  stored?: number;
  first: { step: number; value: number | null } | null;
  last: { step: number; value: number | null } | null;
  nonfinite?: { count: number; first_step: number };
}

export interface DiagnosticJson {
  file: string;
  message: string;
  position?: string;
  severity: 'error' | 'warning' | 'info';
}

export function summarizeRun(run: Run): RunSummaryJson {
  const metrics: RunSummaryJson['metrics'] = {};
  for (const s of run.metrics.all()) {
    metrics[s.name] = {
      count: s.logged,
      ...(s.thinned ? { stored: s.count } : {}),
      first: point(s.first()),
      last: point(s.last()),
      ...(s.nonfiniteCount ? { nonfinite: { count: s.nonfiniteCount, first_step: s.firstNonfiniteStep } } : {}),
    };
  }
  const provenance: RunSummaryJson['provenance'] = {};
  if (run.N) provenance.N = run.N.provenance;
  if (run.D) provenance.D = run.D.provenance;
  if (run.C) provenance.C = run.C.provenance;
  return {
    id: run.id,
    format: run.format,
    files: run.files,
    N: run.N?.value ?? null,
    D: run.D?.value ?? null,
    C: run.C?.value ?? null,
    provenance,
    config: run.config,
    metrics,
  };
}

/** A point for JSON: a non-finite value as null (JSON has no NaN), said explicitly rather than left to stringify. */
function point(p: { step: number; value: number } | undefined): { step: number; value: number | null } | null {
  if (!p) return null;
  return { step: p.step, value: Number.isFinite(p.value) ? p.value : null };
}

export function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return d.position
    ? { file: d.file, message: d.message, position: d.position, severity: d.severity }
    : { file: d.file, message: d.message, severity: d.severity };
}
