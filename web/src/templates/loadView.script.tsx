import { useEffect, useRef, type ComponentType } from 'react';
import type { ViewHandle } from './viewScript';
import type { TemplatesViewProps } from './TemplatesView';

declare global {
  interface Window {
    InboxTemplateEditor?: { mount(el: HTMLElement, props: TemplatesViewProps): ViewHandle };
  }
}

// Read while widget.js runs: template-editor.js sits beside it, wherever the host page loads it from.
const here = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : location.href;
let loading: Promise<unknown> | undefined;

/** The view mounted from template-editor.js into an element of the widget; new props are passed on. */
function ScriptView(props: TemplatesViewProps) {
  const el = useRef<HTMLDivElement>(null);
  const handle = useRef<ViewHandle>(null);
  useEffect(() => {
    handle.current = window.InboxTemplateEditor!.mount(el.current!, props);
    return () => handle.current?.unmount();
  }, []);
  useEffect(() => handle.current?.update(props));
  return <div ref={el} className="iw-tpl-host" />;
}

/** Loads template-editor.js once (a failed load is tried again next time). */
export function loadView(): Promise<{ default: ComponentType<TemplatesViewProps> }> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL('template-editor.js', here).href;
    script.onload = resolve;
    script.onerror = () => {
      loading = undefined;
      reject(new Error('the template editor could not be loaded'));
    };
    document.head.append(script);
  });
  return loading.then(() => ({ default: ScriptView }));
}
