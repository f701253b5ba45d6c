import { useEffect, useRef, type ComponentType } from 'react';
import type { EditorHandle } from './editorChunk';
import type { TemplateEditorProps } from './TemplateEditor';

declare global {
  interface Window {
    InboxTemplateEditor?: { mount(el: HTMLElement, props: TemplateEditorProps): EditorHandle };
  }
}

// Read while widget.js runs: template-editor.js sits beside it, wherever the host page loads it from.
const here = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : location.href;
let loading: Promise<unknown> | undefined;

/** The editor mounted from template-editor.js into an element of the widget. */
function ScriptEditor(props: TemplateEditorProps) {
  const el = useRef<HTMLDivElement>(null);
  const handle = useRef<EditorHandle>(null);
  useEffect(() => {
    handle.current = window.InboxTemplateEditor!.mount(el.current!, props);
    return () => handle.current?.unmount();
    // Mounted once; later props go through update below.
  }, []);
  useEffect(() => handle.current?.update(props));
  return <div ref={el} />;
}

/** Loads template-editor.js once (a failed load is tried again next time). */
export function loadEditor(): Promise<{ default: ComponentType<TemplateEditorProps> }> {
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
  return loading.then(() => ({ default: ScriptEditor }));
}
