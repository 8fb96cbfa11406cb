/**
 * The Scaling panel's webview: a projection of the host's state. It posts `ready`, draws whatever `state` the host
 * sends (re-drawing in place on updates), answers image requests, and turns clicks into requests to the host.
 * UI-only state (selected tab, zoom) is kept with setState so it survives hiding the panel and reloading the window.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  applyPanelDelta,
  CHART_IDS,
  INITIAL_STATE_ID,
  parseHostMessage,
  type ChartId,
  type DataChange,
  type HostMessage,
  type PanelDelta,
  type PanelState,
  type PanelStatus,
} from '../src/contract/panel';
import { loadUiState, post, saveUiState, type SavedZoom } from './api';
import { ChartView } from './chart';
import { toolbar, type Toolbar } from './controls';
import { ce, h } from './dom';
import { PlanSection } from './plan';
import { renderSummary } from './summary';
import { onThemeChange, readPalette, type Palette } from './theme';

const TAB_LABELS: Record<ChartId | 'fit' | 'plan', string> = {
  scaling: 'Scaling law',
  curves: 'Learning curves',
  isoflop: 'IsoFLOP',
  residuals: 'Residuals',
  fit: 'Fit',
  plan: 'Plan',
};
const TABS: (ChartId | 'fit' | 'plan')[] = [...CHART_IDS, 'fit', 'plan'];

interface ChartSection {
  view: ChartView;
  bar: Toolbar;
  title: HTMLElement;
  subtitle: HTMLElement;
  caption: HTMLElement;
  /** A state arrived while the tab was hidden: draw on show (a hidden container has no width to lay out in). */
  stale: boolean;
}

const ui = loadUiState();
let palette: Palette = readPalette();
let state: PanelState | undefined;

function reportError(message: string): void {
  console.error(message);
  post({ type: 'log', level: 'error', message });
}

window.addEventListener('error', (e) => {
  reportError(`webview error: ${e.message}`);
});
window.addEventListener('unhandledrejection', (e) => {
  reportError(`webview error: ${e.reason instanceof Error ? e.reason.message : String(e.reason)}`);
});

// --- layout ----------------------------------------------------------------------------------------------------
const titleEl = h('h1', {}, 'Scaling Lens');
const statusEl = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Waiting for the extension…');
const header = h(
  'header',
  {},
  h('div', { class: 'heading' }, titleEl, statusEl),
  h(
    'div',
    { class: 'actions' },
    actionButton(
      'Refit',
      'Fit the law again with the current runs and exclusions',
      () => {
        post({ type: 'refit' });
      },
      false,
    ),
    actionButton('Export fit', 'Save the fit as JSON (reproducible with scaling-lens predict)', () => {
      post({ type: 'export', kind: 'fit-json' });
    }),
    actionButton('Export data', 'Save the fitted points as CSV', () => {
      post({ type: 'export', kind: 'data-csv' });
    }),
    actionButton('Copy LaTeX', 'Copy the fitted law as LaTeX', () => {
      post({ type: 'copy', kind: 'latex' });
    }),
  ),
);

function actionButton(label: string, title: string, onClick: () => void, secondary = true): HTMLElement {
  const b = ce('vscode-button', { title, secondary }, label);
  b.addEventListener('click', onClick);
  return b;
}

const sections = new Map<ChartId, ChartSection>();
const tabs = ce('vscode-tabs', { 'selected-index': String(Math.min(Math.max(ui.tab, 0), TABS.length - 1)) });
const summaryEl = h('div', { class: 'summary' });
const planSection = new PlanSection(reportError);
/** The Plan tab is drawn when shown (its chart is a Vega view of its own): a new state only marks it stale. */
let planStale = true;
for (const id of TABS) {
  tabs.append(ce('vscode-tab-header', { slot: 'header', id: `tab-${id}` }, TAB_LABELS[id]));
  if (id === 'fit' || id === 'plan') {
    tabs.append(ce('vscode-tab-panel', { 'data-tab': id }, id === 'fit' ? summaryEl : planSection.el));
    continue;
  }
  const host = h('div', { class: 'chart-host', 'data-chart': id, 'data-state': 'pending' });
  const view = new ChartView(id, host, {
    onPoint: (runId, step, excluded) => {
      post(
        step === undefined ? { type: 'togglePoint', runId, excluded } : { type: 'togglePoint', runId, step, excluded },
      );
    },
    onZoom: (zoom) => {
      saveZoom(id, zoom);
    },
    onError: reportError,
  });
  const bar = toolbar(id, () => {
    resetZoom(id);
  });
  const title = h('h2', { class: 'chart-title' });
  const subtitle = h('div', { class: 'chart-subtitle' });
  const caption = h('p', { class: 'caption' });
  sections.set(id, { view, bar, title, subtitle, caption, stale: true });
  tabs.append(ce('vscode-tab-panel', { 'data-tab': id }, bar.el, title, subtitle, host, caption));
}
document.body.append(header, h('main', {}, tabs));

