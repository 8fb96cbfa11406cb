/**
 * One plot of the panel. The first render embeds the host's Vega-Lite spec (with the interpreter: the CSP has no
 * 'unsafe-eval'); later renders with the same spec only swap the named data sets inside the live Vega view, so a
 * refit or a log append changes the marks in place and the user's zoom stays. A changed spec (axis toggle, another
 * law) or theme is embedded off-screen and swapped in when drawn, so there is no blank frame; the zoom is carried
 * over as fixed scale domains while the axis types stay the same.
 */
import embed, { vega, vegaLite, type Result } from 'vega-embed';
import { panelExpressions } from './expr';
import { Handler } from 'vega-tooltip';
import type { ChartId, ChartModel, DataChange, ImageFormat, JsonObject, JsonValue, Row } from '../src/contract/panel';
import type { SavedZoom } from './api';
import { pageConfig, resolveTokens, vegaConfig, type Palette } from './theme';

/** The styles live in media/panel.css: vega-tooltip's own <style> injection would break the CSP. */
const tooltip = new Handler({ disableDefaultStyle: true, theme: 'vscode', offsetX: 12, offsetY: 12 });

const POINT_ROLES = new Set(['fitted', 'held out', 'excluded']);
const ZOOM_SIGNAL = 'zoom';
const EXPORT_WIDTH = 860;

export interface ChartCallbacks {
  /** A data point was clicked: its run, step and whether it is currently excluded. */
  onPoint(runId: string, step: number | undefined, excluded: boolean): void;
  /** The user zoomed or panned (undefined: reset). */
  onZoom(zoom: SavedZoom | undefined): void;
  onError(message: string): void;
}

function layers(spec: JsonObject): JsonObject[] {
  return Array.isArray(spec.layer)
    ? (spec.layer.filter((l) => typeof l === 'object' && l !== null && !Array.isArray(l)) as JsonObject[])
    : [];
}

/** Pins the zoomed domains into every layer's x/y scale (a copy of the spec is passed in). */
function pinDomains(spec: JsonObject, zoom: SavedZoom): void {
  for (const layer of layers(spec)) {
    const enc = layer.encoding;
    if (!enc || typeof enc !== 'object' || Array.isArray(enc)) continue;
    for (const ch of ['x', 'y'] as const) {
      const dom = zoom[ch];
      const def = enc[ch];
      if (!dom || !def || typeof def !== 'object' || Array.isArray(def)) continue;
      const scale = def.scale && typeof def.scale === 'object' && !Array.isArray(def.scale) ? def.scale : {};
      // No edge padding on a pinned domain: it would widen the view by a few pixels on every re-render.
      def.scale = { ...scale, domain: dom as JsonValue, padding: 0 };
    }
  }
}

/** The fields on x and y of the layer holding the zoom selection. */
function zoomFields(spec: JsonObject | undefined): { x?: string; y?: string } {
  for (const layer of spec ? layers(spec) : []) {
    if (
      !Array.isArray(layer.params) ||
      !layer.params.some((p) => typeof p === 'object' && p !== null && !Array.isArray(p) && p.name === ZOOM_SIGNAL)
    )
      continue;
    const enc = layer.encoding;
    if (!enc || typeof enc !== 'object' || Array.isArray(enc)) return {};
    const field = (ch: 'x' | 'y'): string | undefined => {
      const def = enc[ch];
      return def && typeof def === 'object' && !Array.isArray(def) && typeof def.field === 'string'
        ? def.field
        : undefined;
    };
    return { x: field('x'), y: field('y') };
  }
  return {};
}

function datasetNames(spec: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const layer of layers(spec)) {
    const d = layer.data;
    if (d && typeof d === 'object' && !Array.isArray(d) && typeof d.name === 'string') names.add(d.name);
  }
  return names;
}

/** A compiled Vega spec with the rows of each named source data set filled in (the spec is a fresh copy). */
function withValues(spec: JsonObject, data: Record<string, Row[]>): JsonObject {
  if (!Array.isArray(spec.data)) return spec;
  spec.data = spec.data.map((d) => {
    if (typeof d !== 'object' || d === null || Array.isArray(d) || typeof d.name !== 'string') return d;
    // Source data sets only (no `source`, no `url`): derived ones read from them. Keys present but unset count too.
    const isSource = !('source' in d) && !('url' in d);
    const rows = isSource && Object.hasOwn(data, d.name) ? data[d.name] : undefined;
    return rows ? { ...d, values: rows } : d;
  });
  return spec;
}

