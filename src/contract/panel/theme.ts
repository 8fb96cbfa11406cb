import type { JsonValue } from './data';

/**
 * Colours in host-built specs are theme tokens ("theme:blue"), not hex values: the host does not know the theme.
 * The webview replaces each token with the matching --vscode-* colour before rendering, and again on theme change.
 */
export const THEME_COLORS = [
  'foreground',
  'muted',
  'grid',
  'background',
  'blue',
  'red',
  'green',
  'yellow',
  'orange',
  'purple',
] as const;
export type ThemeColor = (typeof THEME_COLORS)[number];
export const THEME_TOKEN_PREFIX = 'theme:';
export function themeToken(c: ThemeColor): string {
  return THEME_TOKEN_PREFIX + c;
}

/** Replaces every theme token in a spec with a colour (returns a copy). Unknown tokens are left as they are. */
export function resolveThemeTokens(v: JsonValue, colors: Record<ThemeColor, string>): JsonValue {
  if (typeof v === 'string') {
    if (!v.startsWith(THEME_TOKEN_PREFIX)) return v;
    const name = v.slice(THEME_TOKEN_PREFIX.length);
    return (THEME_COLORS as readonly string[]).includes(name) ? colors[name as ThemeColor] : v;
  }
  if (Array.isArray(v)) return v.map((x) => resolveThemeTokens(x, colors));
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = resolveThemeTokens(x, colors);
    return out;
  }
  return v;
}

/** Vega-Lite's own default look, for specs that leave the panel (clipboard, files): readable on white. */
export const NEUTRAL_COLORS: Record<ThemeColor, string> = {
  foreground: '#333333',
  muted: '#888888',
  grid: '#dddddd',
  background: '#ffffff',
  blue: '#4c78a8',
  red: '#e45756',
  green: '#54a24b',
  yellow: '#eeca3b',
  orange: '#f58518',
  purple: '#b279a2',
};

/**
 * Axis labels of every panel plot: `.3~g` prints 3, 0.5, 2.5e+6 and 1e+9 (an explicit precision also stops d3's
 * log-axis formatter from printing 1000000); the label expression drops the "+" so decades read 1e9, 1e10. On a log
 * axis d3 blanks the labels of minor ticks it cannot fit, and the expression keeps those blank.
 */
export const AXIS_LABEL_FORMAT = '.3~g';
export const AXIS_LABEL_EXPR = "replace(datum.label, 'e+', 'e')";

/** Ticks at the powers of ten inside [lo, hi] when they span at least two decades (fewer would leave one label). */
export function decadeValues(lo: number, hi: number): number[] | undefined {
  if (!(lo > 0) || !(hi > lo)) return undefined;
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  if (b - a < 2 || b - a > 40) return undefined;
  return Array.from({ length: b - a + 1 }, (_, i) => Number(`1e${a + i}`));
}

/** Every theme colour as its token: the colours of a spec compiled before the page knows its theme. */
export const TOKEN_COLORS = Object.fromEntries(THEME_COLORS.map((c) => [c, themeToken(c)])) as Record<
  ThemeColor,
  string
>;

/**
 * The part of the panel's Vega-Lite config that does not depend on the page: colours (tokens on the host, values in
 * the webview) and layout. Fonts, font sizes and the run colours come from the page (`--vscode-*` variables) and
 * are added there, so a spec compiled on the host still takes the editor's font and palette.
 */
export function panelConfig(c: Record<ThemeColor, string>): { [key: string]: JsonValue } {
  const title: { [key: string]: JsonValue } = { color: c.foreground, subtitleColor: c.muted };
  // Titles start at the left edge, like the headings around the plots.
  title['anchor'] = 'start';
  return {
    background: c.background,
    padding: 8,
    title,
    axis: {
      labelColor: c.foreground,
      titleColor: c.foreground,
      domainColor: c.muted,
      tickColor: c.muted,
      gridColor: c.grid,
      labelPadding: 4,
    },
    legend: {
      labelColor: c.foreground,
      titleColor: c.foreground,
      symbolStrokeColor: c.foreground,
      labelLimit: 260,
      symbolLimit: 20,
    },
    view: { stroke: c.grid, strokeOpacity: 0.5 },
    mark: { color: c.blue },
    line: { color: c.foreground },
    area: { color: c.blue },
    point: { color: c.blue },
    rule: { color: c.muted },
    text: { color: c.foreground },
  };
}
