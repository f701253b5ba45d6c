import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useMutation, useQuery } from '@apollo/client/react';
import { lazy, Suspense, useState } from 'react';
import type { EditedTemplate, TemplateSubmission } from './TemplateEditor';
import { loadEditor } from './loadEditor';
import { CreateTemplate, DeleteTemplate, ManagedTemplatesQuery, UpdateTemplate } from './templates';

// The editor's one entry point: loaded when an admin opens it (in the widget's build, its own script).
const TemplateEditor = lazy(loadEditor);

const reason = (err: unknown) => (CombinedGraphQLErrors.is(err) ? (err.errors[0]?.message ?? 'refused') : (err as Error).message);

/** Admins' templates: the list with Meta's review status, a new one, an edit, a delete. */
export function TemplatesPanel() {
  const { data } = useQuery(ManagedTemplatesQuery, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<EditedTemplate | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refetchQueries = [{ query: ManagedTemplatesQuery }];
  const [remove] = useMutation(DeleteTemplate, { refetchQueries });
  const [create] = useMutation(CreateTemplate, { refetchQueries });
  const [update] = useMutation(UpdateTemplate, { refetchQueries });
  if (editing) {
    const submit = ({ category, components, ...created }: TemplateSubmission) =>
      (editing === 'new'
        ? create({ variables: { input: { ...created, category, components } } })
        : update({ variables: { id: editing.id, input: { category, components } } })
      ).catch((err: unknown) => {
        throw new Error(reason(err));
      });
    return (
      <section className="iw-tpl-panel" aria-label="Template editor">
        <h3>{editing === 'new' ? 'New template' : `Edit ${editing.name} (${editing.language})`}</h3>
        <Suspense fallback={<p className="iw-muted">Loading the editor…</p>}>
          <TemplateEditor template={editing === 'new' ? undefined : editing} onSubmit={submit} onDone={() => setEditing(null)} />
        </Suspense>
      </section>
    );
  }
  const templates = data?.templates ?? [];
  return (
    <section className="iw-tpl-panel" aria-label="Templates">
      <div className="iw-canned-admin-head">
        <h3>Templates</h3>
        <button type="button" className="iw-chip-btn" onClick={() => setEditing('new')}>New template</button>
      </div>
      {error && <p className="iw-composer-error" role="alert">{error}</p>}
      <ul className="iw-canned-rows">
        {templates.map((t) => (
          <li key={t.id} className="iw-canned-row iw-tpl-row">
            <strong>{t.name}</strong>
            <span>{t.language} · {t.category ?? '—'}</span>
            <span className="iw-tpl-status" data-status={t.status} title={t.rejectedReason ?? undefined}>{t.status}</span>
            <button type="button" className="iw-chip-btn" aria-label={`Edit ${t.name} (${t.language})`} onClick={() => setEditing(t)}>Edit</button>
            <button
              type="button"
              className="iw-chip-btn"
              aria-label={`Delete ${t.name} (${t.language})`}
              onClick={() => {
                setError(null);
                remove({ variables: { id: t.id } }).catch((err) => setError(reason(err)));
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
