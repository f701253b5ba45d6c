import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../gql';
import type { ContactHeader_ContactFragment as Contact, UpdateContactInput } from '../gql/graphql';
import { AlsoHere } from '../presence/Presence';
import { usePermissions } from '../shared/usePermissions';
import { AssigneePicker } from './AssigneePicker';
import { addStyles } from '../ui/styles';
import headerCss from './header.css?inline';

addStyles('contacts-header', headerCss);

export const ContactHeaderFragment = graphql(`
  fragment ContactHeader_contact on Contact {
    id
    name
    displayName
    profileName
    waId
    username
    isPinned
    isBlocked
    tags
    conversationClosed
    windowExpiresAt
    unreadCount
    assignee { id name }
  }
`);

export const UpdateContactMutation = graphql(`
  mutation UpdateContact($id: ID!, $input: UpdateContactInput!) {
    updateContact(id: $id, input: $input) {
      id
      ...ContactHeader_contact
      ...ContactRow_contact
    }
  }
`);

/** Name, number and window state of the open conversation, with the contact actions the caller may take. */
export function ContactHeader({ contact: c, onBack }: { contact: Contact; onBack: () => void }) {
  const may = usePermissions();
  const [update, { error }] = useMutation(UpdateContactMutation);
  const [editing, setEditing] = useState(false);
  const save = (input: UpdateContactInput) =>
    update({
      variables: { id: c.id, input },
    }).catch(() => undefined);
  const subtitle = [c.waId ? `+${c.waId}` : c.username ? `@${c.username}` : null, c.displayName && c.profileName ? `~${c.profileName}` : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <header className="iw-conv-header">
      <div className="iw-conv-title">
        <button type="button" className="iw-icon-btn iw-back" onClick={onBack} aria-label="Back to conversations">
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z" /></svg>
        </button>
        <div className="iw-conv-name">
          <h3>{c.name}</h3>
          {subtitle && <p className="iw-muted">{subtitle}</p>}
          <AlsoHere contactId={c.id} />
        </div>
        {may.send && (
          <div className="iw-conv-actions" role="toolbar" aria-label="Contact actions">
            <button type="button" className="iw-chip-btn" aria-pressed={c.isPinned} onClick={() => save({ isPinned: !c.isPinned })}>
              {c.isPinned ? 'Unpin' : 'Pin'}
            </button>
            <button type="button" className="iw-chip-btn" onClick={() => save({ conversationClosed: !c.conversationClosed })}>
              {c.conversationClosed ? 'Reopen' : 'Close'}
            </button>
            {/* Blocking a customer is an admin's decision (updateContact refuses it otherwise). */}
            {may.admin && (
              <button type="button" className="iw-chip-btn" aria-pressed={c.isBlocked} onClick={() => save({ isBlocked: !c.isBlocked })}>
                {c.isBlocked ? 'Unblock' : 'Block'}
              </button>
            )}
            <button type="button" className="iw-chip-btn" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
              Edit
            </button>
          </div>
        )}
      </div>
      <AssigneePicker contact={c} />
      {(c.tags.length > 0 || c.conversationClosed || c.isBlocked) && (
        <ul className="iw-tags" aria-label="Tags">
          {c.conversationClosed && <li className="iw-tag iw-tag--state">Closed</li>}
          {c.isBlocked && <li className="iw-tag iw-tag--danger">Blocked</li>}
          {c.tags.map((t) => <li key={t} className="iw-tag">{t}</li>)}
        </ul>
      )}
      {editing && may.send && <ContactEditor contact={c} onSave={(input) => save(input).then(() => setEditing(false))} />}
      {error && <p className="iw-composer-error" role="alert">{error.message}</p>}
    </header>
  );
}

function ContactEditor({ contact: c, onSave }: { contact: Contact; onSave: (input: UpdateContactInput) => void }) {
  const [name, setName] = useState(c.displayName ?? '');
  const [tags, setTags] = useState(c.tags.join(', '));
  return (
    <form
      className="iw-editor"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ displayName: name, tags: tags.split(',').map((t) => t.trim()).filter(Boolean) });
      }}
    >
      <label>
        Name
        <input className="iw-field" value={name} placeholder={c.profileName ?? ''} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Tags (comma separated)
        <input className="iw-field" value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <button type="submit" className="iw-primary-btn">Save</button>
    </form>
  );
}
