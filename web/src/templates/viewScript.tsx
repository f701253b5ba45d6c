import { createRoot } from 'react-dom/client';
import TemplatesView, { type TemplatesViewProps } from './TemplatesView';

/** What `template-editor.js` offers the widget: the view in a React root of its own. */
export interface ViewHandle {
  update(props: TemplatesViewProps): void;
  unmount(): void;
}

/**
 * Entry of `dist/template-editor.js` (global `InboxTemplateEditor`), built apart from widget.js so the
 * templates view and editor cost the widget nothing until an admin opens them. It carries its own
 * React: the widget hands it an element, data and plain callbacks, no React objects.
 */
export function mount(el: HTMLElement, props: TemplatesViewProps): ViewHandle {
  const root = createRoot(el);
  root.render(<TemplatesView {...props} />);
  return {
    update: (next) => root.render(<TemplatesView {...next} />),
    // Called from the widget's commit phase: unmounted right after it.
    unmount: () => void setTimeout(() => root.unmount(), 0),
  };
}
