import { createRoot } from 'react-dom/client';
import TemplateEditor, { type TemplateEditorProps } from './TemplateEditor';

/** What `template-editor.js` offers the widget: the editor in a React root of its own. */
export interface EditorHandle {
  update(props: TemplateEditorProps): void;
  unmount(): void;
}

/**
 * Entry of `dist/template-editor.js` (global `InboxTemplateEditor`), built apart from widget.js so the
 * editor costs the widget nothing until an admin opens it. It carries its own React: the widget hands
 * it an element and plain callbacks, no React objects.
 */
export function mount(el: HTMLElement, props: TemplateEditorProps): EditorHandle {
  const root = createRoot(el);
  root.render(<TemplateEditor {...props} />);
  return {
    update: (next) => root.render(<TemplateEditor {...next} />),
    // Called from the widget's commit phase: unmounted right after it.
    unmount: () => void setTimeout(() => root.unmount(), 0),
  };
}
