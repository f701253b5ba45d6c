import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import { CannedRepliesQuery } from './canned';
import cannedCss from './canned.css?inline';
import { addStyles } from '../ui/styles';

addStyles('canned', cannedCss);

const CreateCannedReply = graphql(`
  mutation CreateCannedReply($input: CreateCannedReplyInput!) {
    createCannedReply(input: $input) { id shortcut text }
  }
`);
export const UpdateCannedReply = graphql(`
  mutation UpdateCannedReply($id: ID!, $input: UpdateCannedReplyInput!) {
    updateCannedReply(id: $id, input: $input) { id shortcut text }
  }
`);
export const DeleteCannedReply = graphql(`
  mutation DeleteCannedReply($id: ID!) {
    deleteCannedReply(id: $id) { id }
  }
`);

const reason = (err: unknown) => (CombinedGraphQLErrors.is(err) ? (err.errors[0]?.message ?? 'refused') : (err as Error).message);

/** One reply's form: a new one (no `id`) or an edit. */
function CannedForm({ id, shortcut = '', text = '', onDone }: { id?: string; shortcut?: string; text?: string; onDone: () => void }) {
  const [values, setValues] = useState({ shortcut, text });
  const [error, setError] = useState<string | null>(null);
  const refetchQueries = [{ query: CannedRepliesQuery }];
  const [create, c] = useMutation(CreateCannedReply, { refetchQueries });
  const [update, u] = useMutation(UpdateCannedReply);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    (id ? update({ variables: { id, input: values } }) : create({ variables: { input: values } })).then(
      () => {
        if (!id) setValues({ shortcut: '', text: '' });
        onDone();
      },
      (err) => setError(reason(err)),
    );
  };
  return (
    <form className="iw-canned-form" onSubmit={submit} aria-label={id ? `Edit /${shortcut}` : 'New canned reply'}>
      <input aria-label="Shortcut" placeholder="shortcut" value={values.shortcut} onChange={(e) => setValues({ ...values, shortcut: e.target.value })} />
      <textarea aria-label="Reply text" placeholder="Hello {{contact.name}}, …" rows={3} value={values.text} onChange={(e) => setValues({ ...values, text: e.target.value })} />
      {error && <p className="iw-composer-error" role="alert">{error}</p>}
      <div className="iw-canned-actions">
        <button type="submit" className="iw-chip-btn" disabled={c.loading || u.loading}>{id ? 'Save' : 'Add'}</button>
        {id && <button type="button" className="iw-chip-btn" onClick={onDone}>Cancel</button>}
      </div>
    </form>
  );
}

/**
 * Admins' panel for canned replies: list, add, edit, delete. Opened from the header (CannedAdmin.tsx),
 * which loads this file on the first opening.
 */
export function CannedPanel({ onClose }: { onClose: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { data } = useQuery(CannedRepliesQuery, { fetchPolicy: 'cache-and-network' });
  const [remove] = useMutation(DeleteCannedReply, { refetchQueries: [{ query: CannedRepliesQuery }] });
  return (
    <div className="iw-canned-admin" role="dialog" aria-label="Canned replies" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <div className="iw-canned-admin-head">
        <h3>Canned replies</h3>
        <button type="button" className="iw-icon-btn" aria-label="Close canned replies" onClick={onClose}>×</button>
      </div>
      <p className="iw-canned-help">Agents type / and the shortcut in the composer. {'{{contact.name}}'} and {'{{agent.name}}'} are filled in.</p>
      {error && <p className="iw-composer-error" role="alert">{error}</p>}
      <ul className="iw-canned-rows">
        {(data?.cannedReplies ?? []).map((c) =>
          editing === c.id ? (
            <li key={c.id}><CannedForm id={c.id} shortcut={c.shortcut} text={c.text} onDone={() => setEditing(null)} /></li>
          ) : (
            <li key={c.id} className="iw-canned-row">
              <strong>/{c.shortcut}</strong>
              <span>{c.text}</span>
              <button type="button" className="iw-chip-btn" onClick={() => setEditing(c.id)} aria-label={`Edit /${c.shortcut}`}>Edit</button>
              <button
                type="button"
                className="iw-chip-btn"
                aria-label={`Delete /${c.shortcut}`}
                onClick={() => {
                  setError(null);
                  remove({ variables: { id: c.id } }).catch((err) => setError(reason(err)));
                }}
              >
                Delete
              </button>
            </li>
          ),
        )}
      </ul>
      <CannedForm onDone={() => undefined} />
    </div>
  );
}
