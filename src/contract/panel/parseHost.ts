/**
 * Checks what the host posts, in the webview. The host is trusted, but a stale webview bundle after an update
 * could receive a shape it does not know; it should say so instead of throwing deep inside rendering. Deltas are
 * checked field by field (they are applied to a live Vega view); a full state only by its outer shape.
 */
import type { ChartSlot, FitSummary, PanelStatus } from './data';
import type { ChartTextChange, DataChange, HostMessage, PanelChange, PanelDelta } from './messages';
import {
  fail,
  isChartId,
  isFiniteNumber,
  isRecord,
  isRows,
  isShortString,
  isStringList,
  onlyKeys,
  type Parsed,
} from './validate';

const STATUS_KINDS: readonly string[] = ['empty', 'fitting', 'ready', 'error'];

function isStatus(v: unknown): v is PanelStatus {
  return (
    isRecord(v) &&
    !onlyKeys(v, ['kind', 'message']) &&
    STATUS_KINDS.includes(v.kind as string) &&
    typeof v.message === 'string'
  );
}

function typeName(v: unknown): string {
  return typeof v === 'string' ? `"${v.slice(0, 40)}"` : `(${typeof v})`;
}

function parseDataChange(c: Record<string, unknown>): Parsed<DataChange> {
  const where = `${String(c.type)} ${String(c.chart)}/${String(c.dataset)}`;
  if (!isChartId(c.chart)) return fail(`${String(c.type)}: unknown chart ${typeName(c.chart)}`);
  if (!isShortString(c.dataset, 200)) return fail(`${String(c.type)}: dataset must be a name`);
  const extra = (fields: string[]) => onlyKeys(c, ['type', 'chart', 'dataset', ...fields]);
  const { chart, dataset } = c;
  switch (c.type) {
    case 'seriesChanged': {
      const bad = extra(['runs', 'rows']);
      if (bad) return fail(`${where}: ${bad}`);
      if (!isStringList(c.runs)) return fail(`${where}: runs must be run ids`);
      if (!isRows(c.rows)) return fail(`${where}: rows must be flat records`);
      return { ok: true, value: { type: c.type, chart, dataset, runs: c.runs, rows: c.rows } };
    }
    case 'runsAdded':
    case 'datasetReplaced': {
      const bad = extra(['rows']);
      if (bad) return fail(`${where}: ${bad}`);
      if (!isRows(c.rows)) return fail(`${where}: rows must be flat records`);
      return { ok: true, value: { type: c.type, chart, dataset, rows: c.rows } };
    }
    case 'runsRemoved': {
      const bad = extra(['runs']);
      if (bad) return fail(`${where}: ${bad}`);
      if (!isStringList(c.runs)) return fail(`${where}: runs must be run ids`);
      return { ok: true, value: { type: c.type, chart, dataset, runs: c.runs } };
    }
    default:
      return fail(`unknown change type ${typeName(c.type)}`);
  }
}

function parseChartText(c: Record<string, unknown>): Parsed<ChartTextChange> {
  const bad = onlyKeys(c, ['type', 'chart', 'title', 'subtitle', 'caption', 'drawn', 'total']);
  if (bad) return fail(`chartText: ${bad}`);
  if (!isChartId(c.chart)) return fail(`chartText: unknown chart ${typeName(c.chart)}`);
  if (typeof c.title !== 'string' || typeof c.caption !== 'string')
    return fail('chartText: title and caption must be strings');
  if (!Array.isArray(c.subtitle) || !c.subtitle.every((s) => typeof s === 'string'))
    return fail('chartText: subtitle must be lines of text');
  if (!isFiniteNumber(c.drawn) || !isFiniteNumber(c.total)) return fail('chartText: drawn and total must be numbers');
  return {
    ok: true,
    value: {
      type: 'chartText',
      chart: c.chart,
      title: c.title,
      subtitle: c.subtitle,
      caption: c.caption,
      drawn: c.drawn,
      total: c.total,
    },
  };
}

