import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ARTIFACT_KIND,
  artifactProblems,
  artifactText,
  readArtifact,
  toArtifact,
} from '../../../src/core/fit/artifact';
import type { FitDataset, FitResult } from '../../../src/contract/fit';
import { writeFileAtomic } from '../../../src/core/util/atomicWrite';

const dataset: FitDataset = {
  points: [
    { x: { N: 1e8, D: 2e9 }, y: 3.1, runId: 'r1', step: 100 },
    { x: { N: 1e9, D: 2e10 }, y: 2.6, runId: 'r2' },
  ],
  xNames: ['N', 'D'],
  yName: 'val_loss',
  definitions: { N: 'non-embedding parameters', D: 'tokens seen' },
};

const result: FitResult = {
  law: 'chinchilla',
  formula: 'L = E + A / N^alpha + B / D^beta',
  latex: '',
  params: {
    E: { value: 1.8, ci95: [1.7, 1.9] },
    A: { value: 400 },
    B: { value: 1200 },
    alpha: { value: 0.34 },
    beta: { value: 0.3 },
  },
  objective: 1e-5,
  nPoints: 2,
  nRuns: 2,
  metrics: { rmseLog: 0.01, r2: 0.99, aic: -10, bic: -9 },
  computeOptimal: { a: 0.47, b: 0.53, G: 0.3 },
  warnings: ['only 2 distinct values of N'],
  elapsedMs: 12,
  diagnostics: { starts: 10, startsReachingBest: 9, atBounds: [] },
  domain: { N: [1e8, 1e9], D: [2e9, 2e10] },
  options: { loss: 'huber', delta: 1e-3, space: 'log', bootstrap: 0, holdout: 0 },
};

test('the artifact holds the result, the provenance of every point and the engine version; it reads back equal', () => {
  const a = toArtifact(result, dataset, new Date('2026-01-02T03:04:05Z'));
  assert.equal(a.kind, ARTIFACT_KIND);
  assert.match(a.engineVersion, /^\d+\.\d+\.\d+/);
  assert.equal(a.created, '2026-01-02T03:04:05.000Z');
  assert.deepEqual(a.data.runs, ['r1', 'r2']);
  assert.deepEqual(a.data.points[0], { runId: 'r1', step: 100, x: { N: 1e8, D: 2e9 }, y: 3.1 });
  assert.deepEqual(a.data.points[1], { runId: 'r2', x: { N: 1e9, D: 2e10 }, y: 2.6 });
  assert.deepEqual(a.data.definitions, dataset.definitions);
  const dir = mkdtempSync(join(tmpdir(), 'sl-artifact-'));
  try {
    const file = join(dir, 'fit.json');
    writeFileAtomic(file, artifactText(a));
    assert.deepEqual(readArtifact(file), a);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.endsWith('}\n'));
    // The file keeps its documented snake_case keys (older artifacts load; users read them), in the engine's order.
    const onDisk = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(onDisk).slice(0, 3), ['kind', 'engine_version', 'created']);
    for (const k of ['n_points', 'n_runs', 'elapsed_ms']) assert.ok(k in onDisk, k);
    assert.ok(!('nPoints' in onDisk) && !('engineVersion' in onDisk));
    assert.deepEqual(Object.keys(onDisk.metrics as object), ['rmse_log', 'r2', 'aic', 'bic']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('invalid artifacts: each problem is named, with the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-artifact-'));
  try {
    const bad = join(dir, 'bad.json');
    assert.throws(() => readArtifact(join(dir, 'missing.json')), /missing\.json: no such file/);
    writeFileSync(bad, '{"kind": "scaling-lens-fit", ');
    assert.throws(() => readArtifact(bad), /bad\.json: not valid JSON/);
    writeFileSync(bad, '{"law": "chinchilla"}');
    assert.throws(
      () => readArtifact(bad),
      /bad\.json: is not a Scaling Lens fit artifact \("kind" is null.*--out fit\.json/,
    );
    const doc = JSON.parse(artifactText(toArtifact(result, dataset))) as {
      law: string;
      params: Record<string, unknown>;
      data: { points?: unknown };
    };
    doc.law = 'chinchila';
    doc.params.alpha = { value: 'x' };
    delete doc.data.points;
    writeFileSync(bad, JSON.stringify(doc));
    assert.throws(
      () => readArtifact(bad),
      (e: Error) => {
        assert.match(e.message, /bad\.json: invalid fit artifact:/);
        assert.match(e.message, /"law" must be one of/);
        assert.match(e.message, /"params\.alpha\.value" must be a number/);
        assert.match(e.message, /"data\.points" must be a list/);
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('NaN written as null (JSON) does not break an artifact; a ci95 that is not a pair does', () => {
  const doc = JSON.parse(artifactText(toArtifact({ ...result, domain: { N: [NaN, 1] } }, dataset))) as {
    params: Record<string, { ci95?: number[] }>;
  };
  assert.deepEqual(artifactProblems(doc), []);
  doc.params.E.ci95 = [1];
  assert.deepEqual(artifactProblems(doc), ['"params.E.ci95" must be [low, high]']);
});