tabs.addEventListener('vsc-tabs-select', (e) => {
  ui.tab = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
  saveUiState(ui);
  void drawVisible();
  // Vega sizes 'container'-wide plots on window resize only; a resize while this tab was hidden left it at
  // width 0. A synthetic resize once the tab is laid out makes the shown plot measure its container again.
  requestAnimationFrame(() => window.dispatchEvent(new Event('resize')));
});

// --- state -----------------------------------------------------------------------------------------------------
function axesKey(id: ChartId): string {
  const a = state?.options.axes[id];
  return a ? `${a.x}/${a.y}` : '';
}

function saveZoom(id: ChartId, zoom: SavedZoom | undefined): void {
  ui.zoom = { ...ui.zoom, [id]: zoom };
  if (!zoom) ui.zoom = Object.fromEntries(Object.entries(ui.zoom).filter(([k]) => k !== id));
  saveUiState(ui);
}

function resetZoom(id: ChartId): void {
  saveZoom(id, undefined);
  const s = sections.get(id);
  if (!s) return;
  s.view.invalidate();
  s.stale = true;
  void drawVisible();
}

function visibleChart(): ChartId | undefined {
  const id = TABS[ui.tab];
  return id === 'fit' || id === 'plan' ? undefined : id;
}

/** Draws a plot (or why it cannot be drawn); resolves once it is drawn. */
function drawChart(id: ChartId): Promise<void> {
  const s = sections.get(id);
  const slot = state?.charts[id];
  if (!s || !slot) return Promise.resolve();
  s.stale = false;
  if (!slot.available) {
    s.title.textContent = '';
    s.subtitle.replaceChildren();
    s.caption.textContent = '';
    s.view.showUnavailable(slot.reason);
    return Promise.resolve();
  }
  showText(id);
  return s.view.render(slot, palette, axesKey(id), ui.zoom[id]);
}

/** Draws what the selected tab shows, if it is stale; resolves once its plot is drawn. */
function drawVisible(): Promise<void> {
  const id = visibleChart();
  const drawn = id && sections.get(id)?.stale ? drawChart(id) : Promise.resolve();
  if (TABS[ui.tab] === 'plan' && planStale && state) {
    planStale = false;
    planSection.render(state.plan, palette);
  }
  return drawn;
}

function showStatus(status: PanelStatus): void {
  statusEl.textContent = status.message;
  statusEl.className = `status status-${status.kind}`;
}

function showText(id: ChartId): void {
  const s = sections.get(id);
  const slot = state?.charts[id];
  if (!s || !slot?.available) return;
  s.title.textContent = slot.title;
  s.subtitle.replaceChildren(...slot.subtitle.map((line) => h('div', {}, line)));
  s.caption.textContent = slot.caption;
}

/**
 * Applies what changed since the state this page holds. The visible plot takes the data changes as a Vega
 * changeset (no re-embed: zoom, hover and the other runs' marks stay); hidden plots draw the new data when shown.
 * A delta for another state (a message lost while the panel was hidden) asks the host for the whole state.
 */
