// The Plan view's host state with a fake worker client: running → ready/error, supersede, stale after a new fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlanResult } from '../../../../src/contract/plan';
import type { PlanJobRequest } from '../../../../src/contract/worker';
import { PanelPlanner } from '../../../../src/extension/panel/planRequest';
import { FitJobError } from '../../../../src/worker/fitClient';
import { chinchillaFit } from '../../view/fixtures';

function fakeClient() {
  const calls: {
    C: number | undefined;
    request: PlanJobRequest;
    resolve: (r: PlanResult) => void;
    reject: (e: Error) => void;
  }[] = [];
  const client = {
    plan: (_key: string, _artifact: unknown, request: PlanJobRequest) => {
      let resolve!: (r: PlanResult) => void, reject!: (e: Error) => void;
      const promise = new Promise<PlanResult>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      calls.push({ C: request.target.C, request, resolve, reject });
      return { id: calls.length, promise, cancel: () => undefined };
    },
  };
  return { client, calls };
}

const plan = (C: number): PlanResult => ({
  target: { C },
  objective: 'loss',
  budget: C / 100,
  estimate: 2,
  intervalNow: [1.9, 2.1],
  expectedInterval: [1.95, 2.05],
  proposals: [],
  alternatives: [],
  identifiable: true,
  warnings: [],
});

const tick = () => new Promise((r) => setImmediate(r));

/** A planner over the chinchilla fixture and no runs; refit() makes a new fit active. */
function planned() {
  const { fit, data } = chinchillaFit();
  let active = { result: fit, dataset: data };
  const { client, calls } = fakeClient();
  const planner = new PanelPlanner(
    client,
    { fit: () => active, runs: () => [] },
    () => undefined,
    () => undefined,
  );
  const refit = () => {
    active = { result: { ...fit }, dataset: data };
  };
  return { data, calls, planner, refit };
}

test('a request runs in the client, defaults to 100× the largest run, and its answer becomes the state', async () => {
  const { fit, data } = chinchillaFit();
  let active = { result: fit, dataset: data };
  const { client, calls } = fakeClient();
  let changes = 0;
  const runs = [{ N: { value: 1e8 }, config: { d_model: 512, n_layers: 8 } }];
  const planner = new PanelPlanner(
    client,
    { fit: () => active, runs: () => runs as never },
    () => changes++,
    () => undefined,
  );
  assert.equal(planner.input().status, 'idle');
  planner.request({});
  const largest = Math.max(...data.points.map((p) => 6 * p.x.N * p.x.D));
  assert.equal(calls[0].C, 100 * largest);
  assert.deepEqual(calls[0].request, { target: { C: 100 * largest } }, 'the planner’s own defaults for the rest');
  assert.equal(planner.input().status, 'running');
  assert.deepEqual(planner.input().architectures, [{ N: 1e8, dModel: 512, nLayers: 8 }]);

  planner.request({ targetC: 1e22 }); // supersedes the first: its late answer is ignored
  calls[0].resolve(plan(1));
  calls[1].resolve(plan(1e22));
  await tick();
  const ready = planner.input();
  assert.equal(ready.status, 'ready');
  assert.equal(ready.targetC, 1e22);
  assert.equal(ready.result?.target.C, 1e22);
  assert.equal(changes, 3, 'two requests and one answer');

  planner.request({ targetC: 1e23 });
  calls[2].reject(new FitJobError('fit-error', 'planning needs the fit’s bootstrap draws'));
  await tick();
  assert.equal(planner.input().status, 'error');
  assert.match(planner.input().error ?? '', /bootstrap/);

  active = { result: { ...fit }, dataset: data }; // a new fit: the old plan is stale, the typed target stays
  assert.deepEqual({ ...planner.input(), architectures: [] }, { status: 'idle', targetC: 1e23, architectures: [] });
});

test('targetC is what the Plan view plans for: the typed target, else the finished default plan’s, for this fit only', async () => {
  const { calls, planner, refit } = planned();
  assert.equal(planner.targetC(), undefined, 'nothing planned, nothing typed');
  planner.request({});
  assert.equal(planner.targetC(), undefined, 'the default target is not known to the hover until the plan is back');
  calls[0].resolve(plan(calls[0].C ?? NaN));
  await tick();
  assert.equal(planner.targetC(), calls[0].C);

  refit(); // a new fit: its plan is gone, and with it the default target
  assert.equal(planner.targetC(), undefined);

  planner.request({ targetC: 3e23 });
  assert.equal(planner.targetC(), 3e23, 'a typed target counts at once');
  refit();
  assert.equal(planner.targetC(), 3e23, 'and survives a new fit');
});

test('the budget, objective and max runs reach the worker’s job, are kept across a new fit, and a request replaces them', async () => {
  const { data, calls, planner, refit } = planned();
  const choice = { targetC: 1e22, budget: 3e20, objective: 'tokens_per_param', maxRuns: 5 } as const;
  planner.request(choice);
  assert.deepEqual(calls[0].request, { target: { C: 1e22 }, budget: 3e20, objective: 'tokens_per_param', maxRuns: 5 });
  const running = planner.input();
  assert.deepEqual(
    [running.status, running.budget, running.objective, running.maxRuns],
    ['running', 3e20, 'tokens_per_param', 5],
  );
  calls[0].resolve({ ...plan(1e22), objective: 'tokens_per_param', budget: 3e20 });
  await tick();
  assert.equal(planner.input().status, 'ready');
  assert.equal(planner.input().maxRuns, 5);

  refit(); // a new fit: the plan is dropped, the choices stay
  assert.deepEqual({ ...planner.input(), architectures: [] }, { status: 'idle', ...choice, architectures: [] });

  planner.request({ objective: 'n_opt' }); // each request says all the user chose: the others are defaults again
  const largest = Math.max(...data.points.map((p) => 6 * p.x.N * p.x.D));
  assert.deepEqual(calls[1].request, { target: { C: 100 * largest }, objective: 'n_opt' });
  const next = planner.input();
  assert.deepEqual(
    [next.targetC, next.budget, next.objective, next.maxRuns],
    [undefined, undefined, 'n_opt', undefined],
  );
});
