import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cli, cliJson, RESULTS, tempDir } from './helpers';

/** The --json document as the CLI contract names it. */
interface PlanJson {
  target: Record<string, number>;
  objective: string;
  budget: number;
  proposals: Record<string, unknown>[];
  alternatives: { chosen: boolean }[];
}

const tmp = tempDir();
after(() => {
  tmp.done();
});
const artifact = tmp.file('fit.json');
let fitted: Promise<void> | undefined;
/** The bundled examples fitted once (a small bootstrap keeps the test quick). */
function fitOnce(): Promise<void> {
  fitted ??= cli('fit', RESULTS, '--law', 'chinchilla', '--bootstrap', '40', '--out', artifact).then((r) => {
    assert.equal(r.code, 0, r.stderr);
  });
  return fitted;
}

test('plan --json on the bundled examples has the documented shape', async () => {
  await fitOnce();
  const r = await cliJson<PlanJson>('plan', artifact, '--target', 'C=1e23', '--budget', '2e21', '--max-runs', '2');
  assert.deepEqual(Object.keys(r), [
    'target',
    'objective',
    'budget',
    'estimate',
    'interval_now',
    'expected_interval',
    'proposals',
    'alternatives',
    'identifiable',
    'warnings',
  ]);
  assert.deepEqual(r.target, { C: 1e23 });
  assert.equal(r.objective, 'loss');
  assert.equal(r.budget, 2e21);
  assert.ok(r.proposals.length >= 1 && r.proposals.length <= 2);
  for (const p of r.proposals)
    assert.deepEqual(Object.keys(p), ['N', 'D', 'C', 'tokens_per_param', 'expected_interval']);
  assert.ok(r.alternatives.length >= 5 && r.alternatives.some((a) => a.chosen));
});

test('plan prints the proposals, the interval now and the designs weighed', async () => {
  await fitOnce();
  const r = await cli('plan', artifact, '--target', 'N=2e9,D=4e10', '--objective', 'loss', '--max-runs', '1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^plan: validation loss at N=2e\+9, D=4e\+10/);
  assert.match(r.stdout, /now [\d.]+, 95% interval \[/);
  assert.match(r.stdout, /proposed runs/);
  assert.match(r.stdout, /1 run, whole budget at 20 tokens\/param/);
});

test('plan usage errors exit 2 and name the problem; a fit that cannot plan exits 1 naming the file', async () => {
  const cases: [string[], RegExp][] = [
    [['plan', 'x.json'], /--target is required/],
    [['plan', 'x.json', '--target', 'C=1e23,N=1e9'], /C=<FLOPs> alone, or N=…,D=…/],
    [['plan', 'x.json', '--target', 'Q=1'], /"Q" is not C, N or D/],
    [['plan', 'x.json', '--target', 'C=1e23', '--objective', 'speed'], /--objective must be one of loss, n_opt/],
    [['plan', 'x.json', '--target', 'C=1e23', '--max-runs', '0'], /--max-runs must be an integer/],
    [['plan', 'x.json', '--target', 'C=1e23', '--budget', 'lots'], /--budget must be a positive number/],
  ];
  for (const [argv, msg] of cases) {
    const r = await cli(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, msg);
  }
  const noDraws = tmp.file('nodraws.json');
  assert.equal((await cli('fit', RESULTS, '--law', 'chinchilla', '--out', noDraws)).code, 0);
  const r = await cli('plan', noDraws, '--target', 'C=1e23');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nodraws\.json: planning needs the fit's bootstrap draws/);
});
