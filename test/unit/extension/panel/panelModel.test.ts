import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultViewOptions, type HostMessage } from '../../../../src/contract/panel';
import type { CurveInput, PanelInput } from '../../../../src/core/view/types';
import { PanelModel } from '../../../../src/extension/panel/panelModel';

function curve(runId: string, n: number): CurveInput {
  const step = Float64Array.from({ length: n }, (_, i) => (i + 1) * 10);
  const tokens = Float64Array.from(step, (s) => s * 1e6);
  const value = Float64Array.from(tokens, (t) => 2 + 1e3 / t ** 0.3);
  return { runId, metric: 'loss', step, value, tokens };
}

const runs = (grow = -1): PanelInput => ({
  curves: Array.from({ length: 20 }, (_, i) => curve(`run-${i}`, i === grow ? 260 : 200)),
});

function model(provide: () => PanelInput) {
  const logged: string[] = [];
  const m = new PanelModel(defaultViewOptions(), provide, {
    warn: (s) => logged.push(s),
    error: (s) => logged.push(s),
  });
  return { m, logged };
}

test('the webview gets the whole state first, then only deltas, and nothing when nothing changed', () => {
  let input = runs();
  let asked = 0;
  const { m, logged } = model(() => {
    asked++;
    return input;
  });
  const first = m.messageForWebview();
  assert.equal(first?.type, 'state');
  assert.equal(m.messageForWebview(), undefined, 'up to date');
  input = runs(3);
  m.invalidate();
  assert.equal(asked, 1, 'the input is asked for only when the state is needed');
  const second = m.messageForWebview() as Extract<HostMessage, { type: 'delta' }>;
  assert.equal(asked, 2);
  assert.equal(second.type, 'delta');
  assert.equal(second.base, first.state.builtAt);
  assert.ok(second.builtAt > second.base, 'build times increase even within one millisecond');
  assert.deepEqual(
    [...new Set(second.changes.flatMap((c) => ('runs' in c ? c.runs : [])))],
    ['run-3'],
    'only the grown run',
  );
  m.invalidate();
  assert.equal(m.messageForWebview(), undefined, 'a rebuild with the same input sends nothing');
  m.webviewReset();
  assert.equal(m.messageForWebview()?.type, 'state', 'a new page gets the whole state');
  assert.deepEqual(logged, []);
});

test('new options need the whole state; a status is patched in without a rebuild', () => {
  const { m } = model(() => runs());
  m.messageForWebview();
  m.setStatus({ kind: 'fitting', message: 'fitting chinchilla 40%' });
  assert.equal(m.current()?.status.message, 'fitting chinchilla 40%');
  assert.equal(m.messageForWebview(), undefined, 'the status went out as its own message');
  const options = defaultViewOptions();
  options.curveX = 'step';
  m.setOptions(options);
  assert.equal(m.messageForWebview()?.type, 'state');
});

test('a builder that throws is logged and leaves no state', () => {
  const { m, logged } = model(() => {
    throw new Error('the runs could not be read');
  });
  assert.equal(m.current(), undefined);
  assert.equal(m.messageForWebview(), undefined);
  assert.match(logged.join('\n'), /building the view failed: .*the runs could not be read/);
});

test('while a fit runs, a state built meanwhile shows its progress; new input ends that', () => {
  const { m } = model(() => runs());
  assert.equal(m.awaitingFit, false);
  const fitting = { kind: 'fitting' as const, message: 'auto: chinchilla 40%' };
  m.setStatus(fitting);
  assert.equal(m.awaitingFit, true);
  assert.deepEqual(m.current()?.status, fitting, 'built from input that knows nothing of the fit');
  m.invalidate(); // the fit's result
  assert.equal(m.awaitingFit, false);
  assert.notEqual(m.current()?.status.kind, 'fitting');
});
