import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import TemplateEditor, { type EditedTemplate, type TemplateSubmission } from './TemplateEditor';
import { CreateTemplate, DeleteTemplate, ManagedTemplatesQuery, UpdateTemplate } from './templates';
import { addStyles } from '../ui/styles';
import viewCss from './view.css?inline';

addStyles('templates', viewCss);

/** A template as the list shows it. */
interface ListedTemplate extends EditedTemplate {
  status: string;
  rejectedReason?: string | null;
}

/** A refusal in the server's words (`components[1].text: at most 60 characters`). */
const reason = (err: unknown) => (CombinedGraphQLErrors.is(err) ? (err.errors[0]?.message ?? 'refused') : (err as Error).message);

/**
 * Admins' templates: the list with Meta's review status, a new one, an edit, a delete. A chunk of its
 * own (Widget.tsx imports it lazily), loaded when an admin opens it. The list is read when it opens
 * and after each change (Meta's review arrives by webhook, not live here).
 */
export default function TemplatesView() {
  const client = useApolloClient();
  const [templates, setTemplates] = useState<readonly ListedTemplate[]>([]);
  const [editing, setEditing] = useState<EditedTemplate | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    client.query({ query: ManagedTemplatesQuery, fetchPolicy: 'network-only' }).then((r) => setTemplates(r.data?.templates ?? []), (err) => setError(reason(err)));
  useEffect(() => void load(), []);
  /** A change, then the list read again; a refusal rejects with the server's words. */
  const change = (done: Promise<unknown>) =>
    done.then(load, (err: unknown) => {
      throw new Error(reason(err));
    });
  const submit = ({ category, components, ...created }: TemplateSubmission) =>
    change(editing === 'new' || !editing
      ? client.mutate({ mutation: CreateTemplate, variables: { input: { ...created, category, components } } })
      : client.mutate({ mutation: UpdateTemplate, variables: { id: editing.id, input: { category, components } } }));
  if (editing) {
    return (
      <section className="iw-tpl-panel" aria-label="Template editor">
        <h3>{editing === 'new' ? 'New template' : `Edit ${editing.name} (${editing.language})`}</h3>
        <TemplateEditor template={editing === 'new' ? undefined : editing} onSubmit={submit} onDone={() => setEditing(null)} />
      </section>
    );
  }
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
            <span title={t.rejectedReason ?? undefined}>{t.status}</span>
            <button type="button" className="iw-chip-btn" aria-label={`Edit ${t.name} (${t.language})`} onClick={() => setEditing(t)}>Edit</button>
            <button
              type="button"
              className="iw-chip-btn"
              aria-label={`Delete ${t.name} (${t.language})`}
              onClick={() => {
                setError(null);
                change(client.mutate({ mutation: DeleteTemplate, variables: { id: t.id } })).catch((err: Error) => setError(err.message));
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
