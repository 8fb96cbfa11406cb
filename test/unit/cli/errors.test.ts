import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cli, REPO, RESULTS, tempDir } from './helpers';

describe('bad input: a clear message and the right exit code', () => {
  const tmp = tempDir();
  after(() => {
    tmp.done();
  });
  const table = tmp.file('t.csv', 'run,N,D,loss\na,1e8,2e9,3.1\nb,2e8,4e9,2.9\nc,4e8,8e9,2.7\n');

  test('usage errors exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['fit', RESULTS, '--law', 'chinchila'], /unknown law "chinchila"; known: power, .*, auto/],
      [['fit', RESULTS], /--law is required/],
      [['fit', '--law', 'chinchilla'], /no path given/],
      [['fit', RESULTS, '--law', 'power'], /--x is required for law power/],
      [['fit', RESULTS, '--law', 'chinchilla', '--bootstrap', 'many'], /--bootstrap must be a non-negative integer/],
      [['fit', RESULTS, '--law', 'chinchilla', '--loss', 'l1'], /--loss must be huber or lsq/],
      [
        ['fit', RESULTS, '--law', 'chinchilla', '--plot', 'out.png'],
        /--plot out\.png: use a \.svg, \.html or \.vl\.json file name/,
      ],
      [['fit', RESULTS, '--law', 'chinchilla', '--colour'], /unknown option --colour/],
      [['fit', RESULTS, '--custom', 'E + A/(N', '--x', 'N'], /--custom: formula does not parse/],
      [
        ['fit', RESULTS, '--law', 'chinchilla', '--plot', 'p.svg', '--plot-x', 'width'],
        /--plot-x width: plot against one of the fit's variables \(N, D, or C\)/,
      ],
      [['predict', 'fit.json'], /--at is required/],
      [['predict', 'fit.json', '--at', 'N=lots'], /--at: "N=lots" is not name=value/],
      [['frontier', RESULTS], /--method must be envelope, isoflop, parametric, vpnls or compare/],
      [['frontier', RESULTS, '--method', 'parametric', '--alloc', 'width'], /allocates N or D/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [[], /usage:/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: exit ${r.code} (${r.stderr})`);
      assert.match(r.stderr, message, argv.join(' '));
    }
  });

  test('failures exit 1 and name the file and the problem', async () => {
    const missing = join(tmp.dir, 'nope');
    const empty = tmp.file('empty');
    mkdirSync(empty);
    const cases: [string[], RegExp][] = [
      [['fit', missing, '--law', 'chinchilla'], new RegExp(`${missing}: no such file or folder`)],
      [
        ['fit', table, '--law', 'chinchilla', '--x', 'N,width'],
        /t\.csv: no column "width" for x; columns: "run", "N", "D", "loss"/,
      ],
      [['fit', table, '--law', 'chinchilla', '--y', 'bpb'], /t\.csv: no column "bpb" for y/],
      [['fit', empty, '--law', 'chinchilla'], /empty: no training runs found/],
      [['fit', table, '--law', 'chinchilla'], /too few points for law chinchilla: 3 point\(s\) for 5 parameters/],
      [
        ['fit', RESULTS, '--law', 'custom', '--law-file', tmp.file('laws.json', '{"laws": 3}')],
        /laws\.json: expected \{"laws"/,
      ],
      [['predict', missing + '.json', '--at', 'N=1e9,D=1e10'], /nope\.json: no such file/],
      [
        ['predict', tmp.file('bad.json', '{"kind":"scaling-lens-fit","law":"chinchilla"}'), '--at', 'N=1e9,D=1e10'],
        /bad\.json: invalid fit artifact:[\s\S]*"params" must map/,
      ],
      [['predict', table, '--at', 'N=1e9'], /t\.csv: not valid JSON/],
      [['frontier', RESULTS, '--method', 'isoflop'], /isoflop: 0 usable budgets .* Is this an IsoFLOP design\?/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      assert.equal(r.code, 1, `${argv.join(' ')}: exit ${r.code} (${r.stderr})`);
      assert.match(r.stderr, message, argv.join(' '));
      assert.equal(r.stdout, '', 'nothing half-printed on stdout');
    }
  });

  test('the process glue: exit code and stderr of the real entry point', async () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'fit', RESULTS, '--law', 'nope'],
      { encoding: 'utf8', cwd: REPO },
    );
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^scaling-lens fit: unknown law "nope"/);
    const help = await cli('frontier', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: scaling-lens frontier/);
  });
});
