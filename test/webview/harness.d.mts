// Types for harness.mjs (plain ESM so the browser test runs with node alone), used by bench/panel.bench.ts.
import type { Browser, Page } from 'playwright-core';

export const ROOT: string;
export const CHROMIUM: string;
export const INSTALL_HELP: string;
export function startHarness(html: {
  panelHtml: (p: never) => string;
  makeNonce: () => string;
}): Promise<{ base: string; url: (theme?: 'dark' | 'light') => string; close: () => void }>;
export function launchChromium(): Promise<Browser>;
export function timeRender(page: Page, chart: string, state: unknown): Promise<number>;
