/**
 * Writes test/webview/fixtures/planState.json: the panel state for the example results folder with a Plan view
 * from the real planner (a chinchilla fit with bootstrap draws, the default target of 100× the largest run, the
 * runs' architectures from their configs). Run it again after a change to the planner or the view builders:
 *   node --import tsx test/webview/makePlanFixture.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDataset } from '../../src/cli/fitInput';
import { defaultViewOptions } from '../../src/contract/panel';
import { toArtifact } from '../../src/core/fit/artifact';
import { fitDataset } from '../../src/core/fit/engine';
import { Catalog } from '../../src/core/ingest/catalog';
import { planRuns } from '../../src/core/plan/plan';
import { buildPanelState } from '../../src/core/view/panelState';
import { runArchitecture } from '../../src/core/view/planArchitecture';
import { DEFAULT_TARGET_FACTOR } from '../../src/core/view/planView';

const ROOT = resolve(__dirname, '../..');
const RESULTS = resolve(ROOT, 'examples/results');
const FIXTURE = resolve(__dirname, 'fixtures/planState.json');
/** Fixed, so regenerating without changes rewrites the same bytes. */
const BUILT_AT = Date.UTC(2024, 7, 2);

async function main(): Promise<void> {
  const { dataset } = await loadDataset([RESULTS], { x: ['N', 'D'] });
  const fit = fitDataset(dataset, { law: 'chinchilla', bootstrap: 200, seed: 20240802 });
  const C = DEFAULT_TARGET_FACTOR * Math.max(...dataset.points.map((p) => 6 * p.x.N * p.x.D));
  const result = planRuns(toArtifact(fit, dataset), { target: { C } });
  const catalog = new Catalog([RESULTS]);
  await catalog.scan();
  const runs = catalog.runs();
  const architectures = runs.flatMap((r) => runArchitecture(r.N?.value, r.config) ?? []);
  const state = buildPanelState(
    { fit, dataset, plan: { status: 'ready', result, architectures } },
    defaultViewOptions(),
    BUILT_AT,
  );
  writeFileSync(FIXTURE, JSON.stringify(state) + '\n');
  console.log(
    `wrote ${FIXTURE}: ${result.proposals.length} proposals, ${architectures.length} runs with a shape, warnings: ${result.warnings.join(' | ') || 'none'}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
