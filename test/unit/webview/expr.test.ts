import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpression } from 'vega-expression';
import { compileChannel, panelExpressions } from '../../../webview/expr';

type Ast = Parameters<typeof compileChannel>[0];
const ast = (source: string) => parseExpression(source) as unknown as Ast;

/** Vega's function context as the fast path uses it: `scale(name, value)` called with the context as `this`. */
const fn = {
  context: { scales: { x: (v: number) => v * 2 } as Record<string, (v: number) => number> },
  scale(name: string, value: unknown): number {
    return this.context.scales[name](value as number);
  },
  isValid: (v: unknown) => v != null && v === v,
  toNumber: (v: unknown) => (v == null || v === '' ? null : Number(v)),
};

test('constants, fields of the datum, the item and signals, scales, validity tests and objects of them become closures', () => {
  const datum = { x: 3, run: 'a', stepText: '1,000', hover: true, s: '2.5', nan: NaN };
  const item = { mark: { group: { width: 640 } } };
  const cases: [string, unknown][] = [
    ['1.75', 1.75],
    ['"theme"', 'theme'],
    ['datum["x"]', 3],
    ['datum.run', 'a'],
    ['_scale("x", datum["x"])', 6],
    ['{"run": datum.run, "step": datum.stepText}', { run: 'a', step: '1,000' }],
    ['datum.hover', true],
    ['toNumber(datum["s"])', 2.5],
    ['isValid(datum["x"]) && isFinite(+datum["x"]) && datum["x"] > 0', true],
    ['isValid(datum["nan"]) && isFinite(+datum["nan"])', false],
    ['isValid(datum.missing) || datum.run === "a"', true],
    ['!datum.hover', false],
    ['-datum.x', -3],
    ['width', 300],
    ['item.mark.group["width"]', 640],
  ];
  for (const [source, want] of cases) {
    const get = compileChannel(ast(source), fn);
    assert.ok(get, `${source} takes the fast path`);
    assert.deepEqual(get(datum, item, { $width: 300 }), want, source);
  }
});

test('other shapes are left to the interpreter', () => {
  for (const source of [
    'format(datum.x, ".2f")',
    'datum.x + 1',
    'format(datum.x, ".2f") === "3.00"',
    'event.x',
    'PI',
    '{"__proto__": datum.x}',
    'scale("x", datum.x + 1)',
    '/a/g',
  ])
    assert.equal(compileChannel(ast(source), fn), undefined, source);
});

test('an encoder with a channel the fast path does not know is the interpreter’s, and gives the same values', () => {
  const channels = (src: Record<string, string>) =>
    Object.fromEntries(Object.entries(src).map(([k, v]) => [k, { ast: ast(v) }]));
  const ctx = { functions: fn };
  const fast = panelExpressions.encode(ctx, {
    marktype: 'symbol',
    channels: channels({ x: '_scale("x", datum.x)', size: '60' }),
  });
  const item: { datum: { x: number }; [k: string]: unknown } = { datum: { x: 5 } };
  assert.equal(fast(item, {}), 1, 'modified');
  assert.deepEqual([item.x, item.size], [10, 60]);
  assert.equal(fast(item, {}), 0, 'nothing changed the second time');
  const mixed = panelExpressions.encode(ctx, {
    marktype: 'symbol',
    channels: channels({ x: 'datum.x', opacity: 'datum.x > 3 ? 1 : 0' }),
  });
  const other: { datum: { x: number }; [k: string]: unknown } = { datum: { x: 5 } };
  mixed(other, {});
  assert.deepEqual([other.x, other.opacity], [5, 1]);
});

test('a transform’s expression takes the fast path too, and the interpreter’s otherwise', () => {
  const ctx = { functions: fn };
  const filter = panelExpressions.parameter(ctx, { ast: ast('isValid(datum.x) && datum.x > 2') });
  assert.equal(filter({ x: 3 }, {}), true);
  assert.equal(filter({ x: null }, {}), false);
  const formula = panelExpressions.parameter(ctx, { ast: ast('datum.x * 2') });
  assert.equal(formula({ x: 3 }, {}), 6, 'the interpreter evaluates what the fast path does not know');
});
