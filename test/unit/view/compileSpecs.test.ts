import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultViewOptions, THEME_TOKEN_PREFIX, type ChartModel, type JsonValue } from '../../../src/contract/panel';
import { compiledSpec, loadCompiler, withCompiledSpecs } from '../../../src/core/view/compileSpecs';
import { buildPanelState } from '../../../src/core/view/panelState';
import { chinchillaFit } from './fixtures';

function strings(v: JsonValue, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

test('the host compiles every drawable plot to Vega once, colours as theme tokens, data left out', async () => {
  await loadCompiler();
  const { fit, data } = chinchillaFit();
  const state = withCompiledSpecs(buildPanelState({ fit, dataset: data }, defaultViewOptions(), 1));
  for (const [id, slot] of Object.entries(state.charts)) {
    if (!slot.available) continue;
    const vega = slot.vega;
    assert.ok(vega, `${id} compiled`);
    assert.match(JSON.stringify(vega.$schema), /vega\/v\d/, `${id} is a Vega spec`);
    const colours = strings(vega).filter((s) => /^#[0-9a-f]{3,8}$/i.test(s));
    assert.deepEqual(colours, [], `${id}: no colour but theme tokens`);
    assert.ok(
      strings(vega).some((s) => s.startsWith(THEME_TOKEN_PREFIX)),
      `${id}: theme tokens kept`,
    );
    const sources = (vega.data as { name: string; values?: unknown }[]).filter((d) => d.name in slot.data);
    assert.deepEqual(
      sources.map((d) => d.name).sort(),
      Object.keys(slot.data)
        .filter((n) => sources.some((d) => d.name === n))
        .sort(),
    );
    assert.ok(sources.length > 0 && sources.every((d) => d.values === undefined), `${id}: data travels separately`);
  }
  // A rebuild with the same spec (a log append, a refit) reuses the compile.
  const again = withCompiledSpecs(buildPanelState({ fit, dataset: data }, defaultViewOptions(), 2));
  assert.equal((again.charts.scaling as ChartModel).vega, (state.charts.scaling as ChartModel).vega);
  assert.equal(compiledSpec((state.charts.scaling as ChartModel).spec), (state.charts.scaling as ChartModel).vega);
});