/** Drawn points above which a chart renders to canvas instead of SVG. */
const CANVAS_ABOVE_MARKS = 6_000;

export class ChartView {
  private result: Result | undefined;
  private specKey = '';
  private lastSpec: JsonObject | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** The data sets the live view holds (by identity: an unchanged set keeps its array across updates). */
  private liveData: Record<string, Row[]> = {};

  constructor(
    readonly id: ChartId,
    private readonly host: HTMLElement,
    private readonly callbacks: ChartCallbacks,
  ) {}

  /** Renders (or updates) the plot; calls are serialised so a burst of updates cannot interleave two embeds. */
  render(model: ChartModel, palette: Palette, axesKey: string, zoom: SavedZoom | undefined): Promise<void> {
    this.queue = this.queue
      .then(() => this.doRender(model, palette, axesKey, zoom))
      .catch((e: unknown) => {
        this.host.dataset.state = 'error';
        this.callbacks.onError(`${this.id} plot: ${e instanceof Error ? e.message : String(e)}`);
      });
    return this.queue;
  }

  private async doRender(
    model: ChartModel,
    palette: Palette,
    axesKey: string,
    zoom: SavedZoom | undefined,
  ): Promise<void> {
    const key = JSON.stringify(model.spec) + JSON.stringify(palette);
    if (this.result && key === this.specKey) {
      const view = this.result.view;
      const names = datasetNames(model.spec);
      for (const [name, rows] of Object.entries(model.data))
        if (names.has(name) && this.liveData[name] !== rows) view.data(name, rows);
      this.liveData = model.data;
      await view.runAsync();
      this.markRendered();
      return;
    }
    const pinned = zoom && zoom.axes === axesKey ? zoom : undefined;
    // The host's compiled Vega spec when it sent one (only parsing is left here); a zoom to pin is written into
    // the Vega-Lite spec's scales, which the page then compiles itself.
    const compiled =
      model.vega && !pinned ? withValues(resolveTokens(model.vega, palette) as JsonObject, model.data) : undefined;
    const spec = compiled ?? (resolveTokens(model.spec, palette) as JsonObject);
    if (!compiled) {
      spec.datasets = model.data;
      if (pinned) pinDomains(spec, pinned);
    }
    // Double buffering: the new view is drawn in a hidden sibling that already has the panel's width.
    const next = document.createElement('div');
    next.className = 'chart-canvas chart-next';
    next.setAttribute('role', 'img');
    next.setAttribute('aria-label', model.caption);
    this.host.appendChild(next);
    let result: Result;
    try {
      result = await embed(next, spec, {
        // SVG keeps marks inspectable and crisp; past a few thousand marks (hundreds of runs) canvas redraws several
        // times faster. Exports still produce SVG through the view either way.
        renderer: model.drawn > CANVAS_ABOVE_MARKS ? 'canvas' : 'svg',
        actions: false,
        defaultStyle: false,
        ast: true,
        expr: panelExpressions,
        ...(compiled ? { mode: 'vega' as const, config: pageConfig(palette) } : { config: vegaConfig(palette) }),
        tooltip: tooltip.call,
        logLevel: vega.Warn,
      });
      await result.view.runAsync();
    } catch (e) {
      next.remove();
      throw e;
    }
    const old = this.result;
    for (const child of [...this.host.children]) if (child !== next) child.remove();
    old?.finalize();
    next.classList.remove('chart-next');
    this.result = result;
    this.specKey = key;
    this.lastSpec = model.spec;
    this.liveData = model.data;
    this.listen(result, axesKey);
    this.markRendered();
  }

