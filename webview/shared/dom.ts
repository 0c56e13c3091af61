/** A tiny element builder: h('p', { class: 'meta' }, 'text', child). Text is always set as text, never parsed as HTML. */
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string | boolean>, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Record<string, string | boolean>, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** A JSON value shown readably: objects as labelled fields, arrays as lists, scalars as text. */
export function renderJson(value: unknown, depth = 0): Node {
  if (value === null || typeof value !== 'object') {
    return h('span', { class: `json-${value === null ? 'null' : typeof value}` }, typeof value === 'string' ? value : JSON.stringify(value));
  }
  if (depth > 3) return h('code', {}, JSON.stringify(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', { class: 'json-empty' }, '(empty list)');
    return h('ol', { class: 'json-list' }, ...value.map((item) => h('li', {}, renderJson(item, depth + 1))));
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return h('span', { class: 'json-empty' }, '(nothing)');
  return h('dl', { class: 'json-fields' }, ...entries.flatMap(([key, item]) => [h('dt', {}, key), h('dd', {}, renderJson(item, depth + 1))]));
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}
