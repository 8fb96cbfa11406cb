import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultViewOptions } from '../../../src/contract/panel';
import { splitCsvLine } from '../../../src/core/ingest/readers/csvLine';
import { pointsCsv, standaloneSpec } from '../../../src/core/view/exports';
import { buildPanelState } from '../../../src/core/view/panelState';
import { chinchillaData, chinchillaFit } from './fixtures';

test('the points CSV round-trips: every point, full precision, excluded ones flagged', () => {
  const data = chinchillaData();
  const odd = { ...data.points[1], runId: 'runs/"quoted", with comma' };
  const excluded = [data.points[0]];
  const csv = pointsCsv({ ...data, points: [odd, ...data.points.slice(2)] }, excluded);
  const lines = csv.trimEnd().split('\n');
  const header = splitCsvLine(lines[0], ',');
  assert.deepEqual(header, ['run', 'step', 'N', 'D', 'val_loss', 'excluded']);
  const rows = lines.slice(1).map((l) => splitCsvLine(l, ','));
  assert.equal(rows.length, data.points.length);
  assert.equal(rows[0][0], odd.runId);
  const back = rows.map((r) => ({
    runId: r[0],
    step: Number(r[1]),
    x: { N: Number(r[2]), D: Number(r[3]) },
    y: Number(r[4]),
    excluded: r[5] === 'true',
  }));
  assert.deepEqual(back[0], { runId: odd.runId, step: odd.step, x: odd.x, y: odd.y, excluded: false });
  assert.deepEqual(back[back.length - 1], {
    runId: excluded[0].runId,
    step: excluded[0].step,
    x: excluded[0].x,
    y: excluded[0].y,
    excluded: true,
  });
});

test('a copied spec stands alone: data inlined, title back, no theme tokens', () => {
  const { fit, data } = chinchillaFit();
  const slot = buildPanelState({ fit, dataset: data }, defaultViewOptions()).charts.scaling;
  assert.ok(slot.available);
  const spec = standaloneSpec(slot);
  const text = JSON.stringify(spec);
  assert.doesNotMatch(text, /theme:/);
  assert.deepEqual(Object.keys(spec.datasets as object).sort(), Object.keys(slot.data).sort());
  assert.deepEqual(spec.title, { text: slot.title, subtitle: slot.subtitle });
  assert.equal(spec.width, 720);
  assert.match(JSON.stringify(slot.spec), /theme:/, 'the panel’s own spec is untouched');
});
