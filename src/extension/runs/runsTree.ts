import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatScale } from '../../core/config/values';
import { type Diagnostic, divergence, type Run } from '../../core/model/run';
import { groupBySubfolder } from '../../core/model/runFolders';
import type { Series } from '../../core/model/series';
import { COMMAND } from '../ids';
import type { WorkspaceRuns } from './workspaceRuns';

/**
 * The "Scaling Runs" view: folder → format → run, each run with N, D, C and the last value of its loss-like metric;
 * under a run, the files its data came from (logs, then configs) and the input problems of those files. A format
 * with many runs is grouped by sub-folder, each group expanded on demand. A run whose loss went NaN/Inf is marked.
 * A projection of WorkspaceRuns: it holds no state of its own beyond the expanded tree.
 */
type Node =
  | { kind: 'folder'; folder: vscode.WorkspaceFolder }
  | { kind: 'format'; folder: vscode.WorkspaceFolder; format: string }
  | { kind: 'group'; folder: vscode.WorkspaceFolder; format: string; prefix: string; count: number }
  | { kind: 'run'; folder: vscode.WorkspaceFolder; run: Run; label: string }
  | { kind: 'file'; file: string; config: boolean }
  | { kind: 'problem'; diagnostic: Diagnostic };

/** Runs listed directly under a node; past this they are grouped by their next sub-folder. */
const MAX_FLAT_RUNS = 200;

/** Metric names tried in order for the run's description: the one a scaling analysis most likely wants. */
const PREFERRED_METRICS = [
  'val_loss',
  'eval_loss',
  'valid_loss',
  'validation_loss',
  'val/loss',
  'eval/loss',
  'loss',
  'train_loss',
  'train/loss',
];

export function headlineMetric(run: Run): { name: string; value: number } | undefined {
  const all = run.metrics.all().filter((s) => s.count > 0);
  const byName = new Map(all.map((s) => [s.name, s]));
  const candidates: (Series | undefined)[] = [
    ...PREFERRED_METRICS.map((n) => byName.get(n)),
    all.find((s) => /loss/i.test(s.name)),
    ...all,
  ];
  const pick = candidates.find((s) => s !== undefined);
  if (!pick) return undefined;
  const last = pick.last();
  return last ? { name: pick.name, value: last.value } : undefined;
}

/** Folder names tools create for every run; the run's own name is the folder above them. */
const GENERIC_DIRS =
  /^(dvclive|lightning_logs|logs?|runs|mlruns|wandb|files|tensorboard|tb|version_\d+|checkpoint-\d+|\d+|[0-9a-f]{32}|run-\d{8}_\d{6}-\w+)$/i;

/** A short label for a run: the last folder of its path that is not a tool's generic folder name. */
export function runLabel(relativeDir: string): string {
  const parts = relativeDir.split(/[\\/]/).filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) if (!GENERIC_DIRS.test(parts[i])) return parts[i];
  return relativeDir;
}

