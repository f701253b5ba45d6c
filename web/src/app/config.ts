/** How a page configures the widget: `InboxWidget.mount(el, options)` or the script tag's data attributes. */
export interface WidgetOptions {
  /** GraphQL over HTTP, absolute or relative to the page (default `/graphql`); websockets use the same path. */
  endpoint?: string;
  /** Bearer token for the API. */
  token?: string;
  /** `auto` follows the system; `light`/`dark` force a theme. */
  theme?: Theme;
  /** Start expanded instead of as the launcher button. */
  open?: boolean;
  /** Update `document.title` with the unread total (default true). */
  title?: boolean;
}

export type Theme = 'auto' | 'light' | 'dark';

export interface ResolvedOptions {
  httpUrl: string;
  wsUrl: string;
  token: string;
  theme: Theme;
  open: boolean;
  title: boolean;
}

export function resolveOptions(o: WidgetOptions, base = globalThis.location?.href ?? 'http://localhost/'): ResolvedOptions {
  const http = new URL(o.endpoint || '/graphql', base);
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  const theme = o.theme === 'light' || o.theme === 'dark' ? o.theme : 'auto';
  return { httpUrl: http.href, wsUrl: ws.href, token: o.token ?? '', theme, open: !!o.open, title: o.title !== false };
}

/** Options from `<script src="widget.js" data-endpoint data-token data-theme data-open>`. */
export function optionsFromScript(script: HTMLScriptElement): WidgetOptions {
  const d = script.dataset;
  return { endpoint: d.endpoint, token: d.token, theme: d.theme as Theme | undefined, open: d.open === 'true' || d.open === '', title: d.title !== 'false' };
}
