/**
 * The Plan view's host state: the user's target, the planning job in the fit worker, its result. The planner takes
 * seconds of refits, so it runs in the worker (never on the extension host thread); this holds what the view
 * shows meanwhile and after, so a restored panel shows the last plan. A new fit makes the old plan stale: it is
 * dropped (what the user chose, target, budget, objective and max runs, is kept).
 */
import { toArtifact } from '../../core/fit/artifact';
import type { Run } from '../../core/model/run';
import { runArchitecture } from '../../core/view/planArchitecture';
import type { PlanInput } from '../../core/view/planInput';
import { DEFAULT_TARGET_FACTOR } from '../../core/view/planView';
import type { PlanChoice } from '../../contract/panel';
import type { FitDataset, FitResult } from '../../contract/fit';
import { FitJobError, type FitClient, type FitHandle } from '../../worker/fitClient';
import type { PlanJobRequest } from '../../contract/worker';
import type { PlanResult } from '../../contract/plan';

/** The worker's job key: a newer plan request supersedes a running one. */
const PLAN_KEY = 'plan';

export interface PlanSource {
  /** The active fit and the points it used; undefined before the first fit. */
  fit(): { result: FitResult; dataset: FitDataset } | undefined;
  runs(): readonly Run[];
}

/** The user's choices alone, without the keys they left at the default. */
function choiceOf(c: PlanChoice): PlanChoice {
  const out: PlanChoice = {};
  if (c.targetC !== undefined) out.targetC = c.targetC;
  if (c.budget !== undefined) out.budget = c.budget;
  if (c.objective !== undefined) out.objective = c.objective;
  if (c.maxRuns !== undefined) out.maxRuns = c.maxRuns;
  return out;
}

export class PanelPlanner {
  private state: PlanInput = { status: 'idle' };
  /** The fit the state belongs to: a plan of another fit is stale. */
  private planned: FitResult | undefined;
  private running: FitHandle<PlanResult> | undefined;

  constructor(
    private readonly client: Pick<FitClient, 'plan'>,
    private readonly source: PlanSource,
    /** Called whenever the Plan view's state changed (the panel rebuilds). */
    private readonly changed: () => void,
    private readonly log: (message: string) => void,
  ) {}

  /** The Plan view's input for the current fit, with the runs' architectures read from their configs. */
  input(): PlanInput {
    const fit = this.source.fit()?.result;
    if (fit !== this.planned) {
      this.running?.cancel();
      this.running = undefined;
      this.state = { status: 'idle', ...choiceOf(this.state) };
      this.planned = fit;
    }
    const architectures = this.source.runs().flatMap((r) => runArchitecture(r.N?.value, r.config) ?? []);
    return { ...this.state, architectures };
  }

  /**
   * "Plan next runs" with the user's choices, which replace the previous ones (an absent one is the default): the
   * typed target compute or DEFAULT_TARGET_FACTOR × the largest fitted run's; the budget, objective and max runs
   * or the planner's defaults.
   */
  request(choice: PlanChoice): void {
    const active = this.source.fit();
    if (!active) return;
    const chosen = choiceOf(choice);
    const largest = Math.max(0, ...active.dataset.points.map((p) => 6 * p.x.N * p.x.D || 0));
    const C = chosen.targetC ?? DEFAULT_TARGET_FACTOR * largest;
    this.planned = active.result;
    this.state = { status: 'running', ...chosen };
    const job: PlanJobRequest = { target: { C } };
    if (chosen.budget !== undefined) job.budget = chosen.budget;
    if (chosen.objective !== undefined) job.objective = chosen.objective;
    if (chosen.maxRuns !== undefined) job.maxRuns = chosen.maxRuns;
    const handle = this.client.plan(PLAN_KEY, toArtifact(active.result, active.dataset), job);
    this.running = handle;
    this.changed();
    handle.promise.then(
      (result) => {
        if (this.running !== handle) return;
        this.running = undefined;
        this.state = { ...this.state, status: 'ready', result };
        this.log(`planned ${result.proposals.length} run(s) for C=${C.toExponential(2)} FLOPs`);
        this.changed();
      },
      (e: unknown) => {
        if (this.running !== handle) return; // superseded by a newer request, or dropped with its fit
        this.running = undefined;
        const message = e instanceof FitJobError || e instanceof Error ? e.message : String(e);
        this.state = { ...this.state, status: 'error', error: message };
        this.log(`planning failed: ${message}`);
        this.changed();
      },
    );
  }

  /**
   * The compute the Plan view plans for, so the hover's "training this would narrow…" line speaks of the same target:
   * the typed target, else that of the current fit's finished plan; undefined when the view has none.
   */
  targetC(): number | undefined {
    if (this.source.fit()?.result !== this.planned) return this.state.targetC;
    return this.state.targetC ?? (this.state.status === 'ready' ? this.state.result?.target.C : undefined);
  }

  dispose(): void {
    this.running?.cancel();
    this.running = undefined;
  }
}
