/**
 * Plot colours from the editor's theme. VS Code exposes every theme colour to webviews as a `--vscode-*` CSS
 * variable and marks the body `vscode-light`, `vscode-dark` or `vscode-high-contrast`. Specs from the host carry
 * colour tokens ("theme:blue"); this module resolves them and builds the Vega config (axes, legends, palette).
 */
import type { Config } from 'vega-lite';
import { resolveThemeTokens, THEME_COLORS, type JsonValue, type ThemeColor } from '../src/contract/panel';

export interface Palette {
  colors: Record<ThemeColor, string>;
  category: string[];
  font: string;
  fontSize: number;
  /** Tooltip and background colours for the HTML parts. */
  kind: 'light' | 'dark' | 'high-contrast';
}

/** Fallbacks (VS Code's Dark+ defaults), used when a variable is missing, e.g. in an older VS Code. */
const FALLBACK: Record<ThemeColor, string> = {
  foreground: '#cccccc',
  muted: '#9d9d9d',
  grid: '#cccccc',
  background: '#1e1e1e',
  blue: '#3794ff',
  red: '#f14c4c',
  green: '#89d185',
  yellow: '#cca700',
  orange: '#d18616',
  purple: '#b180d7',
};

const SOURCES: Record<ThemeColor, string[]> = {
  foreground: ['--vscode-editor-foreground', '--vscode-foreground'],
  muted: ['--vscode-descriptionForeground', '--vscode-disabledForeground'],
  grid: ['--vscode-charts-lines', '--vscode-editorWidget-border'],
  background: ['--vscode-editor-background', '--vscode-panel-background'],
  blue: ['--vscode-charts-blue'],
  red: ['--vscode-charts-red'],
  green: ['--vscode-charts-green'],
  yellow: ['--vscode-charts-yellow'],
  orange: ['--vscode-charts-orange'],
  purple: ['--vscode-charts-purple'],
};

/** After the six chart colours, runs take the terminal's ANSI colours (themes set them with care for contrast). */
const EXTRA_CATEGORY = [
  '--vscode-terminal-ansiCyan',
  '--vscode-terminal-ansiMagenta',
  '--vscode-terminal-ansiBrightBlue',
  '--vscode-terminal-ansiBrightGreen',
  '--vscode-terminal-ansiBrightRed',
  '--vscode-terminal-ansiBrightYellow',
  '--vscode-terminal-ansiBrightMagenta',
  '--vscode-terminal-ansiBrightCyan',
];

function cssVar(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim();
}

export function themeKind(): Palette['kind'] {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast') || c.contains('vscode-high-contrast-light')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const colors = { ...FALLBACK };
  for (const c of THEME_COLORS) {
    for (const name of SOURCES[c]) {
      const v = cssVar(style, name);
      if (v) {
        colors[c] = v;
        break;
      }
    }
  }
  const category = [colors.blue, colors.orange, colors.green, colors.red, colors.purple, colors.yellow];
  for (const name of EXTRA_CATEGORY) {
    const v = cssVar(style, name);
    if (v && !category.includes(v)) category.push(v);
  }
  const size = parseFloat(cssVar(style, '--vscode-font-size'));
  return {
    colors,
    category,
    font: cssVar(style, '--vscode-font-family') || 'system-ui, sans-serif',
    fontSize: Number.isFinite(size) && size > 0 ? size : 13,
    kind: themeKind(),
  };
}

/** Replaces every "theme:<colour>" string in a spec (a copy is returned; the host's spec stays untouched). */
export function resolveTokens(v: JsonValue, p: Palette): JsonValue {
  return resolveThemeTokens(v, p.colors);
}

export function vegaConfig(p: Palette): Config {
  const c = p.colors;
  const label = {
    labelColor: c.foreground,
    titleColor: c.foreground,
    labelFont: p.font,
    titleFont: p.font,
    labelFontSize: p.fontSize - 2,
    titleFontSize: p.fontSize - 1,
    titleFontWeight: 'normal' as const,
  };
  return {
    background: c.background,
    font: p.font,
    padding: 8,
    title: {
      color: c.foreground,
      subtitleColor: c.muted,
      font: p.font,
      subtitleFont: p.font,
      fontSize: p.fontSize + 1,
      subtitleFontSize: p.fontSize - 2,
      anchor: 'start',
    },
    axis: {
      ...label,
      domainColor: c.muted,
      tickColor: c.muted,
      gridColor: c.grid,
      gridOpacity: p.kind === 'light' ? 0.25 : 0.2,
      labelPadding: 4,
    },
    legend: { ...label, symbolStrokeColor: c.foreground, labelLimit: 260, symbolLimit: 20 },
    view: { stroke: c.grid, strokeOpacity: 0.5 },
    range: { category: p.category, ordinal: p.category, ramp: [c.blue, c.orange] },
    mark: { color: c.blue },
    line: { color: c.foreground },
    area: { color: c.blue },
    point: { color: c.blue },
    rule: { color: c.muted },
    text: { color: c.foreground },
  };
}

/**
 * Calls back when VS Code switches the theme. It swaps the body's class (light/dark) and theme-id attributes and
 * rewrites the CSS variables on <html>; two dark themes differ only in the variables, so both are watched, and the
 * callback fires only when the resolved palette really changed (one call per switch, however many mutations).
 */
export function onThemeChange(callback: (p: Palette) => void): MutationObserver {
  let last = JSON.stringify(readPalette());
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      const p = readPalette();
      const sig = JSON.stringify(p);
      if (sig === last) return;
      last = sig;
      callback(p);
    });
  });
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-id', 'data-vscode-theme-kind'],
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return observer;
}
