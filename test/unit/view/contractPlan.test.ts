// The Plan view's part of the host↔webview contract: the webview's "Plan next runs" request and the copy kind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebviewMessage } from '../../../src/contract/panel';

test('plan requests and the plan-config copy are accepted as sent', () => {
  for (const m of [{ type: 'plan' }, { type: 'plan', targetC: 1e22 }, { type: 'copy', kind: 'plan-config' }]) {
    const r = parseWebviewMessage(JSON.parse(JSON.stringify(m)));
    assert.ok(r.ok, `${JSON.stringify(m)}: ${r.ok ? '' : r.error}`);
    assert.deepEqual(r.value, m);
  }
});

test('malformed plan requests are rejected with a reason', () => {
  const bad: [unknown, RegExp][] = [
    [{ type: 'plan', targetC: 0 }, /targetC/],
    [{ type: 'plan', targetC: -1e20 }, /targetC/],
    [{ type: 'plan', targetC: '1e22' }, /targetC/],
    [{ type: 'plan', targetC: Infinity }, /targetC/],
    [{ type: 'plan', budget: 1e20 }, /unexpected field/],
    [{ type: 'copy', kind: 'plan-yaml' }, /kind/],
  ];
  for (const [m, re] of bad) {
    const r = parseWebviewMessage(m);
    if (r.ok) assert.fail(`${JSON.stringify(m)} accepted`);
    assert.match(r.error, re);
  }
});
