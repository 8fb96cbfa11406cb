// The panel's requests reach the extension's objects directly (no command round trip), and do what the panel says:
// a click on a point excludes that point, export writes the file it names, Copy LaTeX copies the fitted values.
import '../../../support/vscode/register';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { PanelBridge } from '../../../../src/extension/bridge/panelBridge';
import { PanelCommands } from '../../../../src/extension/bridge/panelCommands';
import { FitCommands } from '../../../../src/extension/fit/fitCommands';
import type { FitService } from '../../../../src/extension/fit/fitService';
import { FitClient } from '../../../../src/worker/fitClient';
import { fitWorkerScript } from '../../../support/fitWorkerBundle';
import { tmpDir } from '../../../support/tmp';
import { commands, fake, recorded, Uri } from '../../../support/vscode/fake';
import { makeFitService, quietLog } from '../../../support/vscode/hosts';
import { COMMAND } from '../../../../src/extension/ids';

const spec = {
  selection: { x: ['N', 'D'], checkpoints: true },
  options: { law: 'chinchilla' as const, bootstrap: 0, holdout: 0 },
};

async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('PanelBridge and PanelCommands', () => {
  const client = new FitClient({ script: fitWorkerScript() });
  let fits: FitService;
  let bridge: PanelBridge;
  let panelCommands: PanelCommands;
  let fitCommands: FitCommands;

  before(() => {
    const made = makeFitService(client);
    fits = made.fits;
    bridge = new PanelBridge(made.context, fits, made.runs, quietLog, client);
    fitCommands = new FitCommands(fits, { bootstrap: () => 0, holdout: () => 0 });
    panelCommands = new PanelCommands(bridge, fitCommands, () => fits.active !== undefined);
  });
  after(() => {
    panelCommands.dispose();
    bridge.dispose();
    fits.dispose();
  });
  afterEach(() => {
    recorded.messages = [];
    recorded.commands = [];
  });

  it('before any fit, Copy Vega-Lite Spec and Copy LaTeX warn once each and copy nothing', async () => {
    assert.equal(await commands.executeCommand(COMMAND.copySpec, 'scaling'), undefined);
    assert.equal(await commands.executeCommand(COMMAND.copyLatex), undefined);
    assert.equal(recorded.messages.length, 2);
    assert.ok(recorded.messages.every((m) => m.level === 'warning'));
    assert.equal(recorded.clipboard, '');
  });

  it('sends the panel the fit when the webview is ready', async () => {
    const outcome = await fits.fit(spec, { interactive: false });
    assert.ok(outcome.ok);
    bridge.open();
    fake.receive?.({ type: 'ready' });
    const state = await until('the state message', () =>
      recorded.posted.find((m) => (m as { type: string }).type === 'state'),
    );
    assert.equal((state as { state: { summary?: { law: string } } }).state.summary?.law, 'chinchilla');
  });

  it('a click on a point excludes that point only, and a second click brings it back', async () => {
    const before = fits.active;
    assert.ok(before);
    const point = before.dataset.points.find((p) => p.runId === 'run07' && p.step !== undefined);
    assert.ok(point);
    fake.receive?.({ type: 'togglePoint', runId: point.runId, step: point.step, excluded: false });
    const after = await until('a refit without the point', () =>
      fits.active !== before && fits.active?.excludedPoints.length === 1 ? fits.active : undefined,
    );
    assert.equal(after.dataset.points.length, before.dataset.points.length - 1);
    assert.equal(after.result.nRuns, before.result.nRuns, 'the run is still fitted');
    assert.ok(!fits.excludedRuns().has('run07'));
    assert.equal(bridge.input().excluded?.length, 1, 'the panel draws the point hollow');
    fake.receive?.({ type: 'togglePoint', runId: point.runId, step: point.step, excluded: true });
    await until('a refit with the point', () =>
      fits.active !== after && fits.active?.excludedPoints.length === 0 ? true : undefined,
    );
    assert.deepEqual(
      recorded.commands.filter((c) => c.id !== 'setContext'),
      [],
      'no command round trip',
    );
  });

  it('the Export Fit button writes the artifact through the fit commands, asking where', async () => {
    const target = join(tmpDir(), 'fit.json');
    fake.saveDialog = Uri.file(target);
    fake.receive?.({ type: 'export', kind: 'fit-json' });
    await until('the artifact', () => (existsSync(target) ? true : undefined));
    assert.equal((JSON.parse(readFileSync(target, 'utf8')) as { kind: string }).kind, 'scaling-lens-fit');
    assert.deepEqual(
      recorded.commands.filter((c) => c.id !== 'setContext'),
      [],
    );
  });

  it('a write that fails says so, naming the file', async () => {
    const target = Uri.file(join(tmpDir(), 'missing-folder', 'deeper', 'fit.json'));
    assert.equal(await fitCommands.exportFit(target as unknown as vscode.Uri), undefined);
    const errors = recorded.messages.filter((m) => m.level === 'error');
    assert.equal(errors.length, 1);
    assert.ok(errors[0].text.includes(target.fsPath), errors[0].text);
  });

  it('Copy LaTeX copies the law with its fitted values, from the panel and from the palette alike', async () => {
    fake.receive?.({ type: 'copy', kind: 'latex' });
    const fromPanel = await until('the clipboard', () => (recorded.clipboard ? recorded.clipboard : undefined));
    assert.match(fromPanel, /\\quad .*E = /);
    recorded.clipboard = '';
    const fromPalette = await commands.executeCommand(COMMAND.copyLatex);
    assert.equal(fromPalette, fromPanel);
  });
});
