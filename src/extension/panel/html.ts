/**
 * The panel's HTML: a strict Content-Security-Policy with a per-load nonce, the stylesheet and the bundled script.
 * No vscode import (plain strings in, string out), so unit tests and the browser harness use this very function
 * and test the CSP the panel really ships.
 */
import { randomBytes } from 'node:crypto';
import { INITIAL_STATE_ID } from '../../contract/panel';

export interface PanelHtmlParts {
  /** `webview.cspSource`: the origin VS Code serves local resources from. */
  cspSource: string;
  /** `webview.asWebviewUri(...)` of dist/webview/main.js and media/panel.css. */
  scriptUri: string;
  styleUri: string;
  nonce: string;
  title?: string;
  /** Extra markup placed before the bundle, only for the test harness (its fake VS Code API); carries the nonce. */
  headExtra?: string;
  /**
   * The state the page draws as it loads, when the host has it built: a new page then draws without waiting a
   * round trip through VS Code for it (~0.1 s in code-server). A JSON data block: never executed, so the CSP has no
   * say over it, and the page validates it like any message.
   */
  initialState?: object;
}

/**
 * JSON that cannot end its <script> element or open a comment: every '<' is written as its JSON escape, as are the
 * two line separators JavaScript once treated as line ends.
 */
export function jsonForHtml(value: object): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function makeNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

/**
 * No 'unsafe-eval' (Vega runs with its expression interpreter) and no 'unsafe-inline': styles come from the
 * stylesheet; the web components' styles are constructable stylesheets, which the CSP does not govern.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function panelHtml(p: PanelHtmlParts): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(p.nonce)) throw new Error('panel nonce must be at least 16 base64 characters');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(p.styleUri)}" nonce="${p.nonce}">
<title>${escapeAttr(p.title ?? 'Scaling Lens')}</title>
${p.headExtra ?? ''}
<script defer src="${escapeAttr(p.scriptUri)}" nonce="${p.nonce}"></script>
</head>
<body>
${p.initialState ? `<script type="application/json" id="${INITIAL_STATE_ID}">${jsonForHtml(p.initialState)}</script>\n` : ''}</body>
</html>
`;
}
