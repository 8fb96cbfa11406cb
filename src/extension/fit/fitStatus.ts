import * as vscode from 'vscode';
import type { FitService } from './fitService';

/** The status-bar item: the active fit's law and key numbers, or that a fit is running. Click: open the panel. */
export class FitStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('scalingLens.fit', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly fits: FitService,
    openCommand: string,
  ) {
    this.item.name = 'Scaling Lens fit';
    this.item.command = openCommand;
    this.subscriptions = [
      fits.onDidChangeFit(() => {
        this.render();
      }),
      fits.onDidChangeBusy((b) => {
        if (b.running) this.renderBusy(b.fraction, b.message);
        else this.render();
      }),
    ];
    this.render();
  }

  private renderBusy(fraction?: number, message?: string): void {
    this.item.text = `$(sync~spin) Scaling Lens: ${message ?? 'fitting'}${fraction !== undefined ? ` ${Math.round(fraction * 100)}%` : ''}`;
    this.item.tooltip = 'A fit is running in the background worker';
    this.item.show();
  }

  private render(): void {
    const fit = this.fits.active;
    if (!fit) {
      this.item.hide();
      return;
    }
    const r = fit.result;
    const shown = ['E', 'alpha', 'beta', 'a', 'b', 'c0'].filter((k) => k in r.params).slice(0, 3);
    const numbers = shown
      .map((k) => `${k === 'alpha' ? 'α' : k === 'beta' ? 'β' : k}=${r.params[k].value.toPrecision(3)}`)
      .join(' ');
    this.item.text = `$(graph-line) ${r.law} ${numbers}`;
    const md = new vscode.MarkdownString(
      `**${r.law}** on ${r.nPoints} points from ${r.nRuns} runs, ${fit.created.toLocaleTimeString()}\n\n`,
    );
    md.appendMarkdown(`RMSE (log) ${r.metrics.rmseLog.toExponential(2)} · R² ${r.metrics.r2.toFixed(4)}`);
    if (r.holdout) md.appendMarkdown(` · backtest error ${(r.holdout.areMean * 100).toFixed(2)}%`);
    if (fit.warnings.length)
      md.appendMarkdown(`\n\n$(warning) ${fit.warnings.length} warning${fit.warnings.length === 1 ? '' : 's'}`);
    md.supportThemeIcons = true;
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
