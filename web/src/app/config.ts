import { fetchSession, renewingToken, staticToken, type TokenSource } from './session';

/** How a page configures the widget: `InboxWidget.mount(el, options)` or the script tag's data attributes. */
export interface WidgetOptions {
  /** GraphQL over HTTP, absolute or relative to the page (default `/graphql`); websockets use the same path. */
  endpoint?: string;
  /**
   * A session token for the signed-in agent, from the host dashboard's backend (which calls
   * `createAgentSession`). Called at start, before each session expires, and when the server
   * refuses one. Takes precedence over `sessionUrl` and `token`.
   */
  getToken?: () => Promise<string>;
  /** A URL on the host dashboard's backend answering `{ "token": "…" }`, fetched with the page's cookies. */
  sessionUrl?: string;
  /** A fixed bearer token (an API key); it is never renewed. */
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
  theme: Theme;
  open: boolean;
  title: boolean;
}

export function resolveOptions(o: WidgetOptions, base = globalThis.location?.href ?? 'http://localhost/'): ResolvedOptions {
  const http = new URL(o.endpoint || '/graphql', base);
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  const theme = o.theme === 'light' || o.theme === 'dark' ? o.theme : 'auto';
  return { httpUrl: http.href, wsUrl: ws.href, theme, open: !!o.open, title: o.title !== false };
}

/** The token source the options ask for: `getToken`, else `sessionUrl` (relative to the page), else the fixed `token`. */
export function tokenSource(o: WidgetOptions, base = globalThis.location?.href ?? 'http://localhost/'): TokenSource {
  if (o.getToken) return renewingToken(o.getToken);
  if (o.sessionUrl) return renewingToken(fetchSession(new URL(o.sessionUrl, base).href));
  return staticToken(o.token ?? '');
}

/** Options from `<script src="widget.js" data-endpoint data-session-url data-token data-theme data-open>`. */
export function optionsFromScript(script: HTMLScriptElement): WidgetOptions {
  const d = script.dataset;
  return { endpoint: d.endpoint, sessionUrl: d.sessionUrl, token: d.token, theme: d.theme as Theme | undefined, open: d.open === 'true' || d.open === '', title: d.title !== 'false' };
}
