// The extension in a real VS Code, on a copy of examples/: it activates by itself (workspaceContains), finds the
// same runs the pure core finds, keeps up with a log that is being appended to (one coalesced re-read per
// burst), and reports damaged input without losing the other runs.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { until } from './until';
import { Catalog } from '../../../src/core/ingest/catalog';
import { summarizeRun } from '../../../src/core/model/summary';
import type { ScalingLensApi } from '../../../src/extension/activate';
import { COMMAND } from '../../../src/extension/ids';

const EXTENSION_ID = 'scaling-lens.scaling-lens';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'VS Code opened no workspace folder');
  return folder.uri.fsPath;
}

describe('Scaling Lens in VS Code', () => {
  let api: ScalingLensApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<ScalingLensApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    // No explicit activate(): the workspaceContains activation events must do it.
    await until('activation by workspaceContains', () => ext.isActive, 60_000);
    api = ext.exports;
    await api.settled();
  });

  it('registers its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of [COMMAND.refreshRuns, COMMAND.showOutput, COMMAND.openRunLog])
      assert.ok(all.includes(c), `${c} missing`);
  });

  it('finds the same runs as the pure core, with N, D, C and metric counts', async () => {
    const catalog = new Catalog([workspaceRoot()]);
    await catalog.scan();
    const expected = catalog
      .runs()
      .map(summarizeRun)
      .sort((a, b) => a.id.localeCompare(b.id));
    const actual = api.runs().sort((a, b) => a.id.localeCompare(b.id));
    assert.ok(expected.length >= 10, `examples should hold at least 10 runs, the core found ${expected.length}`);
    assert.deepEqual(
      actual.map((r) => r.id),
      expected.map((r) => r.id),
    );
    for (const [i, run] of actual.entries()) {
      assert.equal(run.format, expected[i].format, run.id);
      assert.equal(run.N, expected[i].N, `${run.id} N`);
      assert.equal(run.D, expected[i].D, `${run.id} D`);
      assert.equal(run.C, expected[i].C, `${run.id} C`);
      assert.ok(run.N && run.D && run.C, `${run.id} lacks N, D or C`);
      assert.deepEqual(
        Object.fromEntries(Object.entries(run.metrics).map(([k, m]) => [k, m.count])),
        Object.fromEntries(Object.entries(expected[i].metrics).map(([k, m]) => [k, m.count])),
        run.id,
      );
    }
    const formats = new Set(actual.map((r) => r.format));
    assert.ok(formats.size >= 6, `expected at least 6 log formats in examples, saw ${[...formats].join(', ')}`);
  });

  it('reads a burst of appends to a watched log with one coalesced re-read', async () => {
    const root = workspaceRoot();
    const run = api.runs().find((r) => r.format === 'jsonl');
    assert.ok(run, 'examples should hold a JSONL run');
    const log = run.files.find((f) => f.endsWith('.jsonl'));
    assert.ok(log && log.startsWith(root));
    const metric = Object.keys(run.metrics).find((k) => k === 'loss') ?? Object.keys(run.metrics)[0];
    const before = run.metrics[metric].count;
    const lastStep = run.metrics[metric].last?.step ?? 0;
    const refreshesBefore = api.testing?.refreshCount() ?? NaN;
    // 100 appends of 5 lines within a few milliseconds, as a training loop flushing often would.
    for (let i = 0; i < 100; i++) {
      const lines = Array.from({ length: 5 }, (_, j) =>
        JSON.stringify({ iter: lastStep + 1 + i * 5 + j, [metric]: 2.5, tokens: 1e9 + i }),
      ).join('\n');
      appendFileSync(log, lines + '\n');
    }
    const updated = await until('the appended points', () => {
      const r = api.runs().find((x) => x.id === run.id);
      return r && r.metrics[metric].count === before + 500 ? r : undefined;
    });
    assert.equal(updated.metrics[metric].last?.step, lastStep + 500);
    await api.settled();
    const reads = (api.testing?.refreshCount() ?? NaN) - refreshesBefore;
    assert.ok(reads >= 1 && reads <= 3, `a burst of 100 appends should cause 1–3 re-reads, saw ${reads}`);
  });

  it('reports a damaged log by file and line, and keeps every other run', async () => {
    const root = workspaceRoot();
    const count = api.runs().length;
    const dir = join(root, 'broken-run');
    mkdirSync(dir, { recursive: true });
    const good = (i: number) => JSON.stringify({ step: i, loss: 3 - i / 100, tokens: i * 1000 });
    writeFileSync(
      join(dir, 'log.jsonl'),
      [good(1), good(2), '{"step": 3, "loss": ', 'not json at all', good(5)].join('\n') + '\n',
    );
    const problem = await until('a diagnostic for broken-run/log.jsonl', () =>
      api.diagnostics().find((d) => d.file === join(dir, 'log.jsonl')),
    );
    assert.match(`${problem.position ?? ''} ${problem.message}`, /line [34]/);
    // The diagnostic is recorded while the file is read; the run joins the list when the read ends, so wait for the
    // re-read to finish before counting.
    await api.settled();
    const runs = await until('the damaged run in the run list', () => {
      const all = api.runs();
      return all.some((r) => r.files.includes(join(dir, 'log.jsonl'))) ? all : undefined;
    });
    assert.equal(runs.length, count + 1, 'the damaged run is still read (its good lines) and no other run is lost');
    const broken = runs.find((r) => r.files.includes(join(dir, 'log.jsonl')));
    assert.equal(broken?.metrics.loss.count, 3);
    assert.equal(readFileSync(join(dir, 'log.jsonl'), 'utf8').split('\n').length, 6, 'the log is never modified');
  });
});
