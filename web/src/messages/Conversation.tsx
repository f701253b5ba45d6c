import { useMutation, useQuery } from '@apollo/client/react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AssignPrompt } from '../contacts/AssigneePicker';
import { ContactHeader } from '../contacts/ContactHeader';
import { graphql } from '../gql';
import type { MessageBubble_MessageFragment as Msg } from '../gql/graphql';
import { NOTES_PAGE, NoteSelfQuery, NotesQuery } from '../notes/notes';
import { useAddNote } from '../notes/useAddNote';
import { usePollInterval } from '../shared/useConnection';
import { usePermissions } from '../shared/usePermissions';
import { Loading } from '../ui/Loading';
import { Composer } from './Composer';
import { snippet } from './MessageBubble';
import { MESSAGES_PAGE, MessagesQuery } from './insertMessage';
import { MessageList } from './MessageList';
import type { Offer } from './offers/offer';
import { OfferMenu } from './offers/OfferMenu';
import { useSend } from './useSend';
import messagesCss from './messages.css?inline';
import { addStyles } from '../ui/styles';

addStyles('messages', messagesCss);

// Needed only once a conversation's 24-hour window has closed: its code loads then.
const TemplatePicker = lazy(() => import('./TemplatePicker').then((m) => ({ default: m.TemplatePicker })));

export const ConversationQuery = graphql(`
  query Conversation($contactId: ID!) {
    contact(id: $contactId) {
      id
      ...ContactHeader_contact
    }
  }
`);

export const MarkContactReadMutation = graphql(`
  mutation MarkContactRead($id: ID!) {
    markContactRead(id: $id) { id unreadCount }
  }
`);

/** Newest first by (timestamp, id); unsaved optimistic messages are newest. */
export function byNewest(a: Msg, b: Msg): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? 1 : -1;
  const na = /^\d+$/.test(a.id) ? BigInt(a.id) : -1n;
  const nb = /^\d+$/.test(b.id) ? BigInt(b.id) : -1n;
  if (na === -1n || nb === -1n) return na === nb ? 0 : na === -1n ? -1 : 1;
  return na < nb ? 1 : na > nb ? -1 : 0;
}

/** Whether free text can go out now, or why not. */
export function composerBlock(c: { isBlocked: boolean; windowExpiresAt?: string | null }, now = Date.now()): string | null {
  if (c.isBlocked) return 'This contact is blocked. Unblock them to send messages.';
  if (!c.windowExpiresAt || Date.parse(c.windowExpiresAt) <= now) {
    return 'The 24-hour customer service window is closed, so free text can’t be sent. You can send an approved message template instead; free text is possible again when the customer writes.';
  }
  return null;
}

