import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import { type FormatFixture, writeEveryFormat } from '../../support/everyFormat';
import type { ScanReport } from '../../support/scanChild';
import { tmpDir } from '../../support/tmp';

// Every reader, damaged one run at a time beside a healthy copy of every format: each damaged file gets a
// diagnostic naming it, and no other run loses a point.

const REPO = resolve(__dirname, '..', '..', '..');

async function twoOfEach(): Promise<{ root: string; good: FormatFixture[]; bad: FormatFixture[] }> {
  const root = tmpDir('sl-damage-');
  const good = await writeEveryFormat(join(root, 'good'));
  const bad = await writeEveryFormat(join(root, 'bad'));
  return { root, good, bad };
}

function assertGoodRunsLoad(
  runs: { dir: string; format: string; metrics: Record<string, number> }[],
  good: FormatFixture[],
): void {
  for (const g of good) {
    const run = runs.find((r) => r.dir === g.dir && r.format === g.format);
    assert.ok(run, `healthy ${g.format} run in ${g.dir} missing`);
    assert.equal(run.metrics.loss, g.lossPoints, `healthy ${g.format} run lost points`);
  }
}

test('binary content under every log name: one diagnostic per damaged file, every healthy run loads', async () => {
  const { root, good, bad } = await twoOfEach();
  // a gzip header and NULs: what a compressed or half-copied file looks like
  for (const b of bad)
    writeFileSync(
      b.mainFile,
      Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0xff, 0xfe, 0, 0x11, 0x22, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    );
  const cat = new Catalog([root]);
  await cat.scan();
  assertGoodRunsLoad(
    cat.runs().map((r) => ({
      dir: r.dir,
      format: r.format,
      metrics: Object.fromEntries(r.metrics.all().map((s) => [s.name, s.count])),
    })),
    good,
  );
  const d = cat.diagnostics();
  for (const b of bad) {
    const mine = d.filter((x) => x.file === b.mainFile);
    assert.ok(mine.length >= 1, `${b.format}: no diagnostic for ${b.mainFile}; all: ${JSON.stringify(d)}`);
    assert.ok(
      mine.every((x) => x.message.length > 10),
      JSON.stringify(mine),
    );
  }
  const badRuns = cat.runs().filter((r) => r.dir.includes(join(root, 'bad')));
  for (const r of badRuns) assert.equal(r.metrics.find('loss')?.count ?? 0, 0, `${r.id}: no points from garbage`);
});

test('permission denied on every log: one diagnostic per file, every healthy run loads', async (t) => {
  const { root, good, bad } = await twoOfEach();
  for (const b of bad) chmodSync(b.mainFile, 0);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // root reads any file: run the scan as "nobody", who can walk the folders but not open the damaged files
    const open = (p: string): void => {
      chmodSync(p, statSync(p).isDirectory() ? 0o755 : statSync(p).mode & 0o777 ? 0o644 : 0);
      if (statSync(p).isDirectory()) for (const n of readdirSync(p)) open(join(p, n));
    };
    open(root);
  }
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'support', 'scanChild.ts'), root], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, HOME: root },
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  if (child.error && asRoot) {
    t.skip(`cannot run the scan as an unprivileged user here (${child.error.message}); root would read every file`);
    return;
  }
  assert.equal(child.status, 0, child.stderr);
  const report = JSON.parse(child.stdout) as ScanReport;
  assert.notEqual(report.uid, 0, 'the scan ran unprivileged');
  assertGoodRunsLoad(report.runs, good);
  for (const b of bad) {
    const mine = report.diagnostics.filter((x) => x.file === b.mainFile);
    assert.ok(
      mine.some((x) => /permission denied/.test(x.message)),
      `${b.format}: ${JSON.stringify(mine)}; all: ${JSON.stringify(report.diagnostics)}`,
    );
  }
});
