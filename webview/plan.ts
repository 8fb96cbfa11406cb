/**
 * The "Plan" tab: which runs to train next so the prediction at the target compute is tight. The host runs the
 * planner in its fit worker when the user presses "Plan next runs" and sends the result in the panel state; this
 * only draws it: the planner's warnings first, the target, the interval now and after each proposed run, each
 * run's cost as a share of the target compute, and the proposals beside the fitted runs in the (N, D) plane.
 */
import embed, { vega, type Result } from 'vega-embed';
import { panelExpressions } from './expr';
import { Handler } from 'vega-tooltip';
import type { PlanView } from '../src/contract/panel';
import { formatCompact } from '../src/contract/format';
import { post } from './api';
import { ce, h } from './dom';
import { vegaConfig, type Palette } from './theme';

/** Styled in media/panel.css: vega-tooltip's own <style> injection would break the CSP. */
const tooltip = new Handler({ disableDefaultStyle: true, theme: 'vscode', offsetX: 12, offsetY: 12 });

const interval = (ci: [number, number]): string => `[${formatCompact(ci[0])}, ${formatCompact(ci[1])}]`;
const pct = (v: number): string => `${(100 * v).toPrecision(2)}%`;

/** The fitted runs and the proposals in the (N, D) plane, log-log, proposals numbered in the order to train them. */
function planSpec(plan: PlanView, palette: Palette): Record<string, unknown> {
  const proposals = (plan.result?.proposals ?? []).map((p, i) => ({ ...p, order: i + 1, kind: 'proposed' }));
  const runs = plan.runs.map((r) => ({ ...r, kind: 'fitted' }));
  const axis = (title: string) => ({ type: 'quantitative', scale: { type: 'log' }, title });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 420,
    height: 280,
    data: { values: [...runs, ...proposals] },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'N', ...axis('parameters N') },
          y: { field: 'D', ...axis('tokens D') },
          shape: { field: 'kind', type: 'nominal', title: null, scale: { range: ['circle', 'diamond'] } },
          color: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: { domain: ['fitted', 'proposed'], range: [palette.colors.muted, palette.colors.orange] },
          },
          size: { condition: { test: "datum.kind === 'proposed'", value: 160 }, value: 50 },
          tooltip: [
            { field: 'kind', type: 'nominal', title: 'run' },
            { field: 'N', type: 'quantitative', format: '.3~s' },
            { field: 'D', type: 'quantitative', format: '.3~s' },
          ],
        },
      },
      // Numbers beside the proposals; without any, the layer would have no data and Vega would warn of its extent.
      ...(proposals.length
        ? [
            {
              transform: [{ filter: "datum.kind === 'proposed'" }],
              mark: { type: 'text', dx: 10, dy: -10, color: palette.colors.foreground },
              encoding: {
                x: { field: 'N', ...axis('parameters N') },
                y: { field: 'D', ...axis('tokens D') },
                text: { field: 'order' },
              },
            },
          ]
        : []),
    ],
  };
}

export class PlanSection {
  readonly el = h('div', { class: 'plan' });
  private view: Result | undefined;
  private readonly target = ce('vscode-textfield', { id: 'plan-target', placeholder: 'target compute, FLOPs' });
  private readonly targetError = h('div', { class: 'plan-error', role: 'alert' });

  constructor(private readonly onError: (message: string) => void) {}

  /** Redraws the tab from the host's Plan view model (or says planning needs a fit). */
  render(plan: PlanView | undefined, palette: Palette): void {
    this.view?.finalize();
    this.view = undefined;
    if (!plan) {
      this.el.replaceChildren(h('p', { class: 'plan-message' }, 'Fit a scaling law first: the plan starts from it.'));
      return;
    }
    const warnings = plan.warnings.map((w) => h('div', { class: 'plan-warning', role: 'alert' }, `⚠ ${w}`));
    (this.target as HTMLInputElement).value = plan.targetC.toExponential(2);
    const planButton = ce(
      'vscode-button',
      { id: 'plan-run', disabled: plan.status === 'running' || plan.status === 'unavailable' },
      'Plan next runs',
    );
    planButton.addEventListener('click', () => {
      this.request(plan);
    });
    const copy = ce(
      'vscode-button',
      { id: 'plan-copy', secondary: true, disabled: !plan.snippet },
      'Copy config snippet',
    );
    copy.addEventListener('click', () => {
      post({ type: 'copy', kind: 'plan-config' });
    });
    const controls = h(
      'div',
      { class: 'plan-controls' },
      h('label', { for: 'plan-target' }, `Target compute C${plan.targetIsDefault ? ' (100× the largest run)' : ''}`),
      this.target,
      planButton,
      copy,
    );
    const chartHost = h('div', {
      class: 'plan-chart',
      role: 'img',
      'aria-label': 'fitted and proposed runs by N and D',
    });
    this.el.replaceChildren(
      ...warnings,
      controls,
      this.targetError,
      h('p', { class: 'plan-message', 'data-status': plan.status }, plan.message),
      ...(plan.result ? [this.table(plan)] : []),
      chartHost,
    );
    if (plan.status === 'unavailable') return;
    embed(chartHost, planSpec(plan, palette) as never, {
      renderer: 'svg',
      actions: false,
      defaultStyle: false,
      ast: true,
      expr: panelExpressions,
      config: vegaConfig(palette),
      tooltip: tooltip.call,
      logLevel: vega.Warn,
    }).then(
      (r) => {
        this.view = r;
      },
      (e: unknown) => {
        this.onError(`the plan chart could not be drawn: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }

  private request(plan: PlanView): void {
    const text = (this.target as HTMLInputElement).value.trim();
    const value = Number(text);
    if (!(Number.isFinite(value) && value > 0)) {
      this.targetError.textContent = `“${text}” is not a compute in FLOPs (e.g. 1e22).`;
      return;
    }
    this.targetError.textContent = '';
    // Unchanged default: let the host keep following the data (100× the largest run).
    const same = Math.abs(value - plan.targetC) <= 0.01 * plan.targetC;
    post(plan.targetIsDefault && same ? { type: 'plan' } : { type: 'plan', targetC: value });
  }

  private table(plan: PlanView): HTMLElement {
    const r = plan.result;
    if (!r) return h('div');
    const row = (cells: string[]) =>
      h('tr', {}, h('th', { scope: 'row' }, cells[0]), ...cells.slice(1).map((c) => h('td', {}, c)));
    return h(
      'table',
      { class: 'numbers plan-table' },
      h(
        'caption',
        {},
        `95% interval of the ${r.objective} at C=${formatCompact(plan.targetC)} FLOPs (estimate ${formatCompact(r.estimate)})`,
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['', 'N', 'D', 'tokens/param', 'cost (share of target C)', 'shape', '95% interval after'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        row(['now', '', '', '', '', '', interval(r.intervalNow)]),
        ...r.proposals.map((p, i) =>
          row([
            `+ run ${i + 1}`,
            formatCompact(p.N, 3),
            formatCompact(p.D, 3),
            p.tokensPerParam.toFixed(0),
            `${formatCompact(p.C, 3)} (${pct(p.costShare)})`,
            p.dModel !== undefined && p.nLayers !== undefined ? `d_model ${p.dModel}, ${p.nLayers} layers` : '—',
            interval(p.expectedInterval),
          ]),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          h(
            'td',
            { colspan: '7' },
            `Weighed ${r.alternatives} designs within a budget of ${formatCompact(r.budget, 3)} FLOPs.`,
          ),
        ),
      ),
    );
  }
}
