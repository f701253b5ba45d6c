import type { ApolloClient } from '@apollo/client';
import { createRoot } from 'react-dom/client';
import TemplatesView from './TemplatesView';

/**
 * Entry of `dist/template-editor.js` (global `InboxTemplateEditor`), built apart from widget.js so the
 * templates view and editor cost the widget nothing until an admin opens them. It carries its own
 * React: the widget hands it an element and its Apollo client. Answers the unmount.
 */
export function mount(el: HTMLElement, client: ApolloClient): () => void {
  const root = createRoot(el);
  root.render(<TemplatesView client={client} />);
  // Called from the widget's commit phase: unmounted right after it.
  return () => void setTimeout(() => root.unmount(), 0);
}
