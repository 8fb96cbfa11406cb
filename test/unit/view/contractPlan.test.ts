// The Plan view's part of the host↔webview contract: the webview's "Plan next runs" request and the copy kind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebviewMessage } from '../../../src/contract/panel';

test('plan requests and the plan-config copy are accepted as sent', () => {
  for (const m of [
    { type: 'plan' },
    { type: 'plan', targetC: 1e22 },
    { type: 'plan', budget: 1e20 },
    { type: 'plan', targetC: 1e22, budget: 2.5e19, objective: 'tokens_per_param', maxRuns: 5 },
    { type: 'plan', objective: 'loss', maxRuns: 1 },
    { type: 'plan', objective: 'n_opt' },
    { type: 'copy', kind: 'plan-config' },
  ]) {
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
    [{ type: 'plan', budget: 0 }, /plan: budget must be a positive number of FLOPs/],
    [{ type: 'plan', budget: -1e20 }, /budget/],
    [{ type: 'plan', budget: '1e20' }, /budget/],
    [{ type: 'plan', budget: NaN }, /budget/],
    [{ type: 'plan', budget: Infinity }, /budget/],
    [{ type: 'plan', objective: 'interval' }, /plan: objective must be one of loss, n_opt, tokens_per_param/],
    [{ type: 'plan', objective: 1 }, /objective/],
    [{ type: 'plan', maxRuns: 0 }, /plan: maxRuns must be an integer from 1 to 5/],
    [{ type: 'plan', maxRuns: 6 }, /maxRuns/],
    [{ type: 'plan', maxRuns: 2.5 }, /maxRuns/],
    [{ type: 'plan', maxRuns: '3' }, /maxRuns/],
    [{ type: 'plan', max_runs: 3 }, /unexpected field/],
    [{ type: 'copy', kind: 'plan-yaml' }, /kind/],
  ];
  for (const [m, re] of bad) {
    const r = parseWebviewMessage(m);
    if (r.ok) assert.fail(`${JSON.stringify(m)} accepted`);
    assert.match(r.error, re);
  }
});
