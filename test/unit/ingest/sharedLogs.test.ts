import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../../src/cli/cli';
import { tmpDir } from '../../support/tmp';

/**
 * Real logs written by the real tools (copied from public repositories into ../shared/logs, never into this repo),
 * scored by their own independent checker: `runs --json` must reproduce at least 98% of the facts.
 */
const LOGS = resolve(__dirname, '../../../../shared/logs');
const CHECK = join(LOGS, 'check.py');
const REQUIRED = 0.98;

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('runs --json over ../shared/logs reproduces at least 98% of the facts check.py knows', async (t) => {
  if (!existsSync(CHECK)) {
    t.skip(`shared logs not found at ${LOGS}`);
    return;
  }
  if (!hasPython()) {
    t.skip('python3 not found: check.py cannot score the output');
    return;
  }
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runCli(['runs', LOGS, '--json'], { out: (s) => lines.push(s), err: (s) => errors.push(s) });
  assert.equal(code, 0, errors.join(''));
  const doc = JSON.parse(lines.join('\n')) as { runs: unknown[] };
  assert.ok(doc.runs.length > 0);
  const file = join(tmpDir('sl-shared-'), 'runs.json');
  writeFileSync(file, JSON.stringify(doc));
  const report = execFileSync('python3', [CHECK, file], { encoding: 'utf8' });
  const m = /facts reproduced: (\d+)\/(\d+)/.exec(report);
  assert.ok(m, report);
  const share = Number(m[1]) / Number(m[2]);
  t.diagnostic(report.split('\n')[0]);
  assert.ok(share >= REQUIRED, `only ${(share * 100).toFixed(1)}% of the facts:\n${report}`);
});
