import type { ApolloClient } from '@apollo/client';
import { useEffect, useRef } from 'react';

declare global {
  interface Window {
    InboxTemplateEditor?: { mount(el: HTMLElement, client: ApolloClient): () => void };
  }
}

// Read while widget.js runs: template-editor.js sits beside it, wherever the host page loads it from.
const here = (document.currentScript as HTMLScriptElement | null)?.src || location.href;
let loading: Promise<unknown> | undefined;

/** The view of template-editor.js, mounted into an element of the widget that fills the panel as the inbox does. */
function ScriptView({ client }: { client: ApolloClient }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => window.InboxTemplateEditor!.mount(el.current!, client), [client]);
  return <div ref={el} className="iw-body" />;
}

/** Loads template-editor.js once (a failed load is tried again next time). */
export function loadView() {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL('template-editor.js', here).href;
    script.onload = resolve;
    script.onerror = () => {
      loading = undefined;
      reject(new Error('the templates could not be loaded'));
    };
    document.head.append(script);
  });
  return loading.then(() => ({ default: ScriptView }));
}