function applyDelta(delta: PanelDelta): void {
  let next: PanelState;
  try {
    if (!state || state.builtAt !== delta.base)
      throw new Error(`it holds the state built at ${state?.builtAt ?? 'none'}, not ${delta.base}`);
    next = applyPanelDelta(state, delta);
  } catch (e) {
    post({
      type: 'log',
      level: 'warn',
      message: `webview could not apply an update (${e instanceof Error ? e.message : String(e)}); asking for the whole state`,
    });
    post({ type: 'ready' });
    return;
  }
  state = next;
  const byChart = new Map<ChartId, DataChange[]>();
  for (const c of delta.changes) {
    if (c.type === 'header') {
      titleEl.textContent = c.title;
      showStatus(c.status);
      for (const s of sections.values()) s.bar.sync(next);
    } else if (c.type === 'fitReplaced') renderSummary(summaryEl, c.summary ?? undefined);
    else if (c.type === 'chartText') showText(c.chart);
    else if (c.type === 'chartReplaced') {
      const s = sections.get(c.chart);
      if (!s) continue;
      s.stale = true;
      // Embedded afresh when shown; an unavailable plot's reason costs nothing to show now.
      if (c.chart === visibleChart() || !c.slot.available) void drawChart(c.chart);
    } else {
      let list = byChart.get(c.chart);
      if (!list) byChart.set(c.chart, (list = []));
      list.push(c);
    }
  }
  const visible = visibleChart();
  for (const [id, changes] of byChart) {
    const s = sections.get(id);
    const slot = next.charts[id];
    if (!s || !slot.available) continue;
    if (id !== visible || s.stale) {
      s.stale = true;
      continue;
    }
    void s.view.applyChanges(changes, slot, palette).then((applied) => {
      // No live view of this spec (an embed failed, or the theme changed meanwhile): draw the model whole.
      if (!applied && state === next) void drawChart(id);
    });
  }
}

function applyState(next: PanelState): void {
  state = next;
  titleEl.textContent = next.title;
  showStatus(next.status);
  for (const [id, s] of sections) {
    s.bar.sync(next);
    s.stale = true;
    // Unavailable plots cost nothing to show; draw them now so hidden tabs are never stale text.
    if (!next.charts[id].available) void drawChart(id);
  }
  renderSummary(summaryEl, next.summary);
  planStale = true;
  // The host holds back the rest of a split state (the large learning curves) until this plot is drawn.
  void drawVisible().then(() => {
    post({ type: 'drawn' });
  });
}

async function answerImage(msg: Extract<HostMessage, { type: 'renderImage' }>): Promise<void> {
  const slot = state?.charts[msg.chart];
  try {
    if (!slot || !slot.available)
      throw new Error(`the ${msg.chart} plot is not available${slot ? `: ${slot.reason}` : ''}`);
    const data = await ChartView.image(slot, palette, msg.format);
    post({ type: 'image', requestId: msg.requestId, ok: true, format: msg.format, data });
  } catch (e) {
    post({ type: 'image', requestId: msg.requestId, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    post({ type: 'log', level: 'warn', message: `webview ignored a message: ${parsed.error}` });
    return;
  }
  const msg = parsed.value;
  switch (msg.type) {
    case 'state':
      performance.mark('scaling-lens:state');
      applyState(msg.state);
      break;
    case 'delta':
      performance.mark('scaling-lens:delta');
      applyDelta(msg);
      break;
    case 'status':
      showStatus(msg.status);
      break;
    case 'renderImage':
      void answerImage(msg);
      break;
  }
});

onThemeChange((p) => {
  palette = p;
  if (!state) return;
  planStale = true;
  for (const s of sections.values()) s.stale = true;
  void drawVisible();
});

/** The state this page's HTML carried (see INITIAL_STATE_ID), validated like a message; undefined when none. */
function initialState(): PanelState | undefined {
  const text = document.getElementById(INITIAL_STATE_ID)?.textContent;
  if (!text) return undefined;
  let parsed: ReturnType<typeof parseHostMessage>;
  try {
    parsed = parseHostMessage({ type: 'state', state: JSON.parse(text) as unknown });
  } catch (e) {
    parsed = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (parsed.ok && parsed.value.type === 'state') return parsed.value.state;
  post({
    type: 'log',
    level: 'warn',
    message: `webview ignored its initial state: ${parsed.ok ? 'not a state' : parsed.error}`,
  });
  return undefined;
}

// Handshake last: every listener is in place before the host starts sending. A state the HTML carried is drawn
// first, and `ready` says so: the host then sends only what changed since.
// Timings a user's profiler (and the e2e test) can read: when the page was ready, got its state, drew a plot.
const initial = initialState();
if (initial) {
  performance.mark('scaling-lens:state');
  applyState(initial);
}
performance.mark('scaling-lens:ready');
post(initial ? { type: 'ready', holds: initial.builtAt } : { type: 'ready' });
