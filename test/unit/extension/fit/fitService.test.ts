// FitService with the real worker and a fake vscode: fits, the stored spec read back as untrusted input, excluded
// runs and points, the context keys the menus use.
import '../../../support/vscode/register';
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { pointKey } from '../../../../src/extension/fit/fitService';
import { FitClient } from '../../../../src/worker/fitClient';
import { fitWorkerScript } from '../../../support/fitWorkerBundle';
import { makeFitService } from '../../../support/vscode/hosts';
import { fake, recorded } from '../../../support/vscode/fake';

const spec = {
  selection: { x: ['N', 'D'], checkpoints: false },
  options: { law: 'chinchilla' as const, bootstrap: 0, holdout: 0 },
};

describe('FitService', () => {
  const client = new FitClient({ script: fitWorkerScript() });
  after(() => {
    client.dispose();
  });
  afterEach(() => {
    fake.reset();
  });

  it('fits in the worker, keeps the spec and sets the context keys', async () => {
    const { fits } = makeFitService(client);
    const outcome = await fits.fit(spec, { interactive: false });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    assert.equal(outcome.fit.result.nPoints, 16);
    assert.deepEqual(fits.spec(), spec);
    assert.equal(recorded.context.get('scalingLens.hasFit'), true);
    assert.equal(recorded.context.get('scalingLens.fitRunning'), false);
  });

  it('reads a damaged stored spec as no spec, and never passes it to the engine', () => {
    const { fits, state } = makeFitService(client);
    void state.update('scalingLens.fitSpec', { selection: { x: 'N' }, options: { law: 'eval("x")' } });
    assert.equal(fits.spec(), undefined);
    void state.update('scalingLens.excludedRuns', ['run01', 7, { id: 'run02' }]);
    assert.deepEqual([...fits.excludedRuns()], ['run01']);
  });

  it('leaves excluded runs out of the fit', async () => {
    const { fits } = makeFitService(client);
    await fits.setExcluded('run03', true);
    const outcome = await fits.fit(spec, { interactive: false });
    assert.ok(outcome.ok);
    assert.equal(outcome.fit.result.nRuns, 15);
    assert.ok(!outcome.fit.dataset.points.some((p) => p.runId === 'run03'));
  });

  it('leaves an excluded point out, keeps its run, and hands the point back for drawing', async () => {
    const { fits } = makeFitService(client);
    const all = await fits.fit(
      { ...spec, selection: { ...spec.selection, checkpoints: true } },
      { interactive: false },
    );
    assert.ok(all.ok);
    const target = all.fit.dataset.points.find((p) => p.runId === 'run05');
    assert.ok(target, 'run05 has checkpoint points');
    await fits.setPointExcluded(target.runId, target.step, true);
    assert.ok(fits.excludedPointKeys().has(pointKey(target.runId, target.step)));
    const refit = await fits.fit(fits.spec() ?? spec, { interactive: false });
    assert.ok(refit.ok);
    assert.equal(refit.fit.dataset.points.length, all.fit.dataset.points.length - 1);
    assert.equal(refit.fit.result.nRuns, all.fit.result.nRuns, 'the run stays in the fit');
    assert.deepEqual(refit.fit.excludedPoints, [target]);
    await fits.setPointExcluded(target.runId, target.step, false);
    const back = await fits.fit(fits.spec() ?? spec, { interactive: false });
    assert.ok(back.ok);
    assert.equal(back.fit.dataset.points.length, all.fit.dataset.points.length);
  });

  it('reports data problems as a failed outcome, with a message for interactive fits', async () => {
    const { fits } = makeFitService(client);
    const outcome = await fits.fit(
      { ...spec, selection: { x: ['N', 'D'], y: 'no_such_metric' } },
      { interactive: true },
    );
    assert.ok(!outcome.ok);
    assert.equal(outcome.reason, 'data');
    assert.equal(recorded.messages.filter((m) => m.level === 'error').length, 1);
  });
});
