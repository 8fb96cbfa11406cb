import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Catalog } from '../../../src/core/ingest/catalog';
import { headOf, useIoWorker } from '../../../src/core/ingest/ioWorker';
import { tabulateJsonLines } from '../../../src/core/ingest/lines/logTable';
import { dropPrefetched, prefetchHeads, readHead } from '../../../src/core/ingest/readAhead';
import { tmpDir } from '../../support/tmp';

test('a JSON-lines log of flat numeric records becomes columns; a missing key is NaN, 1e999 is Infinity', () => {
  const t = tabulateJsonLines('{"iter": 0, "loss": 3.5}\n{"iter": 10, "loss": 1e999, "val_loss": -0}\n{"loss": 2}');
  assert.ok(t);
  assert.deepEqual(t.names, ['iter', 'loss', 'val_loss']);
  assert.equal(t.lines, 3);
  assert.deepEqual([...t.values], [0, 10, NaN, 3.5, Infinity, 2, NaN, -0, NaN]);
  assert.ok(Object.is(t.values[7], -0));
});

test('anything the general path must read line by line gets no table', () => {
  const refused = [
    '{"a": 1}\n\n{"a": 2}', // a blank line
    '{"a": NaN}', // Python's NaN: not JSON
    '{"a": 1}\n[1, 2]',
    '{"a": 1}\n{}',
    '{"a": "text"}',
    '{"a": null}',
    '{"a": true}',
    '{"a": {"b": 1}}',
    '{"a": [1]}',
    '{"Step": 1, "step": 2}', // the step field is found case-insensitively
    '{"__proto__": 1}',
    '{"_wandb": 1}',
    '{"value": 1, "desc": 2}', // W&B's {value, desc} wrapper
    ' {"a": 1}',
    '{"a": 1} {"a": 2}',
  ];
  for (const text of refused) assert.equal(tabulateJsonLines(text), undefined, text);
});

test('the table function stands alone: its source, evaluated by itself as the worker does, gives the same table', () => {
  // a context of its own: nothing of this module or of Node is in reach, as in the worker's eval'd source
  const alone = runInNewContext(`(${tabulateJsonLines.toString()})`, { __name: (f: unknown) => f }) as (
    text: string,
  ) => { names: string[]; lines: number; values: Float64Array };
  const text = '{"step": 1, "loss": 2}\r\n{"step": 2, "loss": 1.5, "ünï": 3}';
  const plain = (t: { names: string[]; lines: number; values: Float64Array } | undefined) =>
    t && { names: [...t.names], lines: t.lines, values: Array.from(t.values) };
  assert.deepEqual(plain(alone(text)), plain(tabulateJsonLines(text)));
  assert.equal(alone('{"a": "x"}'), undefined);
});

test('the I/O worker tabulates a whole log it was asked to, and only that', async () => {
  const root = tmpDir('sl-table-');
  const log = join(root, 'log.jsonl');
  const text =
    '{"step": 1, "loss": 2, "a_rather_long_metric_name_to_pass_64_bytes": 3}\n{"step": 2, "loss": 1.5}\n{"step": 3, "lo';
  writeFileSync(log, text);
  const [asked, notAsked, cut] = await Promise.all([
    headOf(log, 1 << 20, true),
    headOf(log, 1 << 20),
    headOf(log, 30, true),
  ]);
  assert.ok(asked.table);
  const { names, lines, bytes, values, rest } = asked.table;
  assert.deepEqual(
    { names, lines, bytes, values: [...values], rest: rest.toString() },
    {
      names: ['step', 'loss', 'a_rather_long_metric_name_to_pass_64_bytes'],
      lines: 2,
      bytes: text.lastIndexOf('\n') + 1,
      values: [1, 2, 2, 1.5, 3, NaN],
      rest: '{"step": 3, "lo',
    },
  );
  // of a tabulated file only its first 64 bytes come over (a tail's identity), with its size
  assert.equal(asked.bytes.toString(), text.slice(0, 64));
  assert.equal(asked.size, text.length);
  assert.equal(notAsked.table, undefined);
  assert.equal(notAsked.bytes.toString(), text);
  assert.equal(cut.table, undefined); // not the whole file
  // read ahead for a log's name: a reader that takes tables gets the table; anyone else gets the bytes
  for (const acceptTable of [true, false]) {
    dropPrefetched();
    prefetchHeads([log]);
    const head = await readHead(log, 256 << 10, acceptTable);
    assert.equal(head.table?.lines, acceptTable ? 2 : undefined);
    assert.equal(head.bytes.toString(), acceptTable ? text.slice(0, 64) : text);
  }
});

