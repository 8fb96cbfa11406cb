// Command arguments and workspace state are untrusted input: what specFromArgument and storedSpec accept and refuse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { specFromArgument, storedSpec, storedStrings } from '../../../../src/extension/fit/fitSpecInput';

const budget = { bootstrap: 200, holdout: 0 };

describe('specFromArgument', () => {
  it('turns the flat argument into a FitSpec', () => {
    assert.deepEqual(specFromArgument({ law: 'chinchilla', x: ['N', 'D'], bootstrap: 20, loss: 'lsq' }, budget), {
      selection: { x: ['N', 'D'], checkpoints: false },
      options: { law: 'chinchilla', bootstrap: 20, holdout: 0, loss: 'lsq' },
    });
  });

  it('refuses laws it does not know, and custom (which needs a declaration)', () => {
    for (const law of ['chinchila', 'custom', '__proto__', 42, undefined])
      assert.equal(specFromArgument({ law, x: ['N'] }, budget), undefined, String(law));
    assert.ok(specFromArgument({ law: 'auto', x: ['C'] }, budget));
  });

  it('refuses missing or malformed variables', () => {
    for (const x of [[], ['N', 3], 'N', [''], ['x'.repeat(201)]])
      assert.equal(specFromArgument({ law: 'power', x }, budget), undefined, JSON.stringify(x));
    assert.equal(specFromArgument('chinchilla', budget), undefined);
    assert.equal(specFromArgument(null, budget), undefined);
  });

  it('replaces malformed optional fields by the defaults', () => {
    const spec = specFromArgument(
      { law: 'power', x: ['C'], bootstrap: -1, holdout: 'two', delta: 0, loss: 'l1', y: 5, checkpoints: 'yes' },
      budget,
    );
    assert.deepEqual(spec, {
      selection: { x: ['C'], checkpoints: false },
      options: { law: 'power', bootstrap: 200, holdout: 0 },
    });
  });
});

describe('storedSpec', () => {
  it('reads back what FitService stores', () => {
    const spec = specFromArgument({ law: 'kaplan', x: ['N', 'D'], y: 'eval_loss', holdout: 2 }, budget);
    assert.deepEqual(storedSpec(JSON.parse(JSON.stringify(spec)), budget), spec);
  });

  it('reads the flat form earlier versions stored', () => {
    const legacy = { law: 'chinchilla', x: ['N', 'D'], checkpoints: true, bootstrap: 50, holdout: 1 };
    assert.deepEqual(storedSpec(legacy, budget), {
      selection: { x: ['N', 'D'], checkpoints: true },
      options: { law: 'chinchilla', bootstrap: 50, holdout: 1 },
    });
  });

  it('gives undefined for anything else', () => {
    for (const v of [
      undefined,
      'x',
      [],
      { selection: { x: 'N' }, options: { law: 'power' } },
      { law: 'nope', x: ['N'] },
    ])
      assert.equal(storedSpec(v, budget), undefined, JSON.stringify(v));
  });
});

describe('storedStrings', () => {
  it('keeps strings only', () => {
    assert.deepEqual(storedStrings(['a', 1, null, 'b', '']), ['a', 'b']);
    assert.deepEqual(storedStrings({ a: 1 }), []);
  });
});
