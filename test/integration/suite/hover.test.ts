// Hovers and CodeLens on training configs in a real VS Code, checked against `scaling-lens predict` on the same fit.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readArtifact } from '../../../src/core/fit/artifact';
import { analyseConfig, codeLensFor, fmtLoss } from '../../../src/core/hover/index';
import type { ScalingLensApi } from '../../../src/extension/activate';
import type { FitOutcome } from '../../../src/extension/fit/fitService';

const hoverText = (hovers: vscode.Hover[]) =>
  hovers
    .flatMap((h) =>
      h.contents.map((c) => (c instanceof vscode.MarkdownString ? c.value : typeof c === 'string' ? c : '')),
    )
    .join('\n');

function cliPredict(fitFile: string, at: string): { value: number } {
  const repo = process.env.SCALING_LENS_REPO;
  assert.ok(repo, 'SCALING_LENS_REPO not set by the runner');
  const out = execFileSync(process.execPath, [join(repo, 'dist/cli.js'), 'predict', fitFile, '--at', at, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return JSON.parse(out) as { value: number };
}

describe('Hovers on training configs', () => {
  let fitFile: string;
  let root: string;

  before(async () => {
    const ext = vscode.extensions.getExtension<ScalingLensApi>('scaling-lens.scaling-lens');
    assert.ok(ext);
    const api = await ext.activate();
    await api.settled();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const outcome = await vscode.commands.executeCommand<FitOutcome | undefined>('scalingLens.fitLaw', {
      law: 'chinchilla',
      x: ['N', 'D'],
      bootstrap: 100,
    });
    assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.message : 'no outcome');
    fitFile = join(mkdtempSync(join(tmpdir(), 'scaling-lens-hover-')), 'fit.json');
    await vscode.commands.executeCommand('scalingLens.exportFit', vscode.Uri.file(fitFile));
  });

  it('a hover on a Megatron YAML scale key shows N, D, C and the loss `scaling-lens predict` gives for the same fit', async () => {
    const file = join(root, 'configs/megatron_gpt_1.3b.yaml');
    const doc = await vscode.workspace.openTextDocument(file);
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => /^\s*hidden_size:/.test(l));
    assert.ok(line >= 0, 'the example config has a hidden_size line');
    const character = doc.lineAt(line).text.indexOf('hidden_size') + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(line, character),
    );
    const text = hoverText(hovers);
    assert.match(text, /\*\*N\*\* = /);
    assert.match(text, /\*\*D\*\* = /);
    assert.match(text, /PF-days/);
    // The same numbers through the CLI: the point the core resolves from this file, predicted from the exported fit.
    const point = codeLensFor(analyseConfig({ text: doc.getText(), fileName: file })!, {
      fit: readArtifact(fitFile),
    })?.point;
    assert.ok(point?.N && point.D, 'the core resolves N and D from the config');
    const cli = cliPredict(fitFile, `N=${point.N},D=${point.D}`);
    assert.ok(
      text.includes(fmtLoss(cli.value)),
      `hover should show the loss ${fmtLoss(cli.value)} from scaling-lens predict:\n${text}`,
    );
    assert.match(text, /extrapolation|interpolation/);
    assert.match(text, /N_opt/);
  });

  it('the CodeLens at the top of the config gives the same one-line prediction', async () => {
    const file = join(root, 'configs/megatron_gpt_1.3b.yaml');
    const doc = await vscode.workspace.openTextDocument(file);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const ours = lenses.find((l) => l.command?.title.startsWith('Scaling Lens'));
    assert.ok(ours, `no Scaling Lens CodeLens among ${lenses.length}`);
    assert.equal(ours.range.start.line, 0);
    const point = codeLensFor(analyseConfig({ text: doc.getText(), fileName: file })!, {
      fit: readArtifact(fitFile),
    })!.point;
    const cli = cliPredict(fitFile, `N=${point.N},D=${point.D}`);
    assert.ok(ours.command!.title.includes(fmtLoss(cli.value)), ours.command!.title);
  });

  it('a config without the keys the fit needs says what is missing; other keys get no hover', async () => {
    const doc = await vscode.workspace.openTextDocument(join(root, 'configs/config.json'));
    const lines = doc.getText().split('\n');
    const line = lines.findIndex((l) => l.includes('"hidden_size"'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(line, lines[line].indexOf('hidden_size') + 1),
    );
    assert.match(hoverText(hovers), /D\*\* unknown/);
    const other = lines.findIndex((l) => /"(model_type|architectures|torch_dtype|bos_token_id)"/.test(l));
    assert.ok(other >= 0);
    const none = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(other, lines[other].indexOf('"') + 2),
    );
    assert.ok(!hoverText(none).includes('Scaling Lens'), 'no hover on a key that is not a scale key');
  });
});
