import { readFileSync } from 'node:fs';
import { version } from '../../../package.json';
import type { FitArtifact, FitDataset, FitResult } from '../../contract/fit';
import { ArtifactError } from '../errors';
import { isLawName, LAW_NAMES } from '../laws/registry';

export const ARTIFACT_KIND = 'scaling-lens-fit';

/** The fit plus what it was fitted on, so a prediction can be reproduced (and questioned) later. */
export function toArtifact(result: FitResult, dataset: FitDataset, created = new Date()): FitArtifact {
  const runs = [...new Set(dataset.points.map((p) => p.runId))];
  return {
    kind: ARTIFACT_KIND,
    engineVersion: version,
    created: created.toISOString(),
    ...result,
    data: {
      xNames: [...dataset.xNames],
      yName: dataset.yName,
      definitions: { ...dataset.definitions },
      runs,
      points: dataset.points.map((p) =>
        p.step === undefined
          ? { runId: p.runId, x: { ...p.x }, y: p.y }
          : { runId: p.runId, step: p.step, x: { ...p.x }, y: p.y },
      ),
    },
  };
}

export { ArtifactError };

/**
 * The artifact on disk keeps the snake_case keys it has always had (files written by older versions must load, and
 * users read them), while the engine's types are camelCase. These tables are the whole mapping, both directions.
 */
const TOP_KEYS: Record<string, string> = {
  engineVersion: 'engine_version',
  nPoints: 'n_points',
  nRuns: 'n_runs',
  computeOptimal: 'compute_optimal',
  elapsedMs: 'elapsed_ms',
};
const METRIC_KEYS: Record<string, string> = { rmseLog: 'rmse_log' };
const HOLDOUT_KEYS: Record<string, string> = { areMean: 'are_mean' };
const COMPARISON_KEYS: Record<string, string> = { rmseLog: 'rmse_log', areMean: 'are_mean' };

function invert(table: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));
}

/** Renames an object's keys in place of the old ones, so the key order (and the file's diff) stays as it was. */
function renameKeys(v: unknown, table: Record<string, string>): unknown {
  if (!isRecord(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [table[k] ?? k, x]));
}

/** Maps between the engine's names and the file's, in the direction the tables give. */
function mapArtifact(
  doc: Record<string, unknown>,
  top: Record<string, string>,
  metric: Record<string, string>,
  holdout: Record<string, string>,
  comparison: Record<string, string>,
): Record<string, unknown> {
  const out = renameKeys(doc, top) as Record<string, unknown>;
  if (isRecord(out.metrics)) out.metrics = renameKeys(out.metrics, metric);
  if (isRecord(out.holdout)) out.holdout = renameKeys(out.holdout, holdout);
  if (Array.isArray(out.comparison)) out.comparison = out.comparison.map((c: unknown) => renameKeys(c, comparison));
  return out;
}

/** The artifact in its on-disk shape (documented snake_case keys). */
function artifactJson(a: FitArtifact): Record<string, unknown> {
  return mapArtifact({ ...a }, TOP_KEYS, METRIC_KEYS, HOLDOUT_KEYS, COMPARISON_KEYS);
}

/** An on-disk artifact (already checked by artifactProblems) in the engine's names. */
function fromArtifactJson(doc: Record<string, unknown>): FitArtifact {
  return mapArtifact(
    doc,
    invert(TOP_KEYS),
    invert(METRIC_KEYS),
    invert(HOLDOUT_KEYS),
    invert(COMPARISON_KEYS),
  ) as unknown as FitArtifact;
}

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON writes NaN and ±Infinity as null; a number field may hold null without the file being broken. */
function isNum(v: Json): boolean {
  return typeof v === 'number' || v === null;
}

function isPair(v: Json): boolean {
  return Array.isArray(v) && v.length === 2 && isNum(v[0]) && isNum(v[1]);
}

/** Problems with an artifact's shape, each naming the field; empty when it is usable. */
export function artifactProblems(doc: Json): string[] {
  if (!isRecord(doc)) return ['is not a JSON object'];
  if (doc.kind !== ARTIFACT_KIND)
    return [
      `is not a Scaling Lens fit artifact ("kind" is ${JSON.stringify(doc.kind ?? null)}, expected "${ARTIFACT_KIND}"; write one with \`scaling-lens fit … --out fit.json\`)`,
    ];
  const p: string[] = [];
  if (typeof doc.law !== 'string' || !isLawName(doc.law)) p.push(`"law" must be one of ${LAW_NAMES.join(', ')}`);
  if (!isRecord(doc.params) || !Object.keys(doc.params).length)
    p.push('"params" must map parameter names to {value, ci95?}');
  else
    for (const [k, v] of Object.entries(doc.params)) {
      if (!isRecord(v) || typeof v.value !== 'number') p.push(`"params.${k}.value" must be a number`);
      else if (v.ci95 !== undefined && !isPair(v.ci95)) p.push(`"params.${k}.ci95" must be [low, high]`);
    }
  if (!isRecord(doc.domain)) p.push('"domain" must map each x variable to [min, max]');
  else for (const [k, v] of Object.entries(doc.domain)) if (!isPair(v)) p.push(`"domain.${k}" must be [min, max]`);
  if (!isRecord(doc.metrics)) p.push('"metrics" must be an object');
  if (!isRecord(doc.options)) p.push('"options" must be an object');
  if (!Array.isArray(doc.warnings)) p.push('"warnings" must be an array');
  if (doc.draws !== undefined && (!Array.isArray(doc.draws) || !doc.draws.every((d) => isRecord(d))))
    p.push('"draws" must be an array of parameter records');
  if (doc.law === 'custom' && (!isRecord(doc.custom) || typeof doc.custom.formula !== 'string'))
    p.push('a custom law needs "custom.formula"');
  const data = doc.data;
  if (!isRecord(data)) p.push('"data" (provenance) must be an object');
  else {
    if (!Array.isArray(data.xNames) || !data.xNames.every((x) => typeof x === 'string'))
      p.push('"data.xNames" must be a list of names');
    if (typeof data.yName !== 'string') p.push('"data.yName" must be a string');
    if (!Array.isArray(data.runs)) p.push('"data.runs" must be a list');
    if (!Array.isArray(data.points)) p.push('"data.points" must be a list');
  }
  return p;
}

/** Reads and checks a fit artifact; errors name the file and every problem found. */
export function readArtifact(path: string): FitArtifact {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ArtifactError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${e instanceof Error ? e.message : String(e)})`}`,
    );
  }
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ArtifactError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const problems = artifactProblems(doc);
  // Other JSON files (not an object, or another kind) are not damaged artifacts: callers may pass over them quietly.
  const foreign = !isRecord(doc) || doc.kind !== ARTIFACT_KIND;
  if (problems.length)
    throw new ArtifactError(
      `${path}: ${problems.length === 1 ? problems[0] : `invalid fit artifact:\n  ${problems.join('\n  ')}`}`,
      foreign,
    );
  return fromArtifactJson(doc as Record<string, unknown>);
}

/** The artifact as written to disk: stable key order, readable diffs. */
export function artifactText(a: FitArtifact): string {
  return JSON.stringify(artifactJson(a), null, 1) + '\n';
}
