import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FitDataset, FitResult } from '../../../src/contract/fit';
import { inlineSpec, PLOT_MARKER, plotFormat, renderSvg, writePlot } from '../../../src/core/plot/render';
import { scalingSpec } from '../../../src/core/plot/scalingSpec';

const truth = { A: 40, alpha: 0.05 };
const Cs = [1e18, 3e18, 1e19, 3e19, 1e20, 3e20];
const data: FitDataset = {
  points: Cs.map((C, i) => ({ x: { C }, y: truth.A * C ** -truth.alpha * (1 + 0.01 * Math.sin(i)), runId: `run${i}` })),
  xNames: ['C'],
  yName: 'val_loss',
  definitions: { C: '6ND' },
};
const base = (over: Partial<FitResult> = {}): FitResult => ({
  law: 'power',
  formula: 'y = A * x^(-alpha)',
  latex: '',
  params: { A: { value: 40, ci95: [38, 42] }, alpha: { value: 0.05, ci95: [0.048, 0.052] } },
  objective: 1e-4,
  nPoints: 6,
  nRuns: 6,
  metrics: { rmseLog: 0.01, r2: 0.99, aic: -50, bic: -49 },
  warnings: [],
  elapsedMs: 5,
  diagnostics: { starts: 1, startsReachingBest: 1, atBounds: [] },
  domain: { C: [1e18, 3e20] },
  options: { loss: 'huber', delta: 1e-3, space: 'log', bootstrap: 3, holdout: 1 },
  variables: ['C'],
  draws: [
    { A: 38, alpha: 0.048 },
    { A: 40, alpha: 0.05 },
    { A: 42, alpha: 0.052 },
  ],
  holdout: {
    areMean: 0.01,
    points: [{ runId: 'run5', x: { C: 3e20 }, y: data.points[5].y, predicted: 4.3, are: 0.01 }],
  },
  ...over,
});

test('spec: points, a solid fitted line across the data, a dashed extrapolation to the target, a band, held-out marked', () => {
  const plot = scalingSpec(base(), data, { target: 1e22 });
  const { points, curve, band } = plot.data;
  assert.equal(points.length, 6);
  assert.deepEqual(
    points.map((p) => p.role),
    ['fitted', 'fitted', 'fitted', 'fitted', 'fitted', 'held out'],
  );
  const fit = curve.filter((r) => r.segment === 'fit');
  const ext = curve.filter((r) => r.segment === 'extrapolation');
  assert.equal(fit[0].x, 1e18);
  assert.equal(fit[fit.length - 1].x, 3e20);
  assert.equal(ext[ext.length - 1].x, 1e22);
  for (const r of curve) assert.ok(Math.abs((r.y as number) / (40 * (r.x as number) ** -0.05) - 1) < 1e-12);
  assert.equal(band.length, curve.length);
  for (const b of band) assert.ok((b.lo as number) <= (b.hi as number));
  assert.equal(plot.spec.usermeta?.generator, 'scaling-lens');
  assert.deepEqual(
    plot.spec.layer.map((l) => l.name),
    ['band', 'curve', 'points'],
  );
  assert.match(plot.description, /val_loss vs C/);
  // Pure data: the whole spec survives JSON (what the webview receives).
  assert.deepEqual(JSON.parse(JSON.stringify(inlineSpec(plot))), inlineSpec(plot));
});

