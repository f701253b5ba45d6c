import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useMutation, useQuery } from '@apollo/client/react';
import { lazy, Suspense } from 'react';
import { loadView } from './loadView';
import { CreateTemplate, DeleteTemplate, ManagedTemplatesQuery, UpdateTemplate } from './templates';

// The view's one entry point: loaded when an admin opens it (in the widget's build, its own script).
const TemplatesView = lazy(loadView);

/** A refusal in the server's words (`components[1].text: at most 60 characters`), for the view to show. */
const said = (p: Promise<unknown>) =>
  p.catch((err: unknown) => {
    throw new Error(CombinedGraphQLErrors.is(err) ? (err.errors[0]?.message ?? 'refused') : (err as Error).message);
  });

/** The admins' templates: the list and the calls here, the view and editor in their own script. */
export function TemplatesPanel() {
  const { data } = useQuery(ManagedTemplatesQuery, { fetchPolicy: 'cache-and-network' });
  const refetchQueries = [{ query: ManagedTemplatesQuery }];
  const [remove] = useMutation(DeleteTemplate, { refetchQueries });
  const [create] = useMutation(CreateTemplate, { refetchQueries });
  const [update] = useMutation(UpdateTemplate, { refetchQueries });
  return (
    <Suspense fallback={<p className="iw-muted">Loading the templates…</p>}>
      <TemplatesView
        templates={data?.templates ?? []}
        create={(input) => said(create({ variables: { input } }))}
        update={(id, input) => said(update({ variables: { id, input } }))}
        remove={(id) => said(remove({ variables: { id } }))}
      />
    </Suspense>
  );
}
