/**
 * The toolbar above each plot: log/linear axes, the scaling plot's x variable and extrapolation target, the
 * learning curves' smoothing and x axis, zoom reset and exports. Controls only post requests; the host owns the
 * options and answers with a new state, which `sync` writes back into the controls.
 */
import type { AxisChoice, ChartId, OptionsPatch, PanelState } from '../src/contract/panel';
import { MAX_SMOOTHING } from '../src/contract/panel';
import { post } from './api';
import { ce, h } from './dom';

export interface Toolbar {
  el: HTMLElement;
  sync(state: PanelState): void;
}

type Checkbox = HTMLElement & { checked: boolean };
type Select = HTMLElement & { value: string };
type TextField = HTMLElement & { value: string };

function setOptions(options: OptionsPatch): void {
  post({ type: 'setOptions', options });
}

function checkbox(label: string, onChange: (checked: boolean) => void): Checkbox {
  const el = ce('vscode-checkbox', { label }) as Checkbox;
  el.addEventListener('change', () => {
    onChange(el.checked);
  });
  return el;
}

function button(label: string, title: string, onClick: () => void, secondary = true): HTMLElement {
  const el = ce('vscode-button', { title, secondary }, label);
  el.addEventListener('click', onClick);
  return el;
}

function select(label: string, onChange: (value: string) => void): { wrap: HTMLElement; el: Select } {
  const el = ce('vscode-single-select', { 'aria-label': label }) as Select;
  el.addEventListener('change', () => {
    onChange(el.value);
  });
  return { wrap: h('label', { class: 'field' }, h('span', {}, label), el), el };
}

/** Replaces a select's options only when they changed (rebuilding would close an open dropdown). */
function setChoices(sel: Select, values: string[], labels: Record<string, string> = {}): void {
  const current = [...sel.children].map((o) => o.getAttribute('value') ?? '');
  if (current.join('\u0000') === values.join('\u0000')) return;
  sel.replaceChildren(...values.map((v) => ce('vscode-option', { value: v }, labels[v] ?? v)));
}

export function toolbar(chart: ChartId, onResetZoom: () => void): Toolbar {
  let axes: AxisChoice = { x: 'log', y: 'log' };
  const logX = checkbox('log x', (on) => {
    setOptions({ axes: { [chart]: { ...axes, x: on ? 'log' : 'linear' } } });
  });
  const logY = checkbox('log y', (on) => {
    setOptions({ axes: { [chart]: { ...axes, y: on ? 'log' : 'linear' } } });
  });
  const items: HTMLElement[] = [];
  const syncers: ((s: PanelState) => void)[] = [];

  if (chart === 'scaling') {
    const xSel = select('x', (v) => {
      setOptions({ scalingX: v });
    });
    const target = ce('vscode-textfield', {
      placeholder: 'auto',
      'aria-label': 'extrapolate to x',
      size: '8',
    }) as TextField;
    target.addEventListener('change', () => {
      const raw = target.value.trim();
      const v = Number(raw);
      if (raw === '') setOptions({ target: null });
      else if (Number.isFinite(v) && v > 0) setOptions({ target: v });
      else target.setAttribute('invalid', '');
    });
    items.push(xSel.wrap, h('label', { class: 'field' }, h('span', {}, 'extrapolate to'), target));
    syncers.push((s) => {
      setChoices(xSel.el, s.xChoices);
      const x = s.options.scalingX && s.xChoices.includes(s.options.scalingX) ? s.options.scalingX : s.xChoices[0];
      if (x !== undefined) xSel.el.value = x;
      if (document.activeElement !== target)
        target.value = s.options.target === undefined ? '' : String(s.options.target);
      target.removeAttribute('invalid');
    });
  }
  if (chart === 'curves') {
    const slider = h('input', {
      type: 'range',
      min: '0',
      max: String(MAX_SMOOTHING),
      step: '0.01',
      'aria-label': 'smoothing',
    });
    const shown = h('output', {}, '');
    let timer: ReturnType<typeof setTimeout> | undefined;
    slider.addEventListener('input', () => {
      shown.textContent = Number(slider.value).toFixed(2);
      // One request per pause while dragging: each rebuilds the curves in the host.
      clearTimeout(timer);
      timer = setTimeout(() => {
        setOptions({ smoothing: Number(slider.value) });
      }, 120);
    });
    const xSel = select('x', (v) => {
      setOptions({ curveX: v === 'step' ? 'step' : 'tokens' });
    });
    setChoices(xSel.el, ['tokens', 'step'], { tokens: 'tokens', step: 'steps' });
    items.push(h('label', { class: 'field smoothing' }, h('span', {}, 'smoothing'), slider, shown), xSel.wrap);
    syncers.push((s) => {
      if (document.activeElement !== slider) slider.value = String(s.options.smoothing);
      shown.textContent = s.options.smoothing.toFixed(2);
      xSel.el.value = s.options.curveX;
    });
  }
  const exports = h(
    'span',
    { class: 'exports' },
    button('Reset zoom', 'Back to the full data range (double-click the plot does the same)', onResetZoom),
    button('SVG', 'Export this plot as SVG', () => {
      post({ type: 'export', kind: 'plot-svg', chart });
    }),
    button('PNG', 'Export this plot as PNG', () => {
      post({ type: 'export', kind: 'plot-png', chart });
    }),
    button('Copy spec', 'Copy the Vega-Lite spec (with its data) to the clipboard', () => {
      post({ type: 'copy', kind: 'vega-lite', chart });
    }),
  );
  const el = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': `${chart} plot controls` },
    ...items,
    logX,
    chart === 'residuals' ? null : logY,
    exports,
  );
  return {
    el,
    sync(s) {
      axes = s.options.axes[chart];
      logX.checked = axes.x === 'log';
      logY.checked = axes.y === 'log';
      for (const f of syncers) f(s);
    },
  };
}
