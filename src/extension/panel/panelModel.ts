/**
 * What the Scaling panel shows and what its webview holds, without vscode: the latest input (asked for lazily),
 * the view options, the built state, and the state the webview was last brought to. `messageForWebview` turns
 * the difference into the one message to post: nothing, a delta, or the whole state. Unit-tested on its own.
 */
import {
  applyOptionsPatch,
  defaultViewOptions,
  parseWebviewMessage,
  type HostMessage,
  type PanelState,
  type PanelStatus,
  type ViewOptions,
} from '../../contract/panel';
import { withCompiledSpecs } from '../../core/view/compileSpecs';
import { firstPaintMessages } from '../../core/view/firstPaint';
import { diffPanelState } from '../../core/view/panelDelta';
import { buildPanelState } from '../../core/view/panelState';
import type { PanelInput } from '../../core/view/types';

export interface PanelModelLog {
  warn(message: string): void;
  error(message: string): void;
}

/** Options saved by an earlier session, checked by the same validator as the webview's requests. */
export function savedOptions(saved: unknown): ViewOptions {
  if (saved === undefined) return defaultViewOptions();
  const parsed = parseWebviewMessage({ type: 'setOptions', options: saved });
  return parsed.ok && parsed.value.type === 'setOptions'
    ? applyOptionsPatch(defaultViewOptions(), parsed.value.options)
    : defaultViewOptions();
}

/** A build slower than this is logged: it delays every update the user waits for. */
const SLOW_BUILD_MS = 250;

export class PanelModel {
  private input: PanelInput | undefined;
  private state: PanelState | undefined;
  /** The state the webview holds (sent whole or reached through deltas); undefined until it is sent one. */
  private sent: PanelState | undefined;
  /** The input or options changed since `state` was built. Building waits until someone needs the state. */
  private dirty = true;
  /** The status of a running fit, until new input arrives; a state built meanwhile shows it. */
  private fitting: PanelStatus | undefined;
  /** The last state a new page's HTML carried (its light half, see firstPaint.ts) and what completes it. */
  private inlined: { light: PanelState; rest?: HostMessage; whole: PanelState } | undefined;

  constructor(
    public options: ViewOptions,
    private readonly provideInput: (() => PanelInput | undefined) | undefined,
    private readonly log: PanelModelLog,
  ) {}

  /** New input (a refit, a log append); built when next needed. */
  setInput(input: PanelInput | undefined): void {
    this.input = input;
    this.dirty = true;
    this.fitting = undefined;
  }

  /**
   * A fit is running (its progress came through setStatus and no new input since): its result will replace the
   * state, so a state built now for a new page is work thrown away unless the page is ready first.
   */
  get awaitingFit(): boolean {
    return this.fitting !== undefined;
  }

  /** The input changed: asked for again (`provideInput`) when next needed. */
  invalidate(): void {
    this.setInput(undefined);
  }

  setOptions(options: ViewOptions): void {
    this.options = options;
    this.dirty = true;
  }

  /** The input the state is built from (asked for if not held). */
  currentInput(): PanelInput | undefined {
    return (this.input ??= this.provideInput?.());
  }

  /** Progress of a running fit: patched into everything held, so no rebuild and no delta repeats it. */
  setStatus(status: PanelStatus): void {
    this.fitting = status.kind === 'fitting' ? status : undefined;
    if (this.input) this.input = { ...this.input, status };
    if (this.state) this.state = { ...this.state, status };
    if (this.sent) this.sent = { ...this.sent, status };
  }

  /** The state, built now if anything changed; undefined only when building failed (and was logged). */
  current(): PanelState | undefined {
    if (this.dirty || !this.state) this.build();
    return this.state;
  }

  /**
   * The webview's page is new or gone: it holds nothing, so the next message is the whole state; or it holds `held`,
   * the state its HTML carried (`initialState`), and the next message brings it up from there.
   */
  webviewReset(held?: PanelState): void {
    this.sent = held;
  }

  /**
   * The state for a new page's HTML to carry, when one is built and current; undefined otherwise, since building it
   * here would hold back the page (the page then asks for it as before). A state with large learning curves gives
   * its light half (firstPaint.ts), and the page gets the curves once it is listening.
   */
  initialState(): PanelState | undefined {
    if (this.dirty || !this.state) return undefined;
    const { now, next } = firstPaintMessages(this.state);
    if (now.type !== 'state') return undefined;
    this.inlined = { light: now.state, rest: next, whole: this.state };
    return now.state;
  }

  /**
   * The message that brings the webview up to date (what changed since the state it holds, or the whole state
   * when a delta cannot express it), or undefined when it is up to date. The webview is assumed to receive it.
   */
  messageForWebview(): HostMessage | undefined {
    const state = this.current();
    const base = this.sent;
    if (!state || base === state) return undefined;
    const changes = base ? diffPanelState(base, state) : undefined;
    let message: HostMessage | undefined;
    if (!base || !changes) message = { type: 'state', state };
    else if (changes.length) message = { type: 'delta', base: base.builtAt, builtAt: state.builtAt, changes };
    // No changes: nothing the webview shows differs, and it keeps the state (and builtAt) it has.
    if (message) this.sent = state;
    return message;
  }

  /**
   * What to post to bring the webview up to date: messageForWebview's message, except that a whole state with
   * large learning curves goes out as two (core/view/firstPaint.ts), so a new page draws its first plot sooner.
   */
  messagesForWebview(): { now?: HostMessage; next?: HostMessage } {
    // A page showing the light half its HTML carried needs only the rest, a moment later (as after a split state).
    // Compared by build time: a status patch (setStatus) copies the states it patches.
    const inlined = this.inlined;
    const state = this.current();
    if (
      inlined &&
      state &&
      this.sent?.builtAt === inlined.light.builtAt &&
      state.builtAt === inlined.whole.builtAt &&
      this.sent !== state
    ) {
      this.sent = state;
      return { next: inlined.rest };
    }
    const message = this.messageForWebview();
    if (message?.type !== 'state') return { now: message };
    return firstPaintMessages(message.state);
  }

  private build(): void {
    const started = performance.now();
    let gathered = started,
      built = started;
    try {
      const held = this.currentInput() ?? {};
      const input = this.fitting ? { ...held, status: this.fitting } : held;
      gathered = performance.now();
      // Strictly increasing build times: a delta names the state it applies to by its builtAt.
      const now = Math.max(Date.now(), (this.state?.builtAt ?? 0) + 1);
      const state = buildPanelState(input, this.options, now);
      built = performance.now();
      this.state = withCompiledSpecs(state);
      this.dirty = false;
    } catch (e) {
      this.log.error(`panel: building the view failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    }
    const end = performance.now();
    const ms = (a: number, b: number): number => Math.round(b - a);
    if (end - started > SLOW_BUILD_MS)
      this.log.warn(
        `panel: building the view took ${ms(started, end)} ms (input ${ms(started, gathered)}, plots ${ms(gathered, built)}, Vega compile ${ms(built, end)})`,
      );
  }
}
