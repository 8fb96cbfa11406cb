// The layering the design fixes, checked on the source: src/core is pure (no vscode, no node-only UI layers above
// it), only src/extension imports vscode, dependencies point core ← cli/worker/extension, webview reaches only
// src/contract (and pure view helpers), and there is no import cycle anywhere, even inside a folder.
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
  for (const c of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile() && c.endsWith('.ts')) return c;
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

  it('src/core depends on nothing above it (cli, worker, extension, webview); only the panel view builders use the import-free panel contract', () => {
    const bad: string[] = [];
    for (const f of files.filter((x) => rel(x).startsWith('src/core/'))) {
      for (const s of graph.get(f)!) {
        const target = resolveLocal(f, s);
        if (!target || rel(target).startsWith('src/core/')) continue;
        // The view model the panel draws is defined by the contract both sides compile; core/view builds it.
        if (rel(f).startsWith('src/core/view/') && rel(target) === 'src/contract/panel.ts') continue;
        bad.push(`${rel(f)} → ${rel(target)}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('the panel contract imports nothing (both the host and the webview bundle compile it)', () => {
    const panel = join(repo, 'src/contract/panel.ts');
    assert.ok(graph.has(panel), 'src/contract/panel.ts exists');
    assert.deepEqual(graph.get(panel), []);
  });

  it('cli, worker and extension do not import each other (except the extension using the worker client)', () => {
    const layer = (f: string) => rel(f).split('/')[1];
    const bad: string[] = [];
    for (const f of files.filter((x) => ['cli', 'worker', 'extension', 'contract'].includes(layer(x)))) {
      for (const s of graph.get(f)!) {
        const target = resolveLocal(f, s);
        if (!target || !rel(target).startsWith('src/')) continue;
        const from = layer(f), to = layer(target);
        const allowed = to === from || to === 'core' || to === 'contract' || (from === 'extension' && to === 'worker' && !rel(target).endsWith('fitWorker.ts'));
        if (!allowed) bad.push(`${rel(f)} → ${rel(target)}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('the webview reaches the host only through src/contract (and pure view helpers)', () => {
    const bad: string[] = [];
    for (const f of files.filter((x) => rel(x).startsWith('webview/'))) {
      for (const s of graph.get(f)!) {
        const target = resolveLocal(f, s);
        if (target && !rel(target).startsWith('webview/') && !rel(target).startsWith('src/contract/') && !rel(target).startsWith('src/core/view/')) bad.push(`${rel(f)} → ${rel(target)}`);
      }
    }
    assert.deepEqual(bad, []);
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
