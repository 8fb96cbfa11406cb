// The fit worker behind its client: results, supersede, cancel, timeout, crash and restart, bad data.
// The worker is bundled from its source (test/support/fitWorkerBundle.ts).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { FitDataset } from '../../../src/contract/fit';
import { toArtifact } from '../../../src/core/fit/artifact';
import { fitDataset } from '../../../src/core/fit/engine';
import { FitClient, FitJobError } from '../../../src/worker/fitClient';
import { fitWorkerScript } from '../../support/fitWorkerBundle';

const script = fitWorkerScript();
const truth = { E: 1.8, A: 400, B: 1200, alpha: 0.34, beta: 0.3 };

/** Chinchilla-form data on a 6×6 grid of N and D with 1% deterministic noise. */
function chinchillaData(runs = 36): FitDataset {
  const points = [];
  for (let i = 0; i < runs; i++) {
    const N = 1e7 * 10 ** ((i % 6) / 2);
    const D = 2e8 * 10 ** (Math.floor(i / 6) / 2.5);
    const L = truth.E + truth.A / N ** truth.alpha + truth.B / D ** truth.beta;
    points.push({ x: { N, D }, y: L * (1 + 0.01 * Math.sin(i * 12.9898)), runId: `run${i}` });
  }
  return { points, xNames: ['N', 'D'], yName: 'loss', definitions: { N: 'parameters', D: 'tokens' } };
}

const isFailure = (reason: string) => (e: unknown) => e instanceof FitJobError && e.reason === reason;

describe('FitClient and the fit worker', () => {
  const client = new FitClient({ script, killGraceMs: 1000 });
  after(() => {
    client.dispose();
  });

  it('fits in the worker and reports progress', async () => {
    const progress: number[] = [];
    const result = await client.fit('a', chinchillaData(), { law: 'chinchilla', bootstrap: 50, seed: 1 }, (f) =>
      progress.push(f),
    ).promise;
    assert.equal(result.law, 'chinchilla');
    assert.ok(Math.abs(result.params.alpha.value - truth.alpha) < 0.05, `alpha ${result.params.alpha.value}`);
    assert.ok(result.params.alpha.ci95, 'bootstrap intervals cross the thread boundary');
    assert.ok(progress.length > 0, 'progress messages arrive');
  });

  it('lets a newer request for the same key supersede the older one', async () => {
    const first = client.fit('k', chinchillaData(), { law: 'chinchilla', bootstrap: 400, seed: 1 });
    const second = client.fit('k', chinchillaData(), { law: 'chinchilla', bootstrap: 0, seed: 1 });
    await assert.rejects(first.promise, isFailure('superseded'));
    assert.equal((await second.promise).law, 'chinchilla');
  });

  it('cancels a running fit', async () => {
    const h = client.fit('c', chinchillaData(), { law: 'chinchilla', bootstrap: 5000, seed: 1 });
    setTimeout(() => {
      h.cancel();
    }, 300);
    await assert.rejects(h.promise, isFailure('cancelled'));
  });

  it('survives a worker crash mid-fit: the job fails with a clear message and the next fit works', async () => {
    const before = client.workersStarted;
    const h = client.fit('x', chinchillaData(), { law: 'chinchilla', bootstrap: 5000, seed: 1 });
    setTimeout(() => void client.terminateWorker(), 300);
    await assert.rejects(
      h.promise,
      (e: unknown) => isFailure('crash')(e) && /stopped unexpectedly/.test((e as Error).message),
    );
    const next = await client.fit('x', chinchillaData(), { law: 'chinchilla', bootstrap: 0, seed: 1 }).promise;
    assert.equal(next.law, 'chinchilla');
    assert.equal(client.workersStarted, before + 1, 'a fresh worker was started');
  });

  it('times out a fit that runs too long', async () => {
    const slow = new FitClient({ script, timeoutMs: 300, killGraceMs: 1000 });
    try {
      await assert.rejects(
        slow.fit('t', chinchillaData(), { law: 'chinchilla', bootstrap: 20000, seed: 1 }).promise,
        isFailure('timeout'),
      );
    } finally {
      slow.dispose();
    }
  });

  it('returns a fit error for unusable data instead of crashing', async () => {
    const data = chinchillaData(3);
    data.points[0].y = -1;
    await assert.rejects(
      client.fit('bad', data, { law: 'chinchilla', bootstrap: 0 }).promise,
      (e: unknown) => e instanceof FitJobError && e.reason === 'fit-error' && e.message.length > 10,
    );
    const ok = await client.fit('bad', chinchillaData(), { law: 'chinchilla', bootstrap: 0 }).promise;
    assert.equal(ok.law, 'chinchilla', 'the worker still fits after a fit error');
  });

  it('plans the next runs in the worker, and reports a planner error as a fit error', async () => {
    const data = chinchillaData();
    const artifact = toArtifact(fitDataset(data, { law: 'chinchilla', bootstrap: 40, seed: 1 }), data);
    const plan = await client.plan('plan', artifact, { target: { C: 1e22 }, maxRuns: 1 }).promise;
    assert.equal(plan.target.C, 1e22);
    assert.equal(plan.proposals.length, 1, 'one run asked for, one proposed');
    assert.ok(plan.intervalNow[0] < plan.intervalNow[1]);
    const noDraws = toArtifact(fitDataset(data, { law: 'chinchilla', bootstrap: 0, seed: 1 }), data);
    await assert.rejects(
      client.plan('plan', noDraws, { target: { C: 1e22 } }).promise,
      (e: unknown) => e instanceof FitJobError && e.reason === 'fit-error' && /bootstrap/.test(e.message),
    );
  });
});

describe('FitClient.warm', () => {
  it('starts the worker once ahead of the first job, which then runs on it; never after dispose', async () => {
    const logged: string[] = [];
    const client = new FitClient({ script, log: (m) => logged.push(m) });
    assert.equal(client.warm(), true, 'the first warm starts the worker');
    assert.equal(client.warm(), false, 'a second warm finds it running');
    const result = await client.fit('w', chinchillaData(), { law: 'chinchilla', bootstrap: 0, seed: 1 }).promise;
    assert.equal(result.law, 'chinchilla');
    assert.equal(client.warm(), false, 'the job ran on the warmed worker');
    assert.deepEqual(logged, [], 'no replacement worker was started');
    client.dispose();
    assert.equal(client.warm(), false, 'a disposed client starts nothing');
  });
});

describe('the worker warming up', () => {
  it('answers a job that arrives while it warms up, with the same result as the fit in this process', async () => {
    const client = new FitClient({ script });
    try {
      client.warm();
      // Long enough for the worker to load and be inside its warm-up fit, short of its end.
      await new Promise((r) => setTimeout(r, 400));
      const options = { law: 'auto' as const, bootstrap: 20, seed: 2 };
      const result = await client.fit('w', chinchillaData(), options).promise;
      assert.deepEqual({ ...result, elapsedMs: 0 }, { ...fitDataset(chinchillaData(), options), elapsedMs: 0 });
    } finally {
      client.dispose();
    }
  });
});
