// Scans a folder and prints what was found as JSON on stdout, in its own process: the permission test runs it as
// an unprivileged user, since root reads files whatever their mode.
// usage: node --import tsx test/support/scanChild.ts <folder>
import { Catalog } from '../../src/core/ingest/catalog';

export interface ScanReport {
  uid: number;
  runs: { id: string; format: string; dir: string; metrics: Record<string, number> }[];
  diagnostics: { file: string; position?: string; message: string }[];
}

async function main(): Promise<void> {
  const cat = new Catalog([process.argv[2]]);
  await cat.scan();
  const report: ScanReport = {
    uid: process.getuid?.() ?? -1,
    runs: cat.runs().map((r) => ({
      id: r.id,
      format: r.format,
      dir: r.dir,
      metrics: Object.fromEntries(r.metrics.all().map((s) => [s.name, s.count])),
    })),
    diagnostics: cat.diagnostics().map(({ file, position, message }) => ({ file, position, message })),
  };
  process.stdout.write(JSON.stringify(report));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
