// src/extension/ids.ts and package.json name the same commands, views and context keys, both ways; and no other
// source file writes one of them out as a string (so renaming one is a change in two places, both checked here).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND, CONTEXT, VIEW } from '../../../src/extension/ids';

const repo = resolve(__dirname, '../../..');

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string; when?: string }[]>;
    viewsWelcome: { view: string; when?: string }[];
  };
}
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Manifest;
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

const whenClauses = [
  ...Object.values(manifest.contributes.menus).flatMap((items) => items.map((i) => i.when)),
  ...Object.values(manifest.contributes.views).flatMap((items) => items.map((i) => i.when)),
  ...manifest.contributes.viewsWelcome.map((w) => w.when),
].filter((w): w is string => typeof w === 'string');
const viewIds = Object.values(manifest.contributes.views).flatMap((items) => items.map((i) => i.id));
const webviewTypes = manifest.activationEvents
  .filter((e) => e.startsWith('onWebviewPanel:'))
  .map((e) => e.slice('onWebviewPanel:'.length));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(name) ? [p] : [];
  });
}

describe('ids.ts and package.json', () => {
  it('declare the same commands', () => {
    assert.deepEqual(sorted(Object.values(COMMAND)), sorted(manifest.contributes.commands.map((c) => c.command)));
  });

  it('declare the same views (the tree views and the webview panel type)', () => {
    assert.deepEqual(sorted(Object.values(VIEW)), sorted([...viewIds, ...webviewTypes]));
  });

  it('use the same context keys in when clauses', () => {
    const names = new Set<string>([...Object.values(VIEW), ...Object.values(COMMAND)]);
    const used = whenClauses.flatMap((w) => [...w.matchAll(/\bscalingLens\.[\w.]+/g)].map((m) => m[0]));
    const keys = used.filter((k) => !names.has(k));
    assert.ok(keys.length > 0, 'the when clauses name context keys');
    assert.deepEqual(sorted(Object.values(CONTEXT)), sorted(keys));
  });

  it('every menu entry names a declared command', () => {
    const declared = new Set<string>(Object.values(COMMAND));
    const menuCommands = Object.values(manifest.contributes.menus).flatMap((items) => items.map((i) => i.command));
    assert.deepEqual(
      menuCommands.filter((c) => !declared.has(c)),
      [],
    );
  });
});

describe('ids are written once', () => {
  it('no source file other than ids.ts spells a command ID, view ID or context key', () => {
    const ids = [...Object.values(COMMAND), ...Object.values(VIEW), ...Object.values(CONTEXT)];
    const files = [...sources(join(repo, 'src')), ...sources(join(repo, 'webview'))].filter(
      (f) => !f.endsWith(join('src', 'extension', 'ids.ts')),
    );
    assert.ok(files.length > 100, `only ${files.length} source files found`);
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      // A quoted id, or one inside a command: link ("command:scalingLens.openPanel?…").
      for (const id of ids)
        if (new RegExp(`(['"\`]|command:)${id.replace('.', '\\.')}(['"\`?])`).test(text))
          offenders.push(`${relative(repo, f)}: ${id}`);
    }
    assert.deepEqual(offenders, []);
  });
});
