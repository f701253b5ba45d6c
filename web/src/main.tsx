/**
 * The widget bundle (`widget.js`, an IIFE exposing `window.InboxWidget`). Either
 * `<script src="/widget.js" data-endpoint="/graphql" data-session-url="/inbox/session"></script>`
 * mounts it by itself (or with `data-token="…"`, a fixed API key), or the page calls
 * `InboxWidget.mount(element, { endpoint, getToken, theme })`.
 */
import { optionsFromScript } from './app/config';
import { mount } from './app/mount';

export { mount };
export type { WidgetOptions, Theme } from './app/config';

const script = typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;
if (script && ('token' in script.dataset || 'endpoint' in script.dataset || 'sessionUrl' in script.dataset)) {
  const start = () => mount(document.body, optionsFromScript(script));
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