test('spec without bootstrap has no band layer; a variable the fit lacks is refused', () => {
  const plot = scalingSpec(base({ draws: undefined, holdout: undefined }), data);
  assert.equal(plot.data.band.length, 0);
  assert.deepEqual(
    plot.spec.layer.map((l) => l.name),
    ['curve', 'points'],
  );
  assert.throws(() => scalingSpec(base(), data, { x: 'N' }), /cannot plot against "N": the fit's variables are C/);
});

test('chinchilla fits plot loss against C = 6ND with the compute-optimal curve; other views one curve per level', () => {
  const pts = [1e7, 1e8, 1e9].flatMap((N) =>
    [20, 80].map((tpp) => ({
      x: { N, D: N * tpp },
      y: 1.8 + 400 / N ** 0.34 + 1200 / (N * tpp) ** 0.3,
      runId: `${N}-${tpp}`,
    })),
  );
  const d: FitDataset = { points: pts, xNames: ['N', 'D'], yName: 'loss', definitions: {} };
  const fit = base({
    law: 'chinchilla',
    formula: 'L = E + A / N^alpha + B / D^beta',
    params: { E: { value: 1.8 }, A: { value: 400 }, B: { value: 1200 }, alpha: { value: 0.34 }, beta: { value: 0.3 } },
    variables: ['N', 'D'],
    draws: undefined,
    holdout: undefined,
    domain: { N: [1e7, 1e9], D: [2e8, 8e10] },
  });
  const opt = scalingSpec(fit, d);
  assert.match(opt.description, /compute-optimal/);
  assert.equal(opt.data.points[0].x, 6 * 1e7 * 2e8);
  // Every point lies on or above the compute-optimal curve (it is the lowest loss at each C).
  for (const p of opt.data.points) {
    const near = opt.data.curve.reduce((a, b) =>
      Math.abs(Math.log((b.x as number) / (p.x as number))) < Math.abs(Math.log((a.x as number) / (p.x as number)))
        ? b
        : a,
    );
    assert.ok((p.y as number) >= (near.y as number) - 0.05, `point ${p.run} below the frontier`);
  }
  const byN = scalingSpec(fit, d, { x: 'N' });
  assert.deepEqual(
    [...new Set(byN.data.curve.map((r) => r.series))],
    ['D=2e+8', 'D=8e+8', 'D=8e+9', 'D=2e+10', 'D=8e+10'],
    'six D levels thinned to five, ends kept',
  );
});

test('vl.json is a Vega-Lite spec that compiles; SVG renders headless and is well-formed', async () => {
  const vl = await import('vega-lite');
  const plot = scalingSpec(base(), data);
  const compiled = vl.compile(inlineSpec(plot)).spec;
  assert.ok(Array.isArray(compiled.marks) && compiled.marks.length >= 3);
  const svg = await renderSvg(plot);
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.includes(PLOT_MARKER));
  assertWellFormed(svg);
  assert.ok((svg.match(/<path/g) ?? []).length > 6, 'marks are drawn');
  assert.match(svg, /stroke-dasharray="6,4"/, 'the extrapolation is dashed');
});

test('writePlot picks the format from the file name and writes each one', async () => {
  assert.equal(plotFormat('a/fit.VL.json'), 'vl.json');
  assert.equal(plotFormat('fit.png'), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'sl-plot-'));
  try {
    const plot = scalingSpec(base(), data);
    for (const name of ['p.svg', 'p.html', 'p.vl.json']) await writePlot(join(dir, name), plot);
    assertWellFormed(readFileSync(join(dir, 'p.svg'), 'utf8'));
    const html = readFileSync(join(dir, 'p.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes('<svg') && !html.includes('<script'), 'standalone page without scripts');
    const spec = JSON.parse(readFileSync(join(dir, 'p.vl.json'), 'utf8')) as {
      $schema: string;
      datasets: { points: unknown[] };
    };
    assert.match(spec.$schema, /vega-lite/);
    assert.equal(spec.datasets.points.length, 6);
    await assert.rejects(writePlot(join(dir, 'p.png'), plot), /unknown plot format/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Tags balance and attributes are quoted: enough to catch a truncated or mangled SVG without a DOM. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|<!--[\s\S]*?-->/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(xml))) {
    assert.ok(
      !xml.slice(last, m.index).includes('<'),
      `malformed markup near offset ${last}: ${xml.slice(last, last + 60)}`,
    );
    last = re.lastIndex;
    if (!m[2]) continue;
    if (m[1]) assert.equal(stack.pop(), m[2], `unbalanced </${m[2]}>`);
    else if (!m[4]) stack.push(m[2]);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
}

test('a dataflow error while rendering fails the render instead of writing a half-drawn SVG', async () => {
  const plot = {
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 100,
      height: 100,
      layer: [
        {
          data: { name: 'points' },
          mark: { type: 'point' as const },
          encoding: {
            x: { field: 'x', type: 'quantitative' as const },
            y: { field: 'y', type: 'quantitative' as const },
            color: {
              field: 'z',
              type: 'quantitative' as const,
              scale: { type: 'log' as const, scheme: 'viridis' as const },
            },
          },
        },
      ],
    },
    data: {
      points: [
        { x: 1, y: 1, z: -1 },
        { x: 2, y: 2, z: 0.5 },
      ],
      curve: [],
      band: [],
    },
    description: 'a log colour scale over a negative value',
  };
  await assert.rejects(renderSvg(plot), /rendering the plot failed/);
});