/** The name a tracker gave the run (MLflow, W&B), when it recorded one. */
function runName(run: Run): string | undefined {
  for (const key of ['mlflow.run_name', 'mlflow.runName', 'wandb.run_name', 'run_name', 'name']) {
    const v = run.config[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
}

export class RunsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly runs: WorkspaceRuns,
    private readonly isExcluded: (runId: string) => boolean = () => false,
  ) {
    this.subscription = runs.onDidChange(() => {
      this.changed.fire(undefined);
    });
  }

  /** Redraws the tree (after a run was excluded from or included in the fit). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    const all = this.runs.runs();
    if (!node) {
      const folders = [...new Map(all.map((r) => [r.folder.uri.toString(), r.folder])).values()];
      // With one folder, skip the folder level: it is the workspace itself.
      if (folders.length === 1) return this.getChildren({ kind: 'folder', folder: folders[0] });
      return folders.map((folder) => ({ kind: 'folder', folder }));
    }
    if (node.kind === 'folder') {
      const mine = all.filter((r) => r.folder === node.folder);
      const formats = [...new Set(mine.map((r) => r.run.format))].sort();
      const loose = this.problemsOutsideRuns(
        node.folder,
        mine.map((r) => r.run),
      );
      return [...formats.map((format): Node => ({ kind: 'format', folder: node.folder, format })), ...loose];
    }
    if (node.kind === 'format' || node.kind === 'group') {
      const folder = node.folder;
      const rel = (run: Run) => (path.relative(folder.uri.fsPath, run.dir) || run.id).split(path.sep).join('/');
      let prefix = node.kind === 'group' ? node.prefix : '';
      let mine = all.filter(
        (r) => r.folder === folder && r.run.format === node.format && (!prefix || rel(r.run).startsWith(prefix)),
      );
      const groupNodes: Node[] = [];
      if (mine.length > MAX_FLAT_RUNS) {
        let g = groupBySubfolder(
          mine.map((r) => rel(r.run)),
          prefix,
        );
        // one sub-folder holding everything says nothing: go down to where the runs fan out
        while (g.groups.size === 1 && !g.direct.size) {
          prefix = [...g.groups.keys()][0];
          g = groupBySubfolder(
            mine.map((r) => rel(r.run)),
            prefix,
          );
        }
        for (const [p, count] of g.groups)
          groupNodes.push({ kind: 'group', folder, format: node.format, prefix: p, count });
        mine = mine.filter((r) => g.direct.has(rel(r.run)));
      }
      mine.sort((a, b) => (a.run.N?.value ?? 0) - (b.run.N?.value ?? 0) || a.run.id.localeCompare(b.run.id));
      const short = mine.map((r) => runName(r.run) ?? runLabel(rel(r.run)));
      const counts = new Map<string, number>();
      for (const s of short) counts.set(s, (counts.get(s) ?? 0) + 1);
      // Two runs with the same short name (version_0 and version_1 of one Lightning folder) show their paths.
      return [
        ...groupNodes,
        ...mine.map((r, i): Node => ({
          kind: 'run',
          folder: r.folder,
          run: r.run,
          label: counts.get(short[i]) === 1 ? short[i] : rel(r.run),
        })),
      ];
    }
    if (node.kind === 'run') {
      // provenance: the metric logs, then the config/params/meta files the run's config came from
      const configs = new Set(node.run.configFiles ?? []);
      const files = node.run.files.map((file): Node => ({ kind: 'file', file, config: configs.has(file) }));
      return [...files, ...this.problemsOf(node.run).map((diagnostic): Node => ({ kind: 'problem', diagnostic }))];
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = vscode.ThemeIcon.Folder;
        return item;
      }
      case 'format': {
        const count = this.runs.runs().filter((r) => r.folder === node.folder && r.run.format === node.format).length;
        const item = new vscode.TreeItem(node.format, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${count} run${count === 1 ? '' : 's'}`;
        item.contextValue = 'format';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.prefix.replace(/\/$/, ''), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.count} run${node.count === 1 ? '' : 's'}`;
        item.iconPath = vscode.ThemeIcon.Folder;
        return item;
      }
      case 'run':
        return this.runItem(node.folder, node.run, node.label);
      case 'file': {
        const item = new vscode.TreeItem(path.basename(node.file), vscode.TreeItemCollapsibleState.None);
        item.description = node.config ? 'config' : 'log';
        item.tooltip = node.file;
        item.resourceUri = vscode.Uri.file(node.file);
        item.iconPath = new vscode.ThemeIcon(node.config ? 'settings-gear' : 'graph-line');
        item.command = { command: COMMAND.openRunLog, title: 'Open File', arguments: [node.file] };
        return item;
      }
      case 'problem': {
        const d = node.diagnostic;
        const item = new vscode.TreeItem(d.message, vscode.TreeItemCollapsibleState.None);
        item.description = `${path.basename(d.file)}${d.position ? ` ${d.position}` : ''}`;
        item.tooltip = `${d.file}${d.position ? ` (${d.position})` : ''}: ${d.message}`;
        item.iconPath = new vscode.ThemeIcon(
          d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info',
        );
        item.command = { command: COMMAND.openRunLog, title: 'Open File', arguments: [d.file] };
        return item;
      }
    }
  }

  private runItem(folder: vscode.WorkspaceFolder, run: Run, label: string): vscode.TreeItem {
    const problems = this.problemsOf(run).filter((d) => d.severity !== 'info');
    const rel = path.relative(folder.uri.fsPath, run.dir) || run.id;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    const diverged = divergence(run);
    item.id = `${folder.uri.toString()}#${run.id}`;
    const metric = headlineMetric(run);
    item.description = [
      run.N ? `N ${formatScale(run.N.value)}` : undefined,
      run.D ? `D ${formatScale(run.D.value)}` : undefined,
      run.C ? `C ${formatScale(run.C.value)}` : undefined,
      diverged ? `diverged at step ${diverged.step}` : undefined,
      metric
        ? `${metric.name} ${Number.isFinite(metric.value) ? metric.value.toPrecision(4) : String(metric.value)}`
        : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${run.id}** (${run.format})\n\n\`${rel}\`\n\n`);
    for (const [key, scale] of [
      ['N', run.N],
      ['D', run.D],
      ['C', run.C],
    ] as const) {
      md.appendMarkdown(
        scale ? `- ${key} = ${formatScale(scale.value)} — ${scale.provenance}\n` : `- ${key}: unknown\n`,
      );
    }
    const metrics = run.metrics.all();
    if (metrics.length)
      md.appendMarkdown(
        `\n${metrics.length} metric${metrics.length === 1 ? '' : 's'}: ${metrics.map((s) => `\`${s.name}\` (${s.count})`).join(', ')}\n`,
      );
    if (problems.length)
      md.appendMarkdown(`\n$(warning) ${problems.length} problem${problems.length === 1 ? '' : 's'} in the input\n`);
    item.tooltip = md;
    const excluded = this.isExcluded(run.id);
    if (diverged)
      md.appendMarkdown(
        `\n$(flame) diverged at step ${diverged.step}: \`${diverged.metric}\` has ${diverged.count} NaN/Inf value${diverged.count === 1 ? '' : 's'}\n`,
      );
    item.iconPath = new vscode.ThemeIcon(
      diverged ? 'flame' : problems.length ? 'warning' : excluded ? 'circle-slash' : 'pulse',
    );
    if (excluded) item.description = `excluded from fits · ${item.description ?? ''}`;
    item.contextValue = excluded ? 'run.excluded' : 'run';
    const log = run.files[0];
    if (log) item.command = { command: COMMAND.openRunLog, title: 'Open Run Log', arguments: [log] };
    return item;
  }

  private problemsOf(run: Run): Diagnostic[] {
    const files = new Set(run.files);
    return this.runs.diagnostics().filter((d) => files.has(d.file) || d.file.startsWith(run.dir + path.sep));
  }

  /** Problems in files that belong to no run (e.g. a damaged log that could not be read at all). */
  private problemsOutsideRuns(folder: vscode.WorkspaceFolder, runs: Run[]): Node[] {
    const root = folder.uri.fsPath + path.sep;
    return this.runs
      .diagnostics()
      .filter(
        (d) =>
          d.file.startsWith(root) && !runs.some((r) => r.files.includes(d.file) || d.file.startsWith(r.dir + path.sep)),
      )
      .map((diagnostic): Node => ({ kind: 'problem', diagnostic }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