/** Everything a run's series hold, to compare the two ways of reading. */
function dump(cat: Catalog): unknown {
  return cat
    .runs()
    .map((run) => ({
      id: run.id,
      N: run.N?.value,
      metrics: run.metrics.all().map((s) => ({
        name: s.name,
        logged: s.logged,
        count: s.count,
        thinned: s.thinned,
        step: [...s.step],
        value: [...s.value],
        tokens: [...s.tokens],
        time: [...s.time],
        nonfinite: [s.nonfiniteCount, s.firstNonfiniteStep],
        restarts: [s.restarts, s.firstRestartStep],
      })),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Logs of the shapes the table covers, and one it does not; scanned, then appended to (completing a partial line). */
function writeLogs(root: string): string[] {
  const logs: Record<string, string> = {
    // nanoGPT: iter is the step and a metric too; val_loss every 5th line; tokens
    nano: Array.from({ length: 40 }, (_, k) =>
      JSON.stringify({
        iter: k * 10,
        loss: 3 / (1 + k),
        ...(k % 5 === 0 ? { val_loss: 3.1 / (1 + k) } : {}),
        tokens: k * 4096,
      }),
    ).join('\n'),
    // train and eval lines alternate, keys in other orders, the preferred step field only on some lines
    alternating: Array.from({ length: 30 }, (_, k) =>
      k % 2
        ? JSON.stringify({ epoch: k / 10, eval_loss: 2 - k / 100, step: k })
        : JSON.stringify({ loss: 2.5 - k / 100, epoch: k / 10, learning_rate: 1e-3, _runtime: k * 1.5 }),
    ).join('\n'),
    // a restart (steps go back), a diverged value, -0, wall time, CRLF line ends, a key outside ASCII
    restarted: [
      '{"step": 0, "loss": -0, "time": 1.5}',
      '{"step": 10, "loss": 1e999, "time": 2.5}',
      '{"step": 5, "loss": 1, "ünï": 2}',
    ].join('\r\n'),
    // strings: the general path
    texts: '{"step": 1, "loss": 2, "mode": "train"}\n{"step": 2, "loss": 1}',
  };
  const files: string[] = [];
  for (const [name, text] of Object.entries(logs)) {
    mkdirSync(join(root, name), { recursive: true });
    const file = join(root, name, 'log.jsonl');
    // the last line has no newline yet: a log being written
    writeFileSync(file, `${text}\n{"step": 99`);
    files.push(file);
  }
  return files;
}

for (const [what, opts] of [
  ['', {}],
  // past maxPoints the rows stop sharing and series thin: a table is then pushed record by record
  [' (series thinned at 8 points)', { maxPointsPerSeries: 8 }],
] as const)
  test(`read from the worker's tables or line by line, every run comes out the same, before and after appends${what}`, async () => {
    const results: unknown[] = [];
    for (const worker of [true, false]) {
      useIoWorker(worker);
      try {
        const root = tmpDir('sl-table-');
        const files = writeLogs(root);
        const cat = new Catalog([root], opts);
        await cat.scan();
        const before = dump(cat);
        for (const f of files) appendFileSync(f, ', "loss": 0.5}\n{"step": 100, "loss": 0.25}\n');
        await cat.applyFileEvents(files);
        results.push({ before, after: dump(cat), problems: cat.diagnostics().length });
      } finally {
        useIoWorker(true);
      }
    }
    assert.deepEqual(results[0], results[1]);
    const { before, after } = results[0] as {
      before: { metrics: { name: string; logged: number }[] }[];
      after: unknown;
    };
    assert.equal(before.length, 4);
    assert.deepEqual(
      before.find((r) => r.metrics.some((m) => m.name === 'val_loss'))?.metrics.map((m) => [m.name, m.logged]),
      [
        ['iter', 40],
        ['loss', 40],
        ['val_loss', 8],
      ],
    );
    assert.notDeepEqual(after, before);
  });

test('after 4,096 different lists of keys the I/O worker numbers them afresh, and every table keeps its own keys', async () => {
  const root = tmpDir('sl-keys-');
  const file = (name: string, key: string) => {
    const path = join(root, name);
    writeFileSync(path, `{"${key}": 1}\n`);
    return path;
  };
  const first = file('first.jsonl', 'loss');
  // batch after batch, a list numbered long ago and 127 new ones: the numbering starts again within one of them
  for (let round = 0; round < 40; round++) {
    const paths = [first, ...Array.from({ length: 127 }, (_, i) => file(`r${round}m${i}.jsonl`, `m_${round}_${i}`))];
    const keys = (await Promise.all(paths.map((p) => headOf(p, 1 << 20, true)))).map((h) => h.table?.names.join(','));
    assert.equal(keys[0], 'loss', `round ${round}`);
    assert.equal(keys[127], `m_${round}_126`, `round ${round}`);
  }
});
