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
