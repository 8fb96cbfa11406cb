import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { runsCommand } from '../../src/cli/runsCommand';
import { parseConfigYaml } from '../../src/core/config/yaml';
import { Catalog } from '../../src/core/ingest/catalog';
import type { Run } from '../../src/core/model/run';
import type { DiagnosticJson, RunSummaryJson } from '../../src/core/model/summary';
import { type Truth, writeExamples } from '../../scripts/make-examples';

// The example folder is the demo's and the integration tests' input: every run in it must be read with the right
// format, scale and point counts. TRUTH.json (written by the generator) is the reference, not this file.
const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const RESULTS = join(EXAMPLES, 'results');
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
      assert.equal(
        found.length,
        1,
        `expected one run in ${t.dir}, found ${found.length}: ${found.map((r) => `${r.id} [${r.format}]`).join(', ') || 'none'}`,
      );
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
    assert.deepEqual(
      stray.map((r) => `${r.id} [${r.format}]`),
      [],
      'runs found that TRUTH.json does not list',
    );
    assert.deepEqual(catalog.diagnostics(), [], 'the example folder is clean input');
  });
});

describe('`scaling-lens runs examples/ --json`', () => {
  let doc: { runs: RunSummaryJson[]; diagnostics: DiagnosticJson[] };
  before(async () => {
    let text = '';
    const code = await runsCommand([EXAMPLES, '--json'], (s) => (text += s));
    assert.equal(code, 0);
    doc = JSON.parse(text) as typeof doc;
  });

  test('lists every example run once, with N, D, C, provenance and point counts as TRUTH.json says', () => {
    assert.equal(doc.runs.length, truth.runs.length, doc.runs.map((r) => r.id).join(', '));
    assert.deepEqual(doc.diagnostics, []);
    for (const t of truth.runs) {
      const found = doc.runs.filter(
        (r) => r.files.length > 0 && r.files.every((f) => f.startsWith(join(RESULTS, t.dir) + sep)),
      );
      assert.equal(found.length, 1, t.dir);
      const r = found[0];
      assert.equal(r.format, t.format);
      assert.ok(r.id.startsWith('results/'), r.id);
      within(r.N ?? undefined, t.N, 0.01, `N of ${r.id}`);
      within(r.D ?? undefined, t.D, 0.01, `D of ${r.id}`);
      within(r.C ?? undefined, t.C, 0.01, `C of ${r.id}`);
      for (const k of ['N', 'D', 'C'] as const)
        assert.ok(r.provenance[k] && r.provenance[k].length > 2, `${r.id}: provenance of ${k}`);
      for (const [name, count] of Object.entries(t.metrics)) {
        assert.equal(r.metrics[name].count, count, `${r.id}: ${name}`);
        assert.ok(r.metrics[name].last && Number.isFinite(r.metrics[name].last.value), `${r.id}: last of ${name}`);
      }
    }
  });

  test('the sweep can identify a Chinchilla fit: N, D and C each span over 1.5 decades, N and D not collinear', () => {
    const decades = (xs: number[]) => Math.log10(Math.max(...xs) / Math.min(...xs));
    for (const k of ['N', 'D', 'C'] as const)
      assert.ok(
        decades(truth.runs.map((t) => t[k])) >= 1.5,
        `${k} spans ${decades(truth.runs.map((t) => t[k])).toFixed(2)} decades`,
      );
    const x = truth.runs.map((t) => Math.log(t.N));
    const y = truth.runs.map((t) => Math.log(t.D));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const mx = mean(x);
    const my = mean(y);
    const cov = x.reduce((a, xi, i) => a + (xi - mx) * (y[i] - my), 0);
    const r = cov / Math.sqrt(x.reduce((a, xi) => a + (xi - mx) ** 2, 0) * y.reduce((a, yi) => a + (yi - my) ** 2, 0));
    assert.ok(Math.abs(r) < 0.95, `log N and log D correlate at ${r.toFixed(3)}: alpha and beta would not separate`);
    assert.ok(new Set(truth.runs.map((t) => t.D / t.N)).size >= 3, 'several tokens-per-parameter ratios');
  });

  test('the configs for the hover feature are there and parse: HF config.json, Megatron YAML, nanoGPT Python', () => {
    const cfg = JSON.parse(readFileSync(join(EXAMPLES, 'configs', 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(cfg.model_type, 'llama');
    const mega = parseConfigYaml(readFileSync(join(EXAMPLES, 'configs', 'megatron_gpt_1.3b.yaml'), 'utf8')) as {
      model: Record<string, unknown>;
    };
    assert.equal(mega.model.hidden_size, 2048);
    assert.match(readFileSync(join(EXAMPLES, 'configs', 'train_gpt2.py'), 'utf8'), /^n_embd = 768$/m);
  });
});

describe('examples generator', () => {
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'sl-examples-'));
  });
  after(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  test('the committed folder is what `npm run examples` writes (byte for byte)', () => {
    writeExamples(tmp);
    const want = files(tmp);
    assert.deepEqual(files(RESULTS), want, 'file list differs: run `npm run examples`');
    for (const f of want)
      assert.ok(
        readFileSync(join(RESULTS, f)).equals(readFileSync(join(tmp, f))),
        `${f} differs: run \`npm run examples\``,
      );
  });

  test('the folder stays small', () => {
    const total = files(RESULTS).reduce((a, f) => a + statSync(join(RESULTS, f)).size, 0);
    assert.ok(total < 2 * 1024 * 1024, `examples/results is ${total} bytes`);
    const configs = files(join(EXAMPLES, 'configs')).reduce(
      (a, f) => a + statSync(join(EXAMPLES, 'configs', f)).size,
      0,
    );
    assert.ok(total + configs < 5 * 1024 * 1024, `examples/ is ${total + configs} bytes`);
  });

  test('losses follow the stated law within the stated noise', () => {
    const { E, A, B, alpha, beta } = truth.law;
    for (const t of truth.runs) {
      const law = E + A / t.N ** alpha + B / t.D ** beta;
      assert.ok(Math.abs(law - t.law_loss_final) < 1e-5, t.dir);
      // 1% noise: the last eval loss lies within 5 sigma of the law
      assert.ok(
        Math.abs(t.eval_loss_final / law - 1) < 5 * truth.noise.sigma,
        `${t.dir}: ${t.eval_loss_final} vs ${law}`,
      );
      assert.equal(t.C, 6 * t.N * t.D, t.dir);
    }
    assert.ok(new Set(truth.runs.map((t) => t.format)).size >= 5, 'several formats');
    assert.ok(new Set(truth.runs.map((t) => t.N)).size >= 4, 'several sizes');
  });
});
