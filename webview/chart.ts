/**
 * One plot of the panel. The first render embeds the host's Vega-Lite spec (with the interpreter: the CSP has no
 * 'unsafe-eval'); later renders with the same spec only swap the named data sets inside the live Vega view, so a
 * refit or a log append changes the marks in place and the user's zoom stays. A changed spec (axis toggle, another
 * law) or theme is embedded off-screen and swapped in when drawn, so there is no blank frame; the zoom is carried
 * over as fixed scale domains while the axis types stay the same.
 */
import embed, { vega, vegaLite, type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { Handler } from 'vega-tooltip';
import type { ChartId, ChartModel, ImageFormat, JsonObject, JsonValue, Row } from '../src/contract/panel';
import type { SavedZoom } from './api';
import { resolveTokens, vegaConfig, type Palette } from './theme';

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

/** Rows grouped by their `run` field as JSON, or undefined when some row has no run (then the set is swapped whole). */
function groupRows(rows: Row[]): Map<string, string> | undefined {
  const parts = new Map<string, Row[]>();
  for (const r of rows) {
    if (typeof r.run !== 'string') return undefined;
    let list = parts.get(r.run);
    if (!list) parts.set(r.run, (list = []));
    list.push(r);
  }
  return new Map([...parts].map(([run, list]) => [run, JSON.stringify(list)]));
}

function byRun(data: Record<string, Row[]>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [name, rows] of Object.entries(data)) {
    const g = groupRows(rows);
    if (g) out.set(name, g);
  }
  return out;
}

/** Drawn points above which a chart renders to canvas instead of SVG. */
const CANVAS_ABOVE_MARKS = 6_000;

export class ChartView {
  private result: Result | undefined;
  private specKey = '';
  private lastSpec: JsonObject | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Per data set, each run's rows as JSON: what the live view holds, to send only what changed. */
  private lastRows = new Map<string, Map<string, string>>();

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
      for (const [name, rows] of Object.entries(model.data)) if (names.has(name)) this.swapData(view, name, rows);
      await view.runAsync();
      this.markRendered();
      return;
    }
    const spec = resolveTokens(model.spec, palette) as JsonObject;
    spec.datasets = model.data;
    if (zoom && zoom.axes === axesKey) pinDomains(spec, zoom);
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
        renderer: (model.drawn ?? 0) > CANVAS_ABOVE_MARKS ? 'canvas' : 'svg',
        actions: false,
        defaultStyle: false,
        ast: true,
        expr: expressionInterpreter,
        config: vegaConfig(palette),
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
    this.lastRows = byRun(model.data);
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
        return Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number' && Number.isFinite(x))
          ? [Math.min(r[0], r[1]), Math.max(r[0], r[1])]
          : undefined;
      };
      const x = range(fields.x);
      const y = range(fields.y);
      this.callbacks.onZoom(x || y ? { axes: axesKey, x, y } : undefined);
    });
  }

  /**
   * Replaces a data set's rows. When rows carry a run and only some runs changed (a log grew), only those runs'
   * rows go in as a changeset: Vega then recomputes just their series instead of every run's.
   */
  private swapData(view: Result['view'], name: string, rows: Row[]): void {
    const previous = this.lastRows.get(name);
    const next = groupRows(rows);
    if (next) this.lastRows.set(name, next);
    else this.lastRows.delete(name);
    if (!previous || !next) {
      view.data(name, rows);
      return;
    }
    const changed = new Set<string>();
    for (const [run, json] of next) if (previous.get(run) !== json) changed.add(run);
    for (const run of previous.keys()) if (!next.has(run)) changed.add(run);
    if (changed.size === 0) return;
    if (changed.size > next.size / 2) {
      view.data(name, rows);
      return;
    }
    const isChanged = (d: unknown) => changed.has(String((d as Row).run));
    view.change(name, vega.changeset().remove(isChanged).insert(rows.filter(isChanged)));
  }

  private markRendered(): void {
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
      expr: expressionInterpreter,
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
