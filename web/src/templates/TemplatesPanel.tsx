import { useApolloClient } from '@apollo/client/react';
import { lazy, Suspense } from 'react';
import { loadView } from './loadView';

// The view's one entry point: loaded when an admin opens it (in the widget's build, its own script).
const TemplatesView = lazy(loadView);

/** The admins' templates; the view and its editor come with their own script and use the widget's client. */
export function TemplatesPanel() {
  const client = useApolloClient();
  return (
    <Suspense fallback={null}>
      <TemplatesView client={client} />
    </Suspense>
  );
}
