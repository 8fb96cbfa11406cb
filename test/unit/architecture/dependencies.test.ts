// The layering the design fixes, checked on the source: src/contract (plain data) imports nothing of ours,
// src/core imports only core and contract, cli/worker/extension sit on top (only src/extension imports vscode),
// the webview reaches only src/contract, and there is no import cycle anywhere, even inside a folder.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const repo = resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Module specifiers of static imports, re-exports and requires (type-only imports included: they couple too). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, join(base, 'index.ts')])
    if (existsSync(c) && statSync(c).isFile() && c.endsWith('.ts')) return c;
  return undefined;
}

const files = [...sources(join(repo, 'src')), ...sources(join(repo, 'webview'))];
const graph = new Map(files.map((f) => [f, specifiers(f)]));
const rel = (f: string) => relative(repo, f);

describe('architecture', () => {
  it('only src/extension imports vscode', () => {
    const offenders = files.filter((f) => !rel(f).startsWith('src/extension/') && graph.get(f)!.includes('vscode'));
    assert.deepEqual(offenders.map(rel), []);
  });

  /** Every local import of `layer`'s files whose target lies outside `allowed` (repository-relative prefixes). */
  function crossings(layer: string, allowed: string[]): string[] {
    const bad: string[] = [];
    for (const f of files.filter((x) => rel(x).startsWith(layer))) {
      for (const s of graph.get(f)!) {
        const target = resolveLocal(f, s);
        if (target && !allowed.some((a) => rel(target).startsWith(a))) bad.push(`${rel(f)} → ${rel(target)}`);
      }
    }
    return bad;
  }

  it('src/contract is the ground floor: it imports nothing of ours outside itself', () => {
    assert.deepEqual(crossings('src/contract/', ['src/contract/']), []);
  });

  it('src/core imports only core and contract', () => {
    assert.deepEqual(crossings('src/core/', ['src/core/', 'src/contract/']), []);
  });

  it('the fit engine is not imported by the law library (arrows point from fit to laws, never back)', () => {
    // The errors module is core's one place for error types (laws throw ExprError), not part of the engine.
    assert.deepEqual(
      crossings('src/core/laws/', ['src/core/laws/', 'src/core/util/', 'src/core/errors.ts', 'src/contract/']),
      [],
    );
  });

  it('cli and worker import only themselves, core and contract; the extension adds the worker client', () => {
    assert.deepEqual(crossings('src/cli/', ['src/cli/', 'src/core/', 'src/contract/']), []);
    assert.deepEqual(crossings('src/worker/', ['src/worker/', 'src/core/', 'src/contract/']), []);
    assert.deepEqual(
      crossings('src/extension/', ['src/extension/', 'src/core/', 'src/contract/', 'src/worker/fitClient']),
      [],
    );
  });

  it('the webview reaches the host only through src/contract', () => {
    assert.deepEqual(crossings('webview/', ['webview/', 'src/contract/']), []);
  });

  it('every error type core exports is declared in src/core/errors.ts', () => {
    // A module-private error used as control flow inside one file (and caught there) is not part of the API.
    const elsewhere = files
      .filter((f) => rel(f).startsWith('src/core/') && rel(f) !== 'src/core/errors.ts')
      .flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/^export (?:abstract )?class (\w+) extends \w*Error\b/gm)].map(
          (m) => `${rel(f)}: ${m[1]}`,
        ),
      );
    assert.deepEqual(elsewhere, []);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const s of graph.get(f) ?? []) {
        const t = resolveLocal(f, s);
        if (!t || !graph.has(t)) continue;
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    assert.deepEqual(cycles, []);
  });

  it('the checks see the code base (a guard against a silently empty scan)', () => {
    assert.ok(files.length > 100, `only ${files.length} source files found`);
    assert.ok(graph.get(join(repo, 'src/extension/activate.ts'))!.includes('vscode'));
  });
});
