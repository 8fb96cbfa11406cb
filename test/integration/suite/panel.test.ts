// The Scaling panel in a real VS Code: opened from its command, it receives the fit made from the command palette;
// clicking-equivalent exclusion refits; exports write files that open and round-trip.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { until } from './until';
import type { ScalingLensApi } from '../../../src/extension/activate';
import type { FitOutcome } from '../../../src/extension/fit/fitService';
import { COMMAND } from '../../../src/extension/ids';

describe('The Scaling panel', () => {
  let api: ScalingLensApi;
  const out = mkdtempSync(join(tmpdir(), 'scaling-lens-panel-'));

  before(async () => {
    const ext = vscode.extensions.getExtension<ScalingLensApi>('scaling-lens.scaling-lens');
    assert.ok(ext);
    api = await ext.activate();
    await api.settled();
  });

  it('opens from its command and receives the fit run from the command palette', async () => {
    await vscode.commands.executeCommand(COMMAND.openPanel);
    const outcome = await vscode.commands.executeCommand<FitOutcome>(COMMAND.fitLaw, {
      law: 'chinchilla',
      x: ['N', 'D'],
      bootstrap: 100,
      holdout: 2,
    });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    const state = await until('the panel state with the fit', () => {
      const s = api.testing?.panelState();
      return s?.summary?.law === 'chinchilla' && s.summary.nRuns === outcome.fit.result.nRuns ? s : undefined;
    });
    assert.ok(state.charts.scaling.available, 'the scaling plot can be drawn');
    assert.ok(state.charts.curves.available, 'the learning curves can be drawn');
    const alpha = state.summary!.params.find((p) => p.name === 'alpha');
    assert.equal(alpha?.value, outcome.fit.result.params.alpha.value);
    assert.ok(alpha.ci95, 'intervals reach the panel');
    assert.ok(state.summary!.holdout, 'the backtest reaches the panel');
  });

  it('a prediction asked for with Predict… is drawn on the panel', async () => {
    await vscode.commands.executeCommand(COMMAND.predict, 'N=3e9, D=6e10');
    const state = await until('the prediction in the panel', () =>
      api.testing?.panelState()?.summary?.predictions.length ? api.testing.panelState() : undefined,
    );
    assert.ok(state.summary!.predictions.length >= 1);
  });

  it('exports the plot as SVG and PNG that open as images', async () => {
    const svg = await vscode.commands.executeCommand<string>(COMMAND.exportPlot, {
      format: 'svg',
      target: vscode.Uri.file(join(out, 'plot.svg')),
    });
    assert.ok(svg, 'SVG export failed');
    const svgText = readFileSync(svg, 'utf8');
    assert.match(svgText, /^<svg[\s\S]*<\/svg>\s*$/);
    assert.ok((svgText.match(/<path/g) ?? []).length > 5, 'the SVG has marks');
    const png = await vscode.commands.executeCommand<string>(COMMAND.exportPlot, {
      format: 'png',
      target: vscode.Uri.file(join(out, 'plot.png')),
    });
    assert.ok(png, 'PNG export failed');
    const bytes = readFileSync(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.ok(bytes.length > 5000, `PNG is only ${bytes.length} bytes`);
  });

  it('exports the data as CSV that round-trips to the fitted points', async () => {
    const file = await vscode.commands.executeCommand<string>(
      COMMAND.exportData,
      vscode.Uri.file(join(out, 'points.csv')),
    );
    assert.ok(file);
    const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
    const cols = header.split(',');
    assert.ok(cols.includes('N') && cols.includes('D'), header);
    const fit = api.activeFit()!;
    assert.equal(rows.filter((r) => r.endsWith(',false')).length, fit.nPoints);
    const N = cols.indexOf('N');
    const fromCsv = rows.map((r) => Number(r.split(',')[N])).sort((a, b) => a - b);
    assert.ok(fromCsv.every((v) => Number.isFinite(v) && v > 0));
    assert.ok(Math.abs(fromCsv[fromCsv.length - 1] - fit.domain.N[1]) / fit.domain.N[1] < 1e-12, 'full precision');
  });

  it('excluding a run from the runs view refits without it, and including it brings it back', async () => {
    const before = api.activeFit()!;
    const runId = api.runs().find((r) => r.id.includes('nanogpt/out-gpt-113M'))!.id; // a run the fit uses
    assert.ok(await vscode.commands.executeCommand<boolean>(COMMAND.excludeRun, runId));
    const without = await until('a refit without the run', () =>
      api.activeFit()!.nRuns === before.nRuns - 1 ? api.activeFit() : undefined,
    );
    assert.equal(without.nPoints, before.nPoints - 1);
    assert.ok((api.testing?.panelState()?.excludedCount ?? 0) >= 1, 'the panel draws the excluded point');
    assert.ok(await vscode.commands.executeCommand<boolean>(COMMAND.includeRun, { run: { id: runId } }));
    await until('a refit with the run again', () => api.activeFit()!.nRuns === before.nRuns);
  });
});
