/**
 * The VS Code webview API, typed against the contract. `acquireVsCodeApi` may be called once per page; the
 * harness test provides a fake with the same shape.
 */
import type { ChartId, WebviewMessage } from '../src/contract/panel';

/** What the webview keeps across hide/show and window reloads (VS Code stores it with the panel). */
export interface UiState {
  tab: number;
  /** Zoomed scale domains per chart, with the axis types they were taken under. */
  zoom: Partial<Record<ChartId, SavedZoom>>;
}

export interface SavedZoom {
  axes: string;
  x?: number[];
  y?: number[];
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

function isUiState(v: unknown): v is UiState {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as UiState).tab === 'number' &&
    typeof (v as UiState).zoom === 'object' &&
    (v as UiState).zoom !== null
  );
}

export function loadUiState(): UiState {
  const s = api.getState();
  return isUiState(s) ? s : { tab: 0, zoom: {} };
}

export function saveUiState(s: UiState): void {
  api.setState(s);
}
