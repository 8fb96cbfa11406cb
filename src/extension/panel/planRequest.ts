/**
 * The Plan view's host state: the user's target, the planning job in the fit worker, its result. The planner takes
 * seconds of refits, so it runs in the worker (never on the extension host thread); this holds what the view
 * shows meanwhile and after, so a restored panel shows the last plan. A new fit makes the old plan stale: it is
 * dropped (the target the user typed is kept).
 */
import { toArtifact } from '../../core/fit/artifact';
import type { Run } from '../../core/model/run';
import { runArchitecture } from '../../core/view/planArchitecture';
import type { PlanInput } from '../../core/view/planInput';
import { DEFAULT_TARGET_FACTOR } from '../../core/view/planView';
import type { FitDataset, FitResult } from '../../contract/fit';
import { FitJobError, type FitClient, type FitHandle } from '../../worker/fitClient';
import type { PlanResult } from '../../contract/plan';

/** The worker's job key: a newer plan request supersedes a running one. */
const PLAN_KEY = 'plan';

export interface PlanSource {
  /** The active fit and the points it used; undefined before the first fit. */
  fit(): { result: FitResult; dataset: FitDataset } | undefined;
  runs(): readonly Run[];
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
      this.state =
        this.state.targetC === undefined ? { status: 'idle' } : { status: 'idle', targetC: this.state.targetC };
      this.planned = fit;
    }
    const architectures = this.source.runs().flatMap((r) => runArchitecture(r.N?.value, r.config) ?? []);
    return { ...this.state, architectures };
  }

  /** "Plan next runs": for the typed target compute, or DEFAULT_TARGET_FACTOR × the largest fitted run's. */
  request(targetC: number | undefined): void {
    const active = this.source.fit();
    if (!active) return;
    const largest = Math.max(0, ...active.dataset.points.map((p) => 6 * p.x.N * p.x.D || 0));
    const C = targetC ?? DEFAULT_TARGET_FACTOR * largest;
    this.planned = active.result;
    this.state = targetC === undefined ? { status: 'running' } : { status: 'running', targetC };
    const handle = this.client.plan(PLAN_KEY, toArtifact(active.result, active.dataset), { target: { C } });
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
