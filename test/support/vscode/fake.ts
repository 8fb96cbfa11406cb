/**
 * A thin stand-in for the `vscode` module, enough for the host classes' unit tests (FitService, PanelBridge, the
 * panel controller, Config). It keeps what the code did (commands run, messages shown, context keys set, webview
 * messages posted) in `recorded`, and lets a test answer dialogs and settings through `fake`. `register.ts` makes
 * `import * as vscode from 'vscode'` resolve here; the production code is unchanged.
 */

type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly onDispose: () => unknown = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      for (const d of items) d.dispose();
    });
  }
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.fsPath, ...parts].join('/'));
  }
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export enum ViewColumn {
  Active = -1,
  One = 1,
}
export enum ProgressLocation {
  Notification = 15,
}
export enum ExtensionMode {
  Production = 1,
  Development = 2,
  Test = 3,
}
export enum StatusBarAlignment {
  Left = 1,
}

/** Everything the code under test did through the API, in order. */
export const recorded = {
  commands: [] as { id: string; args: unknown[] }[],
  context: new Map<string, unknown>(),
  messages: [] as { level: 'info' | 'warning' | 'error'; text: string }[],
  clipboard: '',
  posted: [] as unknown[],
  panels: 0,
};

/** Answers a test gives: the next save dialog's file, settings, the webview's delivery result. */
export const fake = {
  saveDialog: undefined as Uri | undefined,
  settings: new Map<string, unknown>(),
  configurationChanged: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  /** What the webview sends to the host: a test calls it as the panel's script would. */
  receive: undefined as ((m: unknown) => void) | undefined,
  reset(): void {
    recorded.commands = [];
    recorded.context.clear();
    recorded.messages = [];
    recorded.clipboard = '';
    recorded.posted = [];
    recorded.panels = 0;
    fake.saveDialog = undefined;
    fake.settings.clear();
    fake.receive = undefined;
    registry.clear();
  },
};

const registry = new Map<string, (...args: unknown[]) => unknown>();

export const commands = {
  registerCommand(id: string, run: (...args: unknown[]) => unknown): Disposable {
    if (registry.has(id)) throw new Error(`command ${id} already registered`);
    registry.set(id, run);
    return new Disposable(() => registry.delete(id));
  },
  executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    recorded.commands.push({ id, args });
    if (id === 'setContext') {
      recorded.context.set(args[0] as string, args[1]);
      return Promise.resolve(undefined);
    }
    const run = registry.get(id);
    if (!run) return Promise.reject(new Error(`command ${id} not found`));
    return Promise.resolve(run(...args));
  },
};

const message =
  (level: 'info' | 'warning' | 'error') =>
  (text: string): Promise<undefined> => {
    recorded.messages.push({ level, text });
    return Promise.resolve(undefined);
  };

interface FakeWebview {
  html: string;
  options: unknown;
  cspSource: string;
  asWebviewUri(u: Uri): Uri;
  postMessage(m: unknown): Promise<boolean>;
  onDidReceiveMessage(l: Listener<unknown>): Disposable;
}

function createWebviewPanel(): unknown {
  recorded.panels++;
  const received = new EventEmitter<unknown>();
  const disposed = new EventEmitter<undefined>();
  const viewState = new EventEmitter<unknown>();
  fake.receive = (m) => {
    received.fire(m);
  };
  const webview: FakeWebview = {
    html: '',
    options: {},
    cspSource: 'vscode-resource:',
    asWebviewUri: (u) => u,
    postMessage: (m) => {
      recorded.posted.push(m);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: received.event,
  };
  const panel = {
    webview,
    visible: true,
    iconPath: undefined as unknown,
    reveal: () => undefined,
    onDidDispose: disposed.event,
    onDidChangeViewState: viewState.event,
    dispose: () => {
      disposed.fire(undefined);
    },
  };
  return panel;
}

export const window = {
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  showSaveDialog: () => Promise.resolve(fake.saveDialog),
  showQuickPick: () => Promise.resolve(undefined),
  showInputBox: () => Promise.resolve(undefined),
  createWebviewPanel,
  registerWebviewPanelSerializer: () => new Disposable(),
  withProgress: <R>(
    _options: unknown,
    task: (progress: { report(v: unknown): void }, token: { onCancellationRequested(l: () => void): Disposable }) => R,
  ): R => task({ report: () => undefined }, { onCancellationRequested: () => new Disposable() }),
};

export const workspace = {
  workspaceFolders: undefined as { uri: Uri }[] | undefined,
  onDidChangeConfiguration: fake.configurationChanged.event,
  getConfiguration: (section: string) => ({
    get: <T>(key: string, fallback: T): T =>
      fake.settings.has(`${section}.${key}`) ? (fake.settings.get(`${section}.${key}`) as T) : fallback,
  }),
  asRelativePath: (u: Uri | string) => (typeof u === 'string' ? u : u.fsPath),
};

export const env = {
  clipboard: {
    writeText: (text: string): Promise<void> => {
      recorded.clipboard = text;
      return Promise.resolve();
    },
  },
};

/** workspaceState / globalState: a Map behind VS Code's Memento interface. */
export class FakeMemento {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}
