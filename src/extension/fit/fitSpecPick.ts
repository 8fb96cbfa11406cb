import * as vscode from 'vscode';
import { Y_CANDIDATES } from '../../core/fit/datasetCommon';
import type { LawName } from '../../contract/fit';
import type { Run } from '../../core/model/run';
import type { FitSpec } from '../../contract/fit';
import type { FitBudget } from './fitSpecInput';

const LAWS_BY_ARITY: Record<number, (LawName | 'auto')[]> = {
  1: ['auto', 'saturating', 'power', 'bnsl'],
  2: ['auto', 'chinchilla', 'kaplan'],
};
const X_CHOICES: { label: string; x: string[]; detail: string }[] = [
  { label: 'N, D', x: ['N', 'D'], detail: 'parameters and tokens: L(N, D), e.g. Chinchilla' },
  { label: 'C', x: ['C'], detail: 'compute: L(C)' },
  { label: 'N', x: ['N'], detail: 'parameters: L(N)' },
  { label: 'D', x: ['D'], detail: 'tokens: L(D)' },
];

/** Loss-like metrics first (validation before training), then the rest by name. */
export function metricChoices(runs: Run[]): string[] {
  const counts = new Map<string, number>();
  for (const r of runs)
    for (const s of r.metrics.all()) if (s.count > 0) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  const rank = (n: string) => {
    const i = Y_CANDIDATES.indexOf(n);
    return i >= 0 ? i : /loss/i.test(n) ? Y_CANDIDATES.length : Y_CANDIDATES.length + 1;
  };
  return [...counts.keys()].sort(
    (a, b) => rank(a) - rank(b) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b),
  );
}

/** The Fit Scaling Law… quick picks: metric, variables, law, points. Undefined when the user backs out. */
export async function pickFitSpec(
  runs: Run[],
  previous: FitSpec | undefined,
  defaults: FitBudget,
): Promise<FitSpec | undefined> {
  const metrics = metricChoices(runs);
  const metric = await vscode.window.showQuickPick(
    [
      { label: 'auto', description: 'each run’s validation loss, whatever its name' },
      ...metrics.map((m) => ({
        label: m,
        description: `${runs.filter((r) => (r.metrics.find(m)?.count ?? 0) > 0).length} runs`,
      })),
    ],
    { title: 'Fit Scaling Law (1/4): metric', placeHolder: previous?.selection.y ?? 'auto' },
  );
  if (!metric) return undefined;
  const xPick = await vscode.window.showQuickPick(
    X_CHOICES.map((c) => ({ ...c, description: c.detail })),
    { title: 'Fit Scaling Law (2/4): variables' },
  );
  if (!xPick) return undefined;
  const laws = LAWS_BY_ARITY[xPick.x.length] ?? ['auto'];
  const law = await vscode.window.showQuickPick(
    laws.map((l) => ({
      label: l,
      description: l === 'auto' ? 'fit the candidates, pick by backtest error then AIC' : undefined,
    })),
    { title: 'Fit Scaling Law (3/4): law' },
  );
  if (!law) return undefined;
  const points = await vscode.window.showQuickPick(
    [
      { label: 'Final points', description: 'each run’s last value', checkpoints: false },
      {
        label: 'Checkpoints',
        description: 'every logged point after the first 10% of tokens; whole runs resampled',
        checkpoints: true,
      },
    ],
    { title: 'Fit Scaling Law (4/4): points' },
  );
  if (!points) return undefined;
  return {
    selection: {
      x: xPick.x,
      ...(metric.label === 'auto' ? {} : { y: metric.label }),
      checkpoints: points.checkpoints,
    },
    options: { law: law.label, ...defaults },
  };
}
