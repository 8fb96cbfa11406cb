// activate() with the fake vscode: it wires everything, sets the context key, keeps the test hooks out of the API
// outside a test run, and an activation failure is shown to the user and written to the output channel.
import '../../support/vscode/register';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { activate } from '../../../src/extension/activate';
import { CONTEXT } from '../../../src/extension/ids';
import { ExtensionMode, fake, FakeMemento, recorded, Uri } from '../../support/vscode/fake';

function context(mode: ExtensionMode, extension: unknown = { packageJSON: { version: '9.9.9' } }) {
  const subscriptions: { dispose(): unknown }[] = [];
  const ctx = {
    subscriptions,
    workspaceState: new FakeMemento(),
    extensionUri: Uri.file('/ext'),
    extensionMode: mode,
    extension,
    asAbsolutePath: (p: string) => `/ext/${p}`,
  } as unknown as vscode.ExtensionContext;
  return {
    ctx,
    dispose: () => {
      subscriptions.forEach((d) => d.dispose());
    },
  };
}

describe('activate', () => {
  afterEach(() => {
    fake.reset();
  });

  it('starts, sets scalingLens.activated, and offers the test hooks only in a test run', async () => {
    const prod = context(ExtensionMode.Production);
    const api = await activate(prod.ctx);
    await api.settled();
    assert.equal(recorded.context.get(CONTEXT.activated), true);
    assert.equal(api.testing, undefined);
    assert.deepEqual(api.runs(), []);
    assert.ok(recorded.output.some((l) => l.includes('Scaling Lens 9.9.9 activated')));
    prod.dispose();
    fake.reset();
    const test = context(ExtensionMode.Test);
    const testApi = await activate(test.ctx);
    assert.equal(typeof testApi.testing?.terminateFitWorker, 'function');
    test.dispose();
  });

  it('shows a failure to start, and writes it to the output channel', async () => {
    const broken = context(ExtensionMode.Production, {}); // no packageJSON: start() throws
    await assert.rejects(activate(broken.ctx));
    const errors = recorded.messages.filter((m) => m.level === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0].text, /^Scaling Lens could not start: /);
    assert.ok(recorded.output.some((l) => l.startsWith('error: activation failed')));
    broken.dispose();
  });
});
