/**
 * Makes `require('vscode')` resolve to the fake (fake.ts) for the unit tests of the host classes. Import this
 * first in a test file: module loading is in import order, so every later `import * as vscode from 'vscode'`
 * gets the fake. The `vscode` module exists only inside VS Code; nothing in src/ changes for this.
 */
import Module from 'node:module';

const fakePath = require.resolve('./fake');
const hooked = Module as unknown as {
  _resolveFilename(request: string, ...rest: unknown[]): string;
};
const original = hooked._resolveFilename.bind(hooked);
hooked._resolveFilename = (request: string, ...rest: unknown[]): string =>
  request === 'vscode' ? fakePath : original(request, ...rest);
