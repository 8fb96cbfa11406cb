/** Tiny DOM builder. Text goes in through textContent only: nothing from a log or a config is parsed as HTML. */
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

/** Custom elements (vscode-*) by tag name; typed as HTMLElement. */
export function ce(tag: string, attrs: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElement {
  return fill(document.createElement(tag), attrs, children);
}

/** Sets the attributes (`true`: present and empty, `false`: absent) and appends the children that are not empty. */
function fill<E extends HTMLElement>(el: E, attrs: Record<string, string | boolean>, children: Child[]): E {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}
