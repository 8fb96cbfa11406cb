import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyOptionsPatch,
  defaultViewOptions,
  NEUTRAL_COLORS,
  parseHostMessage,
  parseWebviewMessage,
  resolveThemeTokens,
  themeToken,
  type WebviewMessage,
} from '../../../src/contract/panel';

test('every well-formed webview message is accepted unchanged', () => {
  const good: WebviewMessage[] = [
    { type: 'ready' },
    { type: 'ready', holds: 1722470400000.5 },
    { type: 'drawn' },
    { type: 'refit' },
    { type: 'togglePoint', runId: 'hf/gpt-9M', excluded: false },
    { type: 'togglePoint', runId: 'hf/gpt-9M', step: 46000, excluded: true },
    { type: 'export', kind: 'fit-json' },
    { type: 'export', kind: 'plot-png', chart: 'curves' },
    { type: 'copy', kind: 'latex' },
    { type: 'copy', kind: 'vega-lite', chart: 'isoflop' },
    {
      type: 'setOptions',
      options: {
        axes: { scaling: { x: 'linear', y: 'log' } },
        smoothing: 0.9,
        curveX: 'step',
        scalingX: 'N',
        target: 1e22,
      },
    },
    { type: 'setOptions', options: { target: null } },
    { type: 'image', requestId: 3, ok: true, format: 'svg', data: '<svg></svg>' },
    { type: 'image', requestId: 4, ok: false, error: 'no canvas' },
    { type: 'log', level: 'error', message: 'boom' },
  ];
  for (const m of good) {
    const r = parseWebviewMessage(JSON.parse(JSON.stringify(m)));
    assert.ok(r.ok, `${JSON.stringify(m)}: ${r.ok ? '' : r.error}`);
    assert.deepEqual(r.value, m);
  }
});

test('malformed webview messages are rejected with a reason', () => {
  const bad: [unknown, RegExp][] = [
    [null, /not an object/],
    ['ready', /not an object/],
    [[{ type: 'ready' }], /not an object/],
    [{ type: 'explode' }, /unknown message type "explode"/],
    [{ type: 42 }, /unknown message type \(number\)/],
    [{ type: 'ready', extra: 1 }, /unexpected field/],
    [{ type: 'ready', holds: 'latest' }, /holds/],
    [{ type: 'ready', holds: Infinity }, /holds/],
    [{ type: 'drawn', chart: 'scaling' }, /unexpected field/],
    [{ type: 'togglePoint', runId: '', excluded: false }, /runId/],
    [{ type: 'togglePoint', runId: 'a'.repeat(5000), excluded: false }, /runId/],
    [{ type: 'togglePoint', runId: 'r', excluded: 'yes' }, /excluded/],
    [{ type: 'togglePoint', runId: 'r', step: NaN, excluded: false }, /step/],
    [{ type: 'togglePoint', runId: 'r', excluded: false, __proto__x: 1 }, /unexpected field/],
    [{ type: 'export', kind: 'exe' }, /kind/],
    [{ type: 'export', kind: 'plot-svg', chart: 'pie' }, /unknown chart/],
    [{ type: 'copy', kind: 'html' }, /kind/],
    [{ type: 'setOptions', options: { smoothing: 1 } }, /smoothing/],
    [{ type: 'setOptions', options: { smoothing: '0.5' } }, /smoothing/],
    [{ type: 'setOptions', options: { axes: { pie: { x: 'log', y: 'log' } } } }, /unknown chart/],
    [{ type: 'setOptions', options: { axes: { scaling: { x: 'symlog', y: 'log' } } } }, /axes.scaling/],
    [{ type: 'setOptions', options: { target: -1 } }, /target/],
    [{ type: 'setOptions', options: { color: 'red' } }, /unexpected field/],
    [{ type: 'setOptions' }, /options must be an object/],
    [{ type: 'image', requestId: 1.5, ok: true, format: 'svg', data: 'x' }, /requestId/],
    [{ type: 'image', requestId: 1, ok: true, format: 'gif', data: 'x' }, /format/],
    [{ type: 'image', requestId: 1, ok: 'maybe' }, /ok must be a boolean/],
    [{ type: 'log', level: 'info', message: 'x' }, /level/],
  ];
  for (const [m, re] of bad) {
    const r = parseWebviewMessage(m);
    assert.equal(r.ok, false, `${JSON.stringify(m)} accepted`);
    assert.match(r.error, re);
  }
});

test('a long log message is truncated, not rejected', () => {
  const r = parseWebviewMessage({ type: 'log', level: 'warn', message: 'x'.repeat(10_000) });
  assert.ok(r.ok && r.value.type === 'log' && r.value.message.length === 4096);
});

test('host messages: the webview checks the outer shape', () => {
  assert.ok(parseHostMessage({ type: 'state', state: { charts: {}, options: {} } }).ok);
  assert.ok(parseHostMessage({ type: 'status', status: { kind: 'fitting', message: 'fitting…' } }).ok);
  assert.ok(parseHostMessage({ type: 'renderImage', requestId: 2, chart: 'scaling', format: 'png' }).ok);
  assert.equal(parseHostMessage({ type: 'renderImage', requestId: 2, chart: 'pie', format: 'png' }).ok, false);
  assert.equal(parseHostMessage({ type: 'state' }).ok, false);
  assert.equal(parseHostMessage({ type: 'nope' }).ok, false);
});

test('option patches merge into the options without touching the rest', () => {
  const o = defaultViewOptions();
  const next = applyOptionsPatch(o, { axes: { curves: { x: 'linear', y: 'linear' } }, smoothing: 0.2, target: 1e21 });
  assert.deepEqual(next.axes.curves, { x: 'linear', y: 'linear' });
  assert.deepEqual(next.axes.scaling, o.axes.scaling);
  assert.equal(next.smoothing, 0.2);
  assert.equal(next.target, 1e21);
  assert.equal(o.smoothing, 0.6, 'the original is not mutated');
  assert.equal(o.axes.curves.x, 'log');
  assert.equal('target' in applyOptionsPatch(next, { target: null }), false);
});

test('theme tokens resolve everywhere in a spec; other strings stay', () => {
  const spec = {
    mark: { color: themeToken('blue') },
    layer: [{ encoding: { color: { value: themeToken('foreground') } } }],
    title: 'theme:nonsense',
    n: 3,
  };
  const out = resolveThemeTokens(spec, NEUTRAL_COLORS);
  assert.deepEqual(out, {
    mark: { color: '#4c78a8' },
    layer: [{ encoding: { color: { value: '#333333' } } }],
    title: 'theme:nonsense',
    n: 3,
  });
});
