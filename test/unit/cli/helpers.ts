import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../src/cli/cli';

export const REPO = resolve(__dirname, '../../..');
export const RESULTS = join(REPO, 'examples/results');

export interface TruthRun {
  name: string;
  dir: string;
  N: number;
  D: number;
  C: number;
  eval_loss_final: number;
}
export interface Truth {
  law: { E: number; A: number; B: number; alpha: number; beta: number };
  runs: TruthRun[];
}
export const TRUTH = JSON.parse(readFileSync(join(RESULTS, 'TRUTH.json'), 'utf8')) as Truth;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI exactly as `scaling-lens` runs it (same dispatch and exit codes), in-process. */
export async function cli(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  let stderr = '';
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => (stderr += s) });
  return { code, stdout: out.join('\n'), stderr };
}

/** Runs a command that must succeed and prints JSON; returns the parsed document. */
export async function cliJson<T>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json');
  if (r.code !== 0) throw new Error(`scaling-lens ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export function tempDir(): { dir: string; file: (name: string, text?: string) => string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cli-'));
  return {
    dir,
    file: (name, text) => {
      const p = join(dir, name);
      if (text !== undefined) writeFileSync(p, text);
      return p;
    },
    done: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
