// The panel controller with a fake webview: invalid messages are logged and ignored, options persist and come
// back validated, image renders are answered by request id, and closing the panel rejects what is pending.
import '../../../support/vscode/register';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { datasetFromRuns } from '../../../../src/core/fit/dataset';
import { fitDataset } from '../../../../src/core/fit/engine';
import { INITIAL_STATE_ID, type HostMessage, type PanelState } from '../../../../src/contract/panel';
import { CURVES_PENDING } from '../../../../src/core/view/firstPaint';
import type { CurveInput, PanelInput } from '../../../../src/core/view/types';
import { ScalingPanelController } from '../../../../src/extension/panel/controller';
import { chinchillaRuns } from '../../../support/chinchillaRuns';
import { fake, FakeMemento, recorded, Uri, window } from '../../../support/vscode/fake';

const dataset = datasetFromRuns(chinchillaRuns(), { x: ['N', 'D'] }).dataset;
const fit = fitDataset(dataset, { law: 'chinchilla', bootstrap: 0 });

/** Learning curves long enough that a new page gets them in a second message (core/view/firstPaint.ts). */
function longCurves(): CurveInput[] {
  return Array.from({ length: 12 }, (_, r) => {
    const step = Float64Array.from({ length: 2_000 }, (_, i) => (i + 1) * 10);
    const tokens = Float64Array.from(step, (x) => x * 1e5);
    const value = Float64Array.from(tokens, (t) => 2 + 400 / (1e7 * (r + 1)) ** 0.34 + 1200 / t ** 0.3);
    return { runId: `run-${r}`, metric: 'loss', step, tokens, value, N: 1e7 * (r + 1) };
  });
}

function controller(memento = new FakeMemento(), curves?: CurveInput[]) {
  const log: string[] = [];
  const c = new ScalingPanelController({
    extensionUri: Uri.file('/ext') as unknown as vscode.Uri,
    memento: memento,
    log: { info: (m) => log.push(m), warn: (m) => log.push(`warn: ${m}`), error: (m) => log.push(`error: ${m}`) },
    provideInput: () => ({ fit, dataset, curves }),
  });
  return { c, log, memento };
}

/** A controller that counts how often it asks for its input (each ask is a build). */
function counting(input: PanelInput) {
  let asked = 0;
  const c = new ScalingPanelController({
    extensionUri: Uri.file('/ext') as unknown as vscode.Uri,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    provideInput: () => {
      asked++;
      return input;
    },
  });
  return { c, asked: () => asked };
}

const posted = (type: string) => recorded.posted.filter((m) => (m as { type: string }).type === type);

