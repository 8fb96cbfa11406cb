/**
 * The one typed contract between the Scaling panel's host (src/extension/panel) and its webview (webview/):
 * the view model (data), theme tokens (theme), the messages (messages) and their validators. Plain data and
 * validators only, no imports from outside this folder: both bundles compile it.
 */
export * from './data';
export * from './planData';
export * from './theme';
export * from './messages';
export { isChartId, type Parsed } from './validate';
export { applyOptionsPatch, parseWebviewMessage } from './parseWebview';
export { parseHostMessage } from './parseHost';
export { applyPanelDelta } from './applyDelta';
