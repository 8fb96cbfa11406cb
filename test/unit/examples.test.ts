import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { Catalog } from '../../src/core/ingest/catalog';
import type { Run } from '../../src/core/model/run';
import { type Truth, writeExamples } from '../../scripts/make-examples';

// The example folder is the demo's and the integration tests' input: every run in it must be read with the right
// format, scale and point counts. TRUTH.json (written by the generator) is the reference, not this file.
const RESULTS = resolve(__dirname, '..', '..', 'examples', 'results');
const truth = JSON.parse(readFileSync(join(RESULTS, 'TRUTH.json'), 'utf8')) as Truth;

function files(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(join(dir, r)).isDirectory()) out.push(...files(dir, r));
    else out.push(r);
  }
  return out;
}

function within(actual: number | undefined, expected: number, tol: number, what: string): void {
  assert.ok(actual !== undefined, `${what}: not found (expected ${expected})`);
  const rel = Math.abs(actual - expected) / expected;
  assert.ok(rel <= tol, `${what}: ${actual} is ${(rel * 100).toFixed(3)}% from ${expected} (tolerance ${tol * 100}%)`);
}

describe('examples/results', () => {
  let runs: Run[] = [];
  let catalog: Catalog;
  before(async () => {
    catalog = new Catalog([RESULTS]);
    await catalog.scan();
    runs = catalog.runs();
  });

  /** The runs a reader reports for one truth entry: those whose files all lie in its folder. */
  const runsIn = (dir: string): Run[] => {
    const abs = join(RESULTS, dir) + sep;
    return runs.filter((r) => r.files.length > 0 && r.files.every((f) => f.startsWith(abs)));
  };

  for (const t of truth.runs) {
    test(`${t.format}: ${t.dir}`, () => {
      const found = runsIn(t.dir);
      assert.equal(found.length, 1, `expected one run in ${t.dir}, found ${found.length}: ${found.map((r) => `${r.id} [${r.format}]`).join(', ') || 'none'}`);
      const run = found[0];
      assert.equal(run.format, t.format, `format of ${run.id}`);
      within(run.N?.value, t.N, 0.01, `N of ${run.id} (${run.N?.provenance})`);
      // Lightning logs the step before the optimizer step, so a step-derived D is short by one step (< 0.1%).
      within(run.D?.value, t.D, 0.01, `D of ${run.id} (${run.D?.provenance})`);
      within(run.C?.value, t.C, 0.01, `C of ${run.id} (${run.C?.provenance})`);
      for (const [name, count] of Object.entries(t.metrics)) {
        const s = run.metrics.find(name);
        assert.ok(s, `${run.id}: no metric "${name}" (has ${run.metrics.names().join(', ')})`);
        assert.equal(s.count, count, `${run.id}: points of "${name}"`);
      }
    });
  }

  test('no run outside the truth, and no diagnostics', () => {
    const claimed = new Set(truth.runs.flatMap((t) => runsIn(t.dir)));
    const stray = runs.filter((r) => !claimed.has(r));
    assert.deepEqual(stray.map((r) => `${r.id} [${r.format}]`), [], 'runs found that TRUTH.json does not list');
    assert.deepEqual(catalog.diagnostics(), [], 'the example folder is clean input');
  });
});

describe('examples generator', () => {
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'sl-examples-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('the committed folder is what `npm run examples` writes (byte for byte)', () => {
    writeExamples(tmp);
    const want = files(tmp);
    assert.deepEqual(files(RESULTS), want, 'file list differs: run `npm run examples`');
    for (const f of want) assert.ok(readFileSync(join(RESULTS, f)).equals(readFileSync(join(tmp, f))), `${f} differs: run \`npm run examples\``);
  });

  test('the folder stays small', () => {
    const total = files(RESULTS).reduce((a, f) => a + statSync(join(RESULTS, f)).size, 0);
    assert.ok(total < 2 * 1024 * 1024, `examples/results is ${total} bytes`);
  });

  test('losses follow the stated law within the stated noise', () => {
    const { E, A, B, alpha, beta } = truth.law;
    for (const t of truth.runs) {
      const law = E + A / t.N ** alpha + B / t.D ** beta;
      assert.ok(Math.abs(law - t.law_loss_final) < 1e-5, t.dir);
      // 1% noise: the last eval loss lies within 5 sigma of the law
      assert.ok(Math.abs(t.eval_loss_final / law - 1) < 5 * truth.noise.sigma, `${t.dir}: ${t.eval_loss_final} vs ${law}`);
      assert.equal(t.C, 6 * t.N * t.D, t.dir);
    }
    assert.ok(new Set(truth.runs.map((t) => t.format)).size >= 5, 'several formats');
    assert.ok(new Set(truth.runs.map((t) => t.N)).size >= 4, 'several sizes');
  });
});
