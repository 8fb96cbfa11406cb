/**
 * A hand-written chinchilla fit with the published Hoffmann et al. (2022) Approach-3 parameters
 * (E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28), a fitted domain of 70M–16B parameters and 5B–500B tokens,
 * and 40 deterministic bootstrap draws around the point estimate, so predictions carry a 95% interval.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FitArtifact, FitResult } from '../../../src/contract/fit';
import { analyseConfig, type ConfigAnalysis } from '../../../src/core/hover/index';

export const FIXTURES = resolve(__dirname, '../../fixtures/configs');

export function chinchillaFit(): FitResult {
  const draws: Record<string, number>[] = [];
  for (let i = 0; i < 40; i++) {
    draws.push({
      E: 1.69 + 0.02 * Math.sin(i * 1.7),
      A: 406.4 * (1 + 0.05 * Math.cos(i * 0.9)),
      B: 410.7 * (1 + 0.05 * Math.sin(i * 1.3)),
      alpha: 0.34 + 0.004 * Math.cos(i * 2.1),
      beta: 0.28 + 0.004 * Math.sin(i * 0.7),
    });
  }
  return {
    law: 'chinchilla',
    formula: 'L = E + A / N^alpha + B / D^beta',
    latex: '',
    params: {
      E: { value: 1.69 },
      A: { value: 406.4 },
      B: { value: 410.7 },
      alpha: { value: 0.34 },
      beta: { value: 0.28 },
    },
    objective: 0.001,
    nPoints: 24,
    nRuns: 24,
    metrics: { rmseLog: 0.01, r2: 0.99, aic: -100, bic: -95 },
    warnings: [],
    elapsedMs: 12,
    diagnostics: { starts: 1600, startsReachingBest: 1500, atBounds: [] },
    domain: { N: [7e7, 1.6e10], D: [5e9, 5e11] },
    draws,
    options: { loss: 'huber', delta: 1e-3, space: 'log', bootstrap: 40, holdout: 0 },
    variables: ['N', 'D'],
  };
}

export function chinchillaArtifact(nDefinition = 'non-embedding parameters'): FitArtifact {
  const fit = chinchillaFit();
  return {
    ...fit,
    kind: 'scaling-lens-fit',
    engineVersion: '0.1.0',
    created: '2024-05-01T12:00:00.000Z',
    data: {
      xNames: ['N', 'D'],
      yName: 'val_loss',
      definitions: { N: nDefinition, D: 'tokens seen', C: '6ND' },
      runs: Array.from({ length: 24 }, (_, i) => `run${i}`),
      points: [],
    },
  };
}

export function fixturePath(rel: string): string {
  return resolve(FIXTURES, rel);
}

export function readFixture(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

export const diskReader = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** Analysis of a fixture file, read from disk (bases too). */
export function analyseFixture(rel: string, countEmbeddings = false): ConfigAnalysis {
  const a = analyseConfig(
    { text: readFixture(rel), fileName: fixturePath(rel) },
    { readFile: diskReader, settings: { countEmbeddings } },
  );
  if (!a) throw new Error(`${rel}: not a config format`);
  return a;
}

/** Analysis of an in-memory document. */
export function analyseText(text: string, fileName: string, files: Record<string, string> = {}): ConfigAnalysis {
  const a = analyseConfig({ text, fileName }, { readFile: (p) => files[p] });
  if (!a) throw new Error(`${fileName}: not a config format`);
  return a;
}