  private listen(result: Result, axesKey: string): void {
    const view = result.view;
    view.addEventListener('click', (_event, item) => {
      const d = item?.datum as Row | undefined;
      if (!d || typeof d.run !== 'string' || typeof d.role !== 'string' || !POINT_ROLES.has(d.role)) return;
      this.callbacks.onPoint(d.run, typeof d.step === 'number' ? d.step : undefined, d.role === 'excluded');
    });
    let hasZoom = true;
    try {
      view.signal(ZOOM_SIGNAL);
    } catch {
      hasZoom = false;
    }
    if (!hasZoom) return;
    // The selection's value is keyed by the fields on x and y (e.g. {x: [lo, hi], y: [lo, hi]} or {N: …, y: …}).
    const fields = zoomFields(this.lastSpec);
    view.addSignalListener(ZOOM_SIGNAL, (_name, value: unknown) => {
      const v = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
      const range = (field: string | undefined): number[] | undefined => {
        const r = field ? v[field] : undefined;
        if (!Array.isArray(r) || r.length !== 2) return undefined;
        const [a, b] = r as unknown[];
        return typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)
          ? [Math.min(a, b), Math.max(a, b)]
          : undefined;
      };
      const x = range(fields.x);
      const y = range(fields.y);
      this.callbacks.onZoom(x || y ? { axes: axesKey, x, y } : undefined);
    });
  }

  /**
   * Applies a delta's data changes to the live view as Vega changesets: a grown log removes that run's old rows and
   * inserts its new ones, so Vega recomputes one series, not a thousand. False when there is no live view of this
   * model's spec (the caller then draws the whole model when the plot is next shown).
   */
  applyChanges(changes: DataChange[], model: ChartModel, palette: Palette): Promise<boolean> {
    const key = JSON.stringify(model.spec) + JSON.stringify(palette);
    const run = async (): Promise<boolean> => {
      if (!this.result || key !== this.specKey) return false;
      const view = this.result.view;
      const names = datasetNames(model.spec);
      for (const c of changes) {
        if (!names.has(c.dataset)) continue;
        if (c.type === 'datasetReplaced') view.data(c.dataset, c.rows);
        else {
          const cs = vega.changeset();
          if (c.type !== 'runsAdded') {
            const runs = new Set(c.runs);
            cs.remove((d: Row) => runs.has(d.run as string));
          }
          if (c.type !== 'runsRemoved') cs.insert(c.rows);
          view.change(c.dataset, cs);
        }
      }
      this.liveData = model.data;
      await view.runAsync();
      this.markRendered();
      return true;
    };
    const applied = this.queue.then(run);
    this.queue = applied.then(
      () => undefined,
      (e: unknown) => {
        this.host.dataset.state = 'error';
        this.callbacks.onError(`${this.id} plot: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
    return applied.catch(() => false);
  }

  private markRendered(): void {
    performance.mark('scaling-lens:rendered');
    this.host.dataset.state = 'rendered';
    this.host.dataset.renders = String(Number(this.host.dataset.renders ?? '0') + 1);
  }

  showUnavailable(reason: string): void {
    this.result?.finalize();
    this.result = undefined;
    this.specKey = '';
    const p = document.createElement('p');
    p.className = 'unavailable';
    p.textContent = reason;
    this.host.replaceChildren(p);
    this.host.dataset.state = 'unavailable';
  }

  /**
   * The plot as an image file, with its title, at a fixed width: a separate headless view, so an export never
   * disturbs the live one (its zoom, its size) and works for a tab that was never opened.
   */
  static async image(model: ChartModel, palette: Palette, format: ImageFormat): Promise<string> {
    const spec = resolveTokens(model.spec, palette) as JsonObject;
    spec.datasets = model.data;
    spec.width = EXPORT_WIDTH;
    spec.autosize = { type: 'pad' };
    spec.title = { text: model.title, subtitle: model.subtitle };
    const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0], {
      config: vegaConfig(palette),
    }).spec;
    const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), {
      renderer: 'none',
      expr: panelExpressions,
    });
    try {
      await view.runAsync();
      return format === 'svg' ? await view.toSVG() : await view.toImageURL('png', 2);
    } finally {
      view.finalize();
    }
  }

  /** Forgets the drawn spec, so the next render embeds afresh (used by "Reset zoom" to drop pinned domains). */
  invalidate(): void {
    this.specKey = '';
  }

  dispose(): void {
    this.result?.finalize();
    this.result = undefined;
  }
}
