import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { POLL_INTERVAL_MS } from '../shared/useConnection';
import { insertNote, NoteAddedSubscription, NoteSelfQuery } from './notes';
import notesCss from './notes.css?inline';
import { addStyles } from '../ui/styles';

addStyles('notes', notesCss);

interface Mention {
  id: string;
  contactId: string;
  contactName: string;
  author: string;
  text: string;
}

/**
 * Live notes: each new note joins its conversation's timeline, and one that mentions the signed-in
 * agent (written by someone else) shows here until opened or dismissed, and is announced.
 */
export function MentionToasts({ onOpen, announce }: { onOpen: (contactId: string) => void; announce: (text: string) => void }) {
  const selfId = useQuery(NoteSelfQuery).data?.me.agent?.id ?? null;
  const self = useRef(selfId);
  self.current = selfId;
  const [mentions, setMentions] = useState<Mention[]>([]);
  const retry = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(retry.current), []);
  const live = useSubscription(NoteAddedSubscription, {
    // graphql-ws gives up on closes it deems fatal; try again as the other subscriptions do.
    onError: () => {
      clearTimeout(retry.current);
      retry.current = setTimeout(() => live.restart(), POLL_INTERVAL_MS);
    },
    onData: ({ client, data }) => {
      const n = data.data?.noteAdded;
      if (!n) return;
      insertNote(client.cache, n);
      const me = self.current;
      if (!me || !n.mentionedAgentIds.includes(me) || n.authorAgentId === me) return;
      setMentions((all) => [...all.filter((m) => m.id !== n.id), { id: n.id, contactId: n.contact.id, contactName: n.contact.name, author: n.authorName, text: n.text }].slice(-3));
      announce(`${n.authorName} mentioned you in a note on ${n.contact.name}: ${n.text}`);
    },
  });
  if (mentions.length === 0) return null;
  const dismiss = (id: string) => setMentions((all) => all.filter((m) => m.id !== id));
  return (
    <div className="iw-mentions" aria-label="Mentions">
      {mentions.map((m) => (
        <div key={m.id} className="iw-mention-toast" data-testid="mention">
          <button
            type="button"
            className="iw-mention-open"
            onClick={() => {
              dismiss(m.id);
              onOpen(m.contactId);
            }}
          >
            <strong>{m.author} mentioned you</strong> on {m.contactName}
            <span>{m.text}</span>
          </button>
          <button type="button" className="iw-icon-btn" aria-label="Dismiss mention" onClick={() => dismiss(m.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