/** The open conversation: header with actions, windowed history, composer. Marks it read while shown. */
export function Conversation({ contactId, visible, onBack }: { contactId: string; visible: boolean; onBack: () => void }) {
  const pollInterval = usePollInterval();
  const may = usePermissions();
  const contactQ = useQuery(ConversationQuery, { variables: { contactId }, fetchPolicy: 'cache-and-network', pollInterval });
  const messagesQ = useQuery(MessagesQuery, {
    variables: { contactId, first: MESSAGES_PAGE },
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
    pollInterval,
  });
  const notesQ = useQuery(NotesQuery, { variables: { contactId, first: NOTES_PAGE }, fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first', pollInterval });
  const self = useQuery(NoteSelfQuery).data;
  const addNote = useAddNote(contactId);
  const [markRead] = useMutation(MarkContactReadMutation);
  const contact = contactQ.data?.contact;
  const unread = contact?.unreadCount ?? 0;
  useEffect(() => {
    if (may.send && visible && unread > 0) void markRead({ variables: { id: contactId } }).catch(() => undefined);
  }, [may.send, visible, unread, contactId, markRead]);

  const [now, setNow] = useState(() => Date.now());
  const expires = contact?.windowExpiresAt ? Date.parse(contact.windowExpiresAt) : 0;
  useEffect(() => {
    const ms = expires - Date.now();
    if (ms <= 0 || ms > 2 ** 31 - 1) return;
    const t = setTimeout(() => setNow(Date.now()), ms + 50);
    return () => clearTimeout(t);
  }, [expires]);

  const conn = messagesQ.data?.messages;
  const messages = useMemo(() => (conn ? conn.edges.map((e) => e.node).sort(byNewest) : []), [conn]);
  const notesConn = notesQ.data?.notes;
  const notes = useMemo(() => notesConn?.edges.map((e) => e.node) ?? [], [notesConn]);
  const agentNames = useMemo(() => self?.agents.map((a) => a.name) ?? [], [self]);
  const { fetchMore } = messagesQ;
  const endCursor = conn?.pageInfo.endCursor;
  // An older page is loading until the list shows it (its cursor then moves on), not until the fetch
  // settles: the list decides whether to load the next page only with that page laid out.
  const [loadingAfter, setLoadingAfter] = useState<string | null>(null);
  const loadingMore = !!endCursor && loadingAfter === endCursor;
  const loadMore = useCallback(() => {
    if (loadingMore || !endCursor) return;
    setLoadingAfter(endCursor);
    void fetchMore({ variables: { after: endCursor } }).catch(() => setLoadingAfter(null));
  }, [fetchMore, endCursor, loadingMore]);

  // Opening a conversation puts the cursor in the composer (the list may be hidden on a phone).
  const root = useRef<HTMLDivElement>(null);
  const loaded = !!contact;
  useEffect(() => {
    if (loaded) root.current?.querySelector<HTMLElement>('.iw-input:not(:disabled), .iw-messages')?.focus({ preventScroll: true });
  }, [loaded]);

  const send = useSend(contactId);
  const retry = useCallback((m: Msg) => void send(m.text ?? '').catch(() => undefined), [send]);
  const [replyTo, setReplyTo] = useState<Msg | null>(null);
  // An agent who answers an unassigned conversation is offered it (AssignPrompt).
  const [replied, setReplied] = useState(false);
  const sendText = useCallback(
    async (text: string) => {
      const quoted = replyTo;
      setReplyTo(null);
      await send(text, quoted).catch((err: Error) => {
        setReplyTo(quoted);
        throw err;
      });
      setReplied(true);
    },
    [send, replyTo],
  );
  const sendOffer = useCallback((offer: Offer) => send(offer).then(() => setReplied(true)), [send]);

  if (!contact) {
    return (
      <div className="iw-conversation iw-center" aria-busy={contactQ.loading}>
        {contactQ.loading ? 'Loading…' : contactQ.error ? `Could not load the contact: ${contactQ.error.message}` : 'Contact not found.'}
      </div>
    );
  }
  const block = composerBlock(contact, now);
  return (
    <div className="iw-conversation" ref={root}>
      <ContactHeader contact={contact} onBack={onBack} />
      {messagesQ.error && !conn ? (
        <p className="iw-center" role="alert">Could not load messages: {messagesQ.error.message}</p>
      ) : (
        <MessageList
          key={contactId}
          messages={messages}
          contactName={contact.name}
          hasMore={!!conn?.pageInfo.hasNextPage}
          loadingMore={loadingMore}
          onLoadMore={loadMore}
          onRetry={may.send ? retry : undefined}
          onReply={may.send ? setReplyTo : undefined}
          notes={notes}
          agentNames={agentNames}
          selfId={self?.me.agent?.id}
        />
      )}
      {!may.send ? (
        may.known && (
          <div className="iw-composer">
            <p className="iw-composer-note">Read only: you can read conversations but not reply to them.</p>
          </div>
        )
      ) : block != null && !contact.isBlocked ? (
        // Closed window: only templates may go out, so they replace the free-text box.
        <div className="iw-composer">
          <p className="iw-composer-note">{block}</p>
          <Suspense fallback={<Loading />}>
            <TemplatePicker key={contactId} contactId={contactId} />
          </Suspense>
          <Composer
            contactId={contactId}
            disabledReason={null}
            onSend={addNote}
            onNote={addNote}
            mentionNames={agentNames}
            noteOnly
            attach={<OfferMenu key={contactId} blocked="Outside the 24-hour window only an approved template can be sent (above)." onSend={sendOffer} />}
          />
        </div>
      ) : (
        <>
          {replied && !contact.assignee && may.agentId && <AssignPrompt contactId={contactId} onDismiss={() => setReplied(false)} />}
          <Composer
            contactId={contactId}
            disabledReason={block}
            onSend={sendText}
            replyTo={replyTo && { author: replyTo.direction === 'OUTBOUND' ? 'yourself' : contact.name, text: snippet(replyTo) }}
            onCancelReply={() => setReplyTo(null)}
            onNote={addNote}
            mentionNames={agentNames}
            fillValues={{ 'contact.name': contact.name, 'agent.name': self?.me.agent?.name ?? self?.me.name }}
            attach={<OfferMenu key={contactId} blocked={block} onSend={sendOffer} />}
          />
        </>
      )}
    </div>
  );
}
