/** The "Fit" tab: parameters with 95% intervals, metrics, law comparison, backtest, predictions, warnings. */
import type { FitSummary } from '../src/contract/panel';
import { formatCompact } from '../src/contract/format';
import { h } from './dom';

function table(caption: string, head: string[], rows: (string | number)[][], className = ''): HTMLElement {
  return h(
    'table',
    { class: `numbers ${className}`.trim() },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          ...r.map((c, i) =>
            i === 0 ? h('th', { scope: 'row' }, String(c)) : h('td', {}, typeof c === 'number' ? formatCompact(c) : c),
          ),
        ),
      ),
    ),
  );
}

const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
const interval = (ci?: [number, number]): string => (ci ? `[${formatCompact(ci[0])}, ${formatCompact(ci[1])}]` : '—');

export function renderSummary(el: HTMLElement, s: FitSummary | undefined): void {
  if (!s) {
    el.replaceChildren(
      h('p', { class: 'unavailable' }, 'No fit yet. Run “Scaling Lens: Fit Scaling Law…” from the command palette.'),
    );
    return;
  }
  const parts: HTMLElement[] = [];
  parts.push(h('p', { class: 'law' }, h('strong', {}, s.law), ' ', h('code', {}, s.formula)));
  parts.push(
    h(
      'p',
      { class: 'muted' },
      `${s.yName}: ${s.nPoints} points from ${s.nRuns} runs, fitted in ${(s.elapsedMs / 1000).toFixed(2)} s`,
    ),
  );
  parts.push(
    table(
      'Parameters (95% bootstrap interval)',
      ['parameter', 'value', '95% interval', ''],
      s.params.map((p) => [p.name, p.value, interval(p.ci95), p.atBound ? 'at bound' : '']),
      'params',
    ),
  );
  parts.push(
    table(
      'Fit quality',
      ['metric', 'value'],
      [
        ['RMSE (log)', s.metrics.rmseLog],
        ['R²', s.metrics.r2],
        ['AIC', s.metrics.aic],
        ['BIC', s.metrics.bic],
      ],
    ),
  );
  if (s.computeOptimal) {
    const c = s.computeOptimal;
    parts.push(
      h(
        'p',
        {},
        'Compute-optimal allocation: ',
        h('code', {}, `N_opt = ${formatCompact(c.G)}·(C/6)^${formatCompact(c.a, 3)}`),
        ', ',
        h('code', {}, `D_opt = (C/6)^${formatCompact(c.b, 3)} / ${formatCompact(c.G)}`),
      ),
    );
  }
  if (s.comparison.length) {
    parts.push(
      table(
        'Law comparison',
        ['law', 'AIC', 'BIC', 'RMSE (log)', 'backtest error', ''],
        s.comparison.map((c) => [
          c.law,
          c.aic,
          c.bic,
          c.rmseLog,
          c.areMean === undefined ? '—' : pct(c.areMean),
          c.chosen ? 'chosen' : '',
        ]),
        'comparison',
      ),
    );
  }
  if (s.holdout) {
    parts.push(
      table(
        `Backtest: largest runs held out (mean error ${pct(s.holdout.areMean)})`,
        ['run', 'observed', 'predicted', 'error'],
        s.holdout.points.map((p) => [p.runId, p.observed, p.predicted, pct(p.are)]),
        'holdout',
      ),
    );
  }
  if (s.predictions.length) {
    parts.push(
      table(
        'Predictions',
        ['at', s.yName, '95% interval', 'regime'],
        s.predictions.map((p) => [
          p.at,
          p.value,
          interval(p.ci95),
          p.regime === 'extrapolation'
            ? `extrapolation (${formatCompact(p.decadesBeyond, 2)} decade${p.decadesBeyond === 1 ? '' : 's'})`
            : 'interpolation',
        ]),
        'predictions',
      ),
    );
  }
  parts.push(h('h3', {}, `Warnings (${s.warnings.length})`));
  parts.push(
    s.warnings.length
      ? h('ul', { class: 'warnings' }, ...s.warnings.map((w) => h('li', {}, w)))
      : h('p', { class: 'muted' }, 'None.'),
  );
  parts.push(h('h3', {}, 'Solver'));
  parts.push(h('ul', { class: 'diagnostics' }, ...s.diagnostics.map((d) => h('li', {}, d))));
  el.replaceChildren(...parts);
}