describe('ScalingPanelController', () => {
  afterEach(() => {
    fake.reset();
  });

  it('logs and ignores a message that breaks the contract', () => {
    const { c, log } = controller();
    c.show();
    fake.receive?.({ type: 'ready' });
    fake.receive?.({ type: 'togglePoint', runId: 3 });
    fake.receive?.({ type: 'exec', command: 'rm -rf /' });
    assert.equal(log.filter((l) => l.startsWith('warn: panel: ignored an invalid message')).length, 2);
    c.dispose();
  });

  it('posts the state after ready, and keeps view options across sessions through the memento', () => {
    const first = controller();
    first.c.show();
    assert.equal(posted('state').length, 0, 'nothing is posted before the webview says it is ready');
    fake.receive?.({ type: 'ready' });
    assert.equal(posted('state').length, 1);
    fake.receive?.({ type: 'setOptions', options: { smoothing: 0.5, curveX: 'step' } });
    first.c.dispose();
    const second = controller(first.memento);
    assert.equal(second.c.currentOptions().smoothing, 0.5);
    assert.equal(second.c.currentOptions().curveX, 'step');
    second.c.dispose();
  });

  it('sends a new page large learning curves once it drew the state, and before anything newer', async () => {
    const { c } = controller(new FakeMemento(), longCurves());
    c.show();
    fake.receive?.({ type: 'ready' });
    const [state] = posted('state') as Extract<HostMessage, { type: 'state' }>[];
    assert.deepEqual(state.state.charts.curves, { available: false, reason: CURVES_PENDING });
    assert.equal(posted('delta').length, 0, 'the curves do not travel with the state');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(posted('delta').length, 0, 'nor while the page draws it');
    fake.receive?.({ type: 'drawn' });
    const [delta] = posted('delta') as Extract<HostMessage, { type: 'delta' }>[];
    assert.equal(delta.base, state.state.builtAt);
    assert.deepEqual(
      delta.changes.map((ch) => [ch.type, 'chart' in ch ? ch.chart : '']),
      [['chartReplaced', 'curves']],
    );

    fake.receive?.({ type: 'ready' }); // a reloaded page: the state again, its curves pending again
    assert.equal(posted('state').length, 2);
    c.invalidate();
    c.flush(); // nothing changed: the curves still wait for the page to draw
    assert.equal(posted('delta').length, 1);
    // Something changed before the curves went out: they go first, at once, then the newer state.
    fake.receive?.({ type: 'setOptions', options: { smoothing: 0.3 } });
    assert.deepEqual(
      recorded.posted.slice(-2).map((m) => (m as { type: string }).type),
      ['delta', 'state'],
    );
    c.dispose();
  });

  it('puts a state already built in a new page’s HTML, and sends that page only what completes it', async () => {
    const { c } = controller(new FakeMemento(), longCurves());
    const first = window.createWebviewPanel() as vscode.WebviewPanel;
    c.restore(first);
    assert.doesNotMatch(first.webview.html, /application\/json/, 'nothing built yet: the page asks for its state');
    await new Promise((r) => setTimeout(r, 0));
    fake.receive?.({ type: 'ready' });
    fake.receive?.({ type: 'drawn' });
    first.dispose();
    recorded.posted = [];

    const second = window.createWebviewPanel() as vscode.WebviewPanel;
    c.restore(second);
    const block = new RegExp(`id="${INITIAL_STATE_ID}">([^<]*)<`).exec(second.webview.html);
    assert.ok(block, 'the reopened page carries the state built for the first');
    const carried = JSON.parse(block[1]) as PanelState;
    assert.deepEqual(carried.charts.curves, { available: false, reason: CURVES_PENDING }, 'its light half');
    assert.equal(carried.charts.scaling.available, true);
    fake.receive?.({ type: 'ready', holds: carried.builtAt });
    assert.equal(posted('state').length, 0, 'no state for a page that holds it');
    fake.receive?.({ type: 'drawn' });
    const [delta] = posted('delta') as Extract<HostMessage, { type: 'delta' }>[];
    assert.equal(delta.base, carried.builtAt);
    assert.deepEqual(
      delta.changes.map((ch) => [ch.type, 'chart' in ch ? ch.chart : '']),
      [['chartReplaced', 'curves']],
    );
    // A page that holds anything else (it resynchronises, or names another state) gets the whole state.
    fake.receive?.({ type: 'ready', holds: carried.builtAt - 1 });
    fake.receive?.({ type: 'ready' });
    assert.equal(posted('state').length, 2);
    c.dispose();
  });

  it('builds no state ahead for a page that opens while a fit runs; its ready gets one with the progress', async () => {
    const { c, asked } = counting({ dataset });
    c.setStatus({ kind: 'fitting', message: 'fitting auto 10%' });
    c.show();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(asked(), 0, 'nothing built while the page loads beside the fit');
    fake.receive?.({ type: 'ready' });
    const [state] = posted('state') as Extract<HostMessage, { type: 'state' }>[];
    assert.deepEqual(state.state.status, { kind: 'fitting', message: 'fitting auto 10%' });
    c.dispose();
  });

  it('reads damaged saved options as the defaults', () => {
    const memento = new FakeMemento();
    void memento.update('scalingLens.panel.options', { smoothing: 'a lot', axes: 7 });
    const { c } = controller(memento);
    assert.equal(c.currentOptions().smoothing, controller().c.currentOptions().smoothing);
    c.dispose();
  });

  it('answers an image render by its request id, and rejects it when the panel closes', async () => {
    const { c } = controller();
    c.show();
    fake.receive?.({ type: 'ready' });
    const svg = c.renderImage('scaling', 'svg');
    await new Promise((r) => setImmediate(r)); // renderImage posts once the webview is known to be ready
    const request = posted('renderImage')[0] as { requestId: number };
    fake.receive?.({ type: 'image', requestId: request.requestId, ok: true, format: 'svg', data: '<svg/>' });
    assert.equal(await svg, '<svg/>');
    const pending = c.renderImage('scaling', 'png');
    await new Promise((r) => setImmediate(r));
    assert.equal(posted('renderImage').length, 2);
    c.dispose();
    await assert.rejects(pending, /closed/);
  });

  it('rejects an image render with a clear error when the panel closes before its page loads', async () => {
    const { c } = controller();
    // A panel the user closes: restored (as after a window reload), never ready, then closed.
    const panel = window.createWebviewPanel() as vscode.WebviewPanel;
    c.restore(panel);
    const pending = c.renderImage('scaling', 'svg');
    let settled = false;
    void pending.catch(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'waiting for the page to say ready');
    assert.equal(posted('renderImage').length, 0, 'nothing is posted to a page that is not listening');
    panel.dispose();
    await assert.rejects(pending, /scaling plot was not exported: the Scaling panel was closed before its page loaded/);
    assert.equal(c.isOpen, false);
    c.dispose();
  });

  it('sets the page first and builds the state on the next turn, ready before the page asks', async () => {
    const { c, asked } = counting({ fit, dataset });
    const panel = window.createWebviewPanel() as vscode.WebviewPanel;
    c.restore(panel);
    assert.match(panel.webview.html, /Content-Security-Policy/, 'the page is set at once');
    assert.equal(asked(), 0, 'the state is not built in the same turn (it would hold the page back)');
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(asked(), 1, 'built ahead while the page loads');
    fake.receive?.({ type: 'ready' });
    assert.equal(posted('state').length, 1, 'the answer to ready is the state built ahead');
    assert.equal(asked(), 1);
    c.dispose();
  });
});
