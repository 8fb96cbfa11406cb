/**
 * Run-planner speed on a 50-run fit (issue 13; target: under 5 s): `planRuns` with its defaults (up to 3 runs,
 * 1% of the target compute as budget, expected intervals from 4 simulated worlds × 50 bootstrap resamples per
 * design) at C = 1e23, beside its same-run baseline: one 200-resample bootstrap fit of the same 50 runs, the fit the
 * plan starts from. 10 sizes (20M–2B parameters) × 5 ratios (5–80 tokens/param), 0.5% noise, chinchilla truth of
 * Besiroglu et al. 2024.
 */
import { performance } from 'node:perf_hooks';
import { toArtifact } from '../src/core/fit/artifact';
import { fitDataset } from '../src/core/fit/engine';
import { normal, rng } from '../src/core/fit/random';
import { planRuns } from '../src/core/plan/plan';
import type { FitDataset, FitPoint } from '../src/contract/fit';

const TARGET_PLAN_S = 5;
const TRUTH = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };

function fiftyRuns(): FitDataset {
  const z = normal(rng(13));
  const points: FitPoint[] = [];
  for (let i = 0; i < 10; i++) {
    const N = 2e7 * Math.pow(100, i / 9);
    for (const r of [5, 10, 20, 40, 80]) {
      const D = N * r;
      const L = TRUTH.E + TRUTH.A / Math.pow(N, TRUTH.alpha) + TRUTH.B / Math.pow(D, TRUTH.beta);
      points.push({ x: { N, D }, y: L * Math.exp(0.005 * z()), runId: `n${i}-r${r}` });
    }
  }
  return { points, xNames: ['N', 'D'], yName: 'loss', definitions: { N: 'parameters', D: 'tokens' } };
}

const seconds = (t0: number): number => Math.round(performance.now() - t0) / 1000;
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return Math.round((u.user + u.system) / 1000) / 1000;
};

export function run(): Promise<Record<string, unknown>> {
  const data = fiftyRuns();
  // CPU time beside wall time: on a shared 2-core machine the wall clock also measures the neighbours.
  let cpu = process.cpuUsage();
  let t = performance.now();
  const fit = fitDataset(data, { law: 'chinchilla', bootstrap: 200, seed: 1 });
  const fitS = seconds(t);
  const fitCpuS = cpuSeconds(cpu);
  const artifact = toArtifact(fit, data);
  cpu = process.cpuUsage();
  t = performance.now();
  const plan = planRuns(artifact, { target: { C: 1e23 } });
  const planS = seconds(t);
  const planCpuS = cpuSeconds(cpu);
  return Promise.resolve({
    problem: '50 runs (10 N × 5 tokens/param), chinchilla, 0.5% noise; plan at C=1e23, default budget and max runs',
    plan_time_s: planS,
    plan_cpu_s: planCpuS,
    target_plan_s: TARGET_PLAN_S,
    baseline_bootstrap_fit_200_s: fitS,
    baseline_bootstrap_fit_200_cpu_s: fitCpuS,
    designs_weighed: plan.alternatives.length,
    proposals: plan.proposals.map((p) => ({ N: p.N, tokensPerParam: p.tokensPerParam })),
    intervalNow: plan.intervalNow,
    expectedInterval: plan.expectedInterval,
    identifiable: plan.identifiable,
  });
}
