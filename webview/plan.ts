/**
 * The "Plan" tab: which runs to train next so the prediction at the target compute is tight. The host runs the
 * planner in its fit worker when the user presses "Plan next runs" and sends the result in the panel state; this
 * draws it: the planner's warnings first, the choices (target compute, budget, objective, max runs), the interval
 * now and after each proposed run, each run's cost as a share of the target compute, and the proposals beside the
 * fitted runs in the (N, D) plane.
 */
import embed, { vega, type Result } from 'vega-embed';
import { panelExpressions } from './expr';
import { Handler } from 'vega-tooltip';
import {
  MAX_PLAN_RUNS,
  PLAN_OBJECTIVE_NAMES,
  PLAN_OBJECTIVES,
  type PlanChoice,
  type PlanObjectiveId,
  type PlanView,
} from '../src/contract/panel';
import { formatCompact } from '../src/contract/format';
import { post } from './api';
import { ce, h } from './dom';
import { planSpec } from './planChart';
import { vegaConfig, type Palette } from './theme';

type Field = HTMLElement & { value: string };

/** A FLOPs field's number: undefined when empty, NaN when it is not a positive number. */
function flops(field: Field): number | undefined {
  const text = field.value.trim();
  if (text === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) && v > 0 ? v : NaN;
}

function select(id: string, values: readonly string[], label: (v: string) => string): Field {
  return ce('vscode-single-select', { id }, ...values.map((v) => ce('vscode-option', { value: v }, label(v)))) as Field;
}

const field = (label: string, control: HTMLElement): HTMLElement =>
  h('label', { class: 'field' }, h('span', {}, label), control);

/** Styled in media/panel.css: vega-tooltip's own <style> injection would break the CSP. */
const tooltip = new Handler({ disableDefaultStyle: true, theme: 'vscode', offsetX: 12, offsetY: 12 });

const interval = (ci: [number, number]): string => `[${formatCompact(ci[0])}, ${formatCompact(ci[1])}]`;
const pct = (v: number): string => `${(100 * v).toPrecision(2)}%`;

export class PlanSection {
  readonly el = h('div', { class: 'plan' });
  private view: Result | undefined;
  private readonly target = ce('vscode-textfield', {
    id: 'plan-target',
    placeholder: 'target compute, FLOPs',
    size: '10',
  }) as Field;
  private readonly budget = ce('vscode-textfield', { id: 'plan-budget', size: '10' }) as Field;
  private readonly objective = select(
    'plan-objective',
    PLAN_OBJECTIVES,
    (o) => `${PLAN_OBJECTIVE_NAMES[o as PlanObjectiveId]} at the target`,
  );
  private readonly maxRuns = select(
    'plan-max-runs',
    Array.from({ length: MAX_PLAN_RUNS }, (_, i) => String(i + 1)),
    (n) => n,
  );
  private readonly inputError = h('div', { class: 'plan-error', role: 'alert' });

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
    this.target.value = plan.targetC.toExponential(2);
    // Empty = the default share of the target, which follows the target when the user changes it.
    this.budget.value = plan.budgetIsDefault ? '' : plan.budget.toExponential(2);
    this.budget.setAttribute('placeholder', `default (${formatCompact(plan.budget, 3)})`);
    this.objective.value = plan.objective;
    this.maxRuns.value = String(plan.maxRuns);
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
      field(`target compute C${plan.targetIsDefault ? ' (100× the largest run)' : ''}`, this.target),
      field('budget, FLOPs', this.budget),
      field('objective', this.objective),
      field('max runs', this.maxRuns),
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
      this.inputError,
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
    const targetC = flops(this.target);
    const budget = flops(this.budget);
    const refused =
      targetC === undefined || Number.isNaN(targetC)
        ? `“${this.target.value.trim()}” is not a compute in FLOPs (e.g. 1e22).`
        : Number.isNaN(budget)
          ? `“${this.budget.value.trim()}” is not a budget in FLOPs (e.g. 1e20); leave it empty for 1% of the target.`
          : '';
    this.inputError.textContent = refused;
    if (refused || targetC === undefined) return;
    const choice: PlanChoice = {
      objective: this.objective.value as PlanObjectiveId,
      maxRuns: Number(this.maxRuns.value),
    };
    // Unchanged default: let the host keep following the data (100× the largest run).
    if (!plan.targetIsDefault || Math.abs(targetC - plan.targetC) > 0.01 * plan.targetC) choice.targetC = targetC;
    if (budget !== undefined) choice.budget = budget;
    post({ type: 'plan', ...choice });
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
        `95% interval of the ${PLAN_OBJECTIVE_NAMES[r.objective]} at C=${formatCompact(plan.targetC)} FLOPs (estimate ${formatCompact(r.estimate)})`,
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
