/**
 * Vega-Lite compiled to Vega on the host, once per distinct spec, so a new webview page only parses Vega: opening
 * the panel no longer pays the compile on every page, and the page's JIT is spared Vega-Lite's code on the first
 * draw. Specs hold no data (data sets are named and travel separately), so a log append or a refit reuses the
 * cached compile. Colours are compiled as theme tokens (the page resolves them); fonts and run colours come from
 * the page's config at parse time (`pageConfig` in webview/theme.ts).
 *
 * Vega-Lite is loaded on first use (`loadCompiler`): it is a large module the extension host does not need to
 * activate. Until it is loaded, states go out without `vega` and the page compiles as before.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_IDS,
  panelConfig,
  TOKEN_COLORS,
  type ChartSlot,
  type JsonObject,
  type PanelState,
} from '../../contract/panel';

type Compile = (spec: TopLevelSpec, options: { config: JsonObject }) => { spec: object };

let compile: Compile | undefined;
let loading: Promise<void> | undefined;

/** Loads Vega-Lite (once); resolves when specs can be compiled. A failed load leaves the page compiling. */
export function loadCompiler(): Promise<void> {
  loading ??= import('vega-lite').then((vl) => {
    compile = vl.compile;
  });
  return loading;
}

export function compilerLoaded(): boolean {
  return compile !== undefined;
}

/** Compiled specs by their Vega-Lite JSON; a handful of plots and axis choices, so a small bound suffices. */
const cache = new Map<string, JsonObject>();
const CACHE_SIZE = 32;
const CONFIG = panelConfig(TOKEN_COLORS);

/** The Vega spec for a Vega-Lite spec, from the cache when it was compiled before; undefined before the load. */
export function compiledSpec(spec: JsonObject): JsonObject | undefined {
  if (!compile) return undefined;
  const key = JSON.stringify(spec);
  let out = cache.get(key);
  if (out) {
    // Most recently used last: the first key is the one to evict.
    cache.delete(key);
  } else {
    out = JSON.parse(JSON.stringify(compile(spec as unknown as TopLevelSpec, { config: CONFIG }).spec)) as JsonObject;
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, out);
  return out;
}

/** The state with each drawable plot's compiled spec added (the same state when the compiler is not loaded). */
export function withCompiledSpecs(state: PanelState): PanelState {
  if (!compile) return state;
  const charts = { ...state.charts };
  for (const id of CHART_IDS) {
    const slot: ChartSlot = charts[id];
    if (!slot.available) continue;
    try {
      const vega = compiledSpec(slot.spec);
      if (vega) charts[id] = { ...slot, vega };
    } catch {
      // The page compiles this spec itself and reports Vega-Lite's error where the plot would be.
    }
  }
  return { ...state, charts };
}
