/** Validation of what the webview posts (it is untrusted) and the merge of the option changes it asks for. */
import {
  type AxisChoice,
  type ChartId,
  type CopyKind,
  type ExportKind,
  MAX_SMOOTHING,
  type ViewOptions,
  CHART_IDS,
} from './data';
import type { OptionsPatch, WebviewMessage } from './messages';
import { MAX_PLAN_RUNS, PLAN_OBJECTIVES, type PlanChoice, type PlanObjectiveId } from './planData';
import {
  fail,
  isAxisScale,
  isChartId,
  isFiniteNumber,
  isRecord,
  isShortString,
  MAX_IMAGE,
  MAX_STRING,
  onlyKeys,
  type Parsed,
} from './validate';

function parseOptionsPatch(v: unknown): Parsed<OptionsPatch> {
  if (!isRecord(v)) return fail('options must be an object');
  const extra = onlyKeys(v, ['axes', 'smoothing', 'curveX', 'scalingX', 'target']);
  if (extra) return fail(`options: ${extra}`);
  const out: OptionsPatch = {};
  if (v.axes !== undefined) {
    if (!isRecord(v.axes)) return fail('options.axes must be an object');
    const axes: Partial<Record<ChartId, AxisChoice>> = {};
    for (const [chart, choice] of Object.entries(v.axes)) {
      if (!isChartId(chart)) return fail(`options.axes: unknown chart "${chart.slice(0, 40)}"`);
      if (!isRecord(choice) || !isAxisScale(choice.x) || !isAxisScale(choice.y) || onlyKeys(choice, ['x', 'y'])) {
        return fail(`options.axes.${chart} must be {x: 'log'|'linear', y: 'log'|'linear'}`);
      }
      axes[chart] = { x: choice.x, y: choice.y };
    }
    out.axes = axes;
  }
  if (v.smoothing !== undefined) {
    if (!isFiniteNumber(v.smoothing) || v.smoothing < 0 || v.smoothing > MAX_SMOOTHING)
      return fail(`options.smoothing must be a number in [0, ${MAX_SMOOTHING}]`);
    out.smoothing = v.smoothing;
  }
  if (v.curveX !== undefined) {
    if (v.curveX !== 'tokens' && v.curveX !== 'step') return fail("options.curveX must be 'tokens' or 'step'");
    out.curveX = v.curveX;
  }
  if (v.scalingX !== undefined) {
    if (!isShortString(v.scalingX, 200)) return fail('options.scalingX must be a variable name');
    out.scalingX = v.scalingX;
  }
  if (v.target !== undefined) {
    if (v.target !== null && !(isFiniteNumber(v.target) && v.target > 0))
      return fail('options.target must be a positive number or null');
    out.target = v.target;
  }
  return { ok: true, value: out };
}

function parsePlanChoice(m: Record<string, unknown>): Parsed<PlanChoice> {
  const out: PlanChoice = {};
  for (const key of ['targetC', 'budget'] as const) {
    const v = m[key];
    if (v === undefined) continue;
    if (!isFiniteNumber(v) || !(v > 0)) return fail(`${key} must be a positive number of FLOPs`);
    out[key] = v;
  }
  if (m.objective !== undefined) {
    if (!PLAN_OBJECTIVES.includes(m.objective as PlanObjectiveId))
      return fail(`objective must be one of ${PLAN_OBJECTIVES.join(', ')}`);
    out.objective = m.objective as PlanObjectiveId;
  }
  if (m.maxRuns !== undefined) {
    if (!Number.isInteger(m.maxRuns) || (m.maxRuns as number) < 1 || (m.maxRuns as number) > MAX_PLAN_RUNS)
      return fail(`maxRuns must be an integer from 1 to ${MAX_PLAN_RUNS}`);
    out.maxRuns = m.maxRuns as number;
  }
  return { ok: true, value: out };
}

const EXPORT_KINDS: readonly ExportKind[] = ['fit-json', 'plot-svg', 'plot-png', 'data-csv'];
const COPY_KINDS: readonly CopyKind[] = ['vega-lite', 'latex', 'plan-config'];

