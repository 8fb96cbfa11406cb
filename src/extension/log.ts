import * as vscode from 'vscode';

/** The "Scaling Lens" output channel: what was read and fitted, and every problem, with times. */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Scaling Lens', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
