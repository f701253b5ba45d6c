import { useState } from 'react';
import viewCss from './view.css?inline';
import TemplateEditor, { type EditedTemplate, type TemplateSubmission } from './TemplateEditor';

/** A template as the list shows it. */
export interface ListedTemplate extends EditedTemplate {
  status: string;
  rejectedReason?: string | null;
}

/**
 * What the widget hands the view: the list and plain calls that reject with the server's words. The
 * view carries no GraphQL (the widget's panel does), so it can live in template-editor.js.
 */
export interface TemplatesViewProps {
  templates: readonly ListedTemplate[];
  create(t: TemplateSubmission): Promise<unknown>;
  update(id: string, change: Pick<TemplateSubmission, 'category' | 'components'>): Promise<unknown>;
  remove(id: string): Promise<unknown>;
}

/** Admins' templates: the list with Meta's review status, a new one, an edit, a delete. */
export default function TemplatesView({ templates, create, update, remove }: TemplatesViewProps) {
  const [editing, setEditing] = useState<EditedTemplate | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (editing) {
    return (
      <section className="iw-tpl-panel" aria-label="Template editor">
        <style>{viewCss}</style>
        <h3>{editing === 'new' ? 'New template' : `Edit ${editing.name} (${editing.language})`}</h3>
        <TemplateEditor
          template={editing === 'new' ? undefined : editing}
          onSubmit={(t) => (editing === 'new' ? create(t) : update(editing.id, { category: t.category, components: t.components }))}
          onDone={() => setEditing(null)}
        />
      </section>
    );
  }
  return (
    <section className="iw-tpl-panel" aria-label="Templates">
      <style>{viewCss}</style>
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
                remove(t.id).catch((err: Error) => setError(err.message));
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