/** Validates one message from the webview. Anything malformed is an error naming the problem, never a guess. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  if (!isRecord(raw)) return fail('message is not an object');
  const m = raw;
  const keys = (allowed: string[]): string | undefined => onlyKeys(m, ['type', ...allowed]);
  switch (m.type) {
    case 'ready': {
      const extra = keys(['holds']);
      if (extra) return fail(`ready: ${extra}`);
      if (m.holds === undefined) return { ok: true, value: { type: 'ready' } };
      if (!isFiniteNumber(m.holds)) return fail('ready: holds must be a finite number');
      return { ok: true, value: { type: 'ready', holds: m.holds } };
    }
    case 'drawn':
    case 'refit': {
      const extra = keys([]);
      return extra ? fail(`${m.type}: ${extra}`) : { ok: true, value: { type: m.type } };
    }
    case 'togglePoint': {
      const extra = keys(['runId', 'step', 'excluded']);
      if (extra) return fail(`togglePoint: ${extra}`);
      if (!isShortString(m.runId)) return fail('togglePoint: runId must be a non-empty string');
      if (m.step !== undefined && !isFiniteNumber(m.step)) return fail('togglePoint: step must be a finite number');
      if (typeof m.excluded !== 'boolean') return fail('togglePoint: excluded must be a boolean');
      const value: WebviewMessage = { type: 'togglePoint', runId: m.runId, excluded: m.excluded };
      if (m.step !== undefined) value.step = m.step;
      return { ok: true, value };
    }
    case 'export':
    case 'copy': {
      const extra = keys(['kind', 'chart']);
      if (extra) return fail(`${m.type}: ${extra}`);
      if (m.chart !== undefined && !isChartId(m.chart)) return fail(`${m.type}: unknown chart`);
      const chart = m.chart;
      if (m.type === 'export') {
        if (!EXPORT_KINDS.includes(m.kind as ExportKind))
          return fail(`export: kind must be one of ${EXPORT_KINDS.join(', ')}`);
        return {
          ok: true,
          value: chart
            ? { type: 'export', kind: m.kind as ExportKind, chart }
            : { type: 'export', kind: m.kind as ExportKind },
        };
      }
      if (!COPY_KINDS.includes(m.kind as CopyKind)) return fail(`copy: kind must be one of ${COPY_KINDS.join(', ')}`);
      return {
        ok: true,
        value: chart ? { type: 'copy', kind: m.kind as CopyKind, chart } : { type: 'copy', kind: m.kind as CopyKind },
      };
    }
    case 'plan': {
      const extra = keys(['targetC', 'budget', 'objective', 'maxRuns']);
      if (extra) return fail(`plan: ${extra}`);
      const choice = parsePlanChoice(m);
      return choice.ok ? { ok: true, value: { type: 'plan', ...choice.value } } : fail(`plan: ${choice.error}`);
    }
    case 'setOptions': {
      const extra = keys(['options']);
      if (extra) return fail(`setOptions: ${extra}`);
      const options = parseOptionsPatch(m.options);
      return options.ok
        ? { ok: true, value: { type: 'setOptions', options: options.value } }
        : fail(`setOptions: ${options.error}`);
    }
    case 'image': {
      if (!Number.isSafeInteger(m.requestId)) return fail('image: requestId must be an integer');
      const requestId = m.requestId as number;
      if (m.ok === true) {
        const extra = keys(['requestId', 'ok', 'format', 'data']);
        if (extra) return fail(`image: ${extra}`);
        if (m.format !== 'svg' && m.format !== 'png') return fail("image: format must be 'svg' or 'png'");
        if (!isShortString(m.data, MAX_IMAGE)) return fail('image: data must be a non-empty string');
        return { ok: true, value: { type: 'image', requestId, ok: true, format: m.format, data: m.data } };
      }
      if (m.ok === false) {
        const extra = keys(['requestId', 'ok', 'error']);
        if (extra) return fail(`image: ${extra}`);
        if (!isShortString(m.error)) return fail('image: error must be a non-empty string');
        return { ok: true, value: { type: 'image', requestId, ok: false, error: m.error } };
      }
      return fail('image: ok must be a boolean');
    }
    case 'log': {
      const extra = keys(['level', 'message']);
      if (extra) return fail(`log: ${extra}`);
      if (m.level !== 'warn' && m.level !== 'error') return fail("log: level must be 'warn' or 'error'");
      if (typeof m.message !== 'string') return fail('log: message must be a string');
      // Truncated rather than rejected: a long stack trace is still worth logging.
      return { ok: true, value: { type: 'log', level: m.level, message: m.message.slice(0, MAX_STRING) } };
    }
    default:
      return fail(
        `unknown message type ${typeof m.type === 'string' ? `"${m.type.slice(0, 40)}"` : `(${typeof m.type})`}`,
      );
  }
}

/** Merges a validated patch into options; unknown scalingX values are kept (the builder falls back with a note). */
export function applyOptionsPatch(options: ViewOptions, patch: OptionsPatch): ViewOptions {
  const next: ViewOptions = { ...options, axes: { ...options.axes } };
  if (patch.axes) for (const id of CHART_IDS) if (patch.axes[id]) next.axes[id] = { ...patch.axes[id] };
  if (patch.smoothing !== undefined) next.smoothing = patch.smoothing;
  if (patch.curveX !== undefined) next.curveX = patch.curveX;
  if (patch.scalingX !== undefined) next.scalingX = patch.scalingX;
  if (patch.target !== undefined) {
    if (patch.target === null) delete next.target;
    else next.target = patch.target;
  }
  return next;
}