function parseChange(c: unknown): Parsed<PanelChange> {
  if (!isRecord(c)) return fail('a change is not an object');
  switch (c.type) {
    case 'chartText':
      return parseChartText(c);
    case 'chartReplaced': {
      const bad = onlyKeys(c, ['type', 'chart', 'slot']);
      if (bad) return fail(`chartReplaced: ${bad}`);
      if (!isChartId(c.chart)) return fail(`chartReplaced: unknown chart ${typeName(c.chart)}`);
      const slot = c.slot;
      // Like a full state, a plot's model is checked by its outer shape: it is drawn the same way.
      const wellFormed =
        isRecord(slot) &&
        (slot.available === true
          ? isRecord(slot.spec) && isRecord(slot.data)
          : slot.available === false && typeof slot.reason === 'string');
      if (!wellFormed) return fail('chartReplaced: slot must be a plot model or why it is unavailable');
      return { ok: true, value: { type: 'chartReplaced', chart: c.chart, slot: slot as unknown as ChartSlot } };
    }
    case 'fitReplaced': {
      const bad = onlyKeys(c, ['type', 'summary']);
      if (bad) return fail(`fitReplaced: ${bad}`);
      // The summary is plain numbers and text drawn with textContent; its shape is the host's (trusted) builder's.
      if (c.summary !== null && !(isRecord(c.summary) && Array.isArray(c.summary.params)))
        return fail('fitReplaced: summary must be a fit summary or null');
      return { ok: true, value: { type: 'fitReplaced', summary: c.summary as FitSummary | null } };
    }
    case 'header': {
      const bad = onlyKeys(c, ['type', 'title', 'status', 'xChoices', 'excludedCount']);
      if (bad) return fail(`header: ${bad}`);
      if (typeof c.title !== 'string') return fail('header: title must be a string');
      if (!isStatus(c.status)) return fail('header: malformed status');
      if (!isStringList(c.xChoices, 200)) return fail('header: xChoices must be variable names');
      if (!Number.isSafeInteger(c.excludedCount) || (c.excludedCount as number) < 0)
        return fail('header: excludedCount must be a count');
      return {
        ok: true,
        value: {
          type: 'header',
          title: c.title,
          status: c.status,
          xChoices: c.xChoices,
          excludedCount: c.excludedCount as number,
        },
      };
    }
    default:
      return parseDataChange(c);
  }
}

function parseDelta(raw: Record<string, unknown>): Parsed<PanelDelta> {
  const bad = onlyKeys(raw, ['type', 'base', 'builtAt', 'changes']);
  if (bad) return fail(`delta: ${bad}`);
  if (!isFiniteNumber(raw.base) || !isFiniteNumber(raw.builtAt) || raw.builtAt <= raw.base)
    return fail('delta: base and builtAt must be increasing build times');
  if (!Array.isArray(raw.changes)) return fail('delta: changes must be a list');
  const changes: PanelChange[] = [];
  for (const [i, c] of raw.changes.entries()) {
    const parsed = parseChange(c);
    if (!parsed.ok) return fail(`delta: change ${i}: ${parsed.error}`);
    changes.push(parsed.value);
  }
  return { ok: true, value: { type: 'delta', base: raw.base, builtAt: raw.builtAt, changes } };
}

export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  if (!isRecord(raw)) return fail('message is not an object');
  switch (raw.type) {
    case 'state':
      if (onlyKeys(raw, ['type', 'state'])) return fail(`state: ${onlyKeys(raw, ['type', 'state'])}`);
      if (!isRecord(raw.state) || !isRecord(raw.state.charts) || !isRecord(raw.state.options))
        return fail('state: missing state.charts or state.options');
      return { ok: true, value: raw as unknown as HostMessage };
    case 'delta':
      return parseDelta(raw);
    case 'status': {
      const bad = onlyKeys(raw, ['type', 'status']);
      if (bad) return fail(`status: ${bad}`);
      if (!isStatus(raw.status)) return fail('status: malformed status');
      return { ok: true, value: { type: 'status', status: raw.status } };
    }
    case 'renderImage': {
      const bad = onlyKeys(raw, ['type', 'requestId', 'chart', 'format']);
      if (bad) return fail(`renderImage: ${bad}`);
      if (
        !Number.isSafeInteger(raw.requestId) ||
        !isChartId(raw.chart) ||
        (raw.format !== 'svg' && raw.format !== 'png')
      )
        return fail('renderImage: malformed request');
      return {
        ok: true,
        value: { type: 'renderImage', requestId: raw.requestId as number, chart: raw.chart, format: raw.format },
      };
    }
    default:
      return fail(`unknown host message type ${typeName(raw.type)}`);
  }
}
