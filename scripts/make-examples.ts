// Writes examples/results/ (a results folder drawn from a known scaling law plus noise, in the layouts real tools
// write) and examples/README.md. Deterministic: the output is committed and a unit test regenerates and compares it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { put, type TruthRun } from './examples/out';
import { EVAL_EVERY, LAW, LOG_POINTS, NOISE, planRuns, SEED } from './examples/plan';
import { readme } from './examples/readme';
import { writeDvclive, writeLightning, writeNanoGpt } from './examples/writeText';
import { writeHfTrainer, writeMlflow, writeMlflowExperiment } from './examples/writeTrackers';
import { writeTensorboard, writeWandb } from './examples/writeBinary';

export interface Truth {
  law: { form: string; E: number; A: number; B: number; alpha: number; beta: number };
  noise: { kind: string; sigma: number };
  definitions: { N: string; D: string; C: string };
  seed: number;
  log_points: number;
  eval_every: number;
  runs: TruthRun[];
}

/** Writes every run into `root` (which should be empty) and returns the truth, also written to TRUTH.json. */
export function writeExamples(root: string): Truth {
  mkdirSync(root, { recursive: true });
  const runs: TruthRun[] = [];
  let lightningVersion = 0;
  let hfCount = 0;
  let tbCount = 0;
  writeMlflowExperiment(root);
  for (const p of planRuns()) {
    switch (p.format) {
      case 'jsonl':
        runs.push(writeNanoGpt(root, p));
        break;
      case 'lightning-csv':
        runs.push(writeLightning(root, p, lightningVersion++));
        break;
      case 'hf-trainer':
        // the first HF run stopped after its last checkpoint (no save_state): readers must use checkpoint-* alone
        runs.push(writeHfTrainer(root, p, hfCount++ > 0));
        break;
      case 'dvclive':
        runs.push(writeDvclive(root, p));
        break;
      case 'mlflow':
        runs.push(writeMlflow(root, p));
        break;
      case 'tensorboard':
        // one PyTorch-style run (simple_value) and one TF2-style run (tensor summaries)
        runs.push(writeTensorboard(root, p, tbCount++ === 0 ? 'simple' : 'tensor'));
        break;
      case 'wandb-offline':
        runs.push(writeWandb(root, p));
        break;
    }
  }
  const truth: Truth = {
    law: { form: 'L(N, D) = E + A / N^alpha + B / D^beta', ...LAW },
    noise: { kind: 'multiplicative Gaussian on every logged train and eval loss: L × (1 + sigma·z)', sigma: NOISE },
    definitions: {
      N: 'non-embedding parameters, 12·L·d² (4d GELU MLP, embeddings excluded)',
      D: 'tokens seen at the end of the run',
      C: '6·N·D',
    },
    seed: SEED,
    log_points: LOG_POINTS,
    eval_every: EVAL_EVERY,
    runs: runs.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0)),
  };
  put(root, 'TRUTH.json', JSON.stringify(truth, null, 2) + '\n');
  return truth;
}

function main(): void {
  const examples = resolve(__dirname, '..', 'examples');
  const results = join(examples, 'results');
  // Only this script writes results/: clearing it drops runs a previous version of the script wrote.
  rmSync(results, { recursive: true, force: true });
  const truth = writeExamples(results);
  writeFileSync(join(examples, 'README.md'), readme(truth.runs));
  process.stdout.write(`wrote ${truth.runs.length} runs to ${results}\n`);
}

if (require.main === module) main();
