import { formatScale } from '../core/config/values';
import { Catalog } from '../core/ingest/catalog';
import { formatDiagnostic } from '../core/model/run';
import { diagnosticJson, summarizeRun } from '../core/model/summary';
import { parseArgs, UsageError } from './args';

export const RUNS_USAGE = 'scaling-lens runs <path...> [--json] [--embeddings]';

/** `scaling-lens runs`: every run found under the paths, with N, D, C, metrics and diagnostics. */
export async function runsCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, { booleans: ['json', 'embeddings'], values: [] });
  if (!args.positional.length) throw new UsageError(`no path given\nusage: ${RUNS_USAGE}`);
  const catalog = new Catalog(args.positional, { countEmbeddings: args.flags.has('embeddings') });
  await catalog.scan();
  const runs = catalog.runs();
  const diagnostics = catalog.diagnostics();
  if (args.flags.has('json')) {
    out(JSON.stringify({ runs: runs.map(summarizeRun), diagnostics: diagnostics.map(diagnosticJson) }, null, 1));
    return 0;
  }
  out(`${runs.length} run${runs.length === 1 ? '' : 's'} found`);
  for (const run of runs) {
    out(`\n${run.id}  [${run.format}]`);
    out(`  N ${formatScale(run.N?.value).padEnd(8)} ${run.N ? `(${run.N.provenance})` : '(unknown)'}`);
    out(`  D ${formatScale(run.D?.value).padEnd(8)} ${run.D ? `(${run.D.provenance})` : '(unknown)'}`);
    out(
      `  C ${(run.C ? run.C.value.toExponential(2) : '–').padEnd(8)} ${run.C ? `(${run.C.provenance})` : '(unknown)'}`,
    );
    for (const s of run.metrics.all()) {
      const last = s.last();
      out(
        `  ${s.name}: ${s.count} points${last ? `, last ${Number(last.value.toPrecision(5))} at step ${last.step}` : ''}`,
      );
    }
  }
  if (diagnostics.length) {
    out(`\n${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in the input:`);
    for (const d of diagnostics) out(`  ${formatDiagnostic(d)}`);
  }
  return 0;
}
