import { getApolloContext } from '@apollo/client/react';
import { useContext, useEffect, useRef, useState } from 'react';
import { graphql } from '../gql';
import type { PresenceChangedSubscription as Frame } from '../gql/graphql';
import { POLL_INTERVAL_MS } from '../shared/useConnection';

export const PresenceChangedSubscription = graphql(`
  subscription PresenceChanged($contactId: ID!) {
    presenceChanged(contactId: $contactId) {
      contactId
      agents { agent { id name } typing }
    }
  }
`);

export const SetTypingMutation = graphql(`
  mutation SetTyping($contactId: ID!, $typing: Boolean!) {
    setTyping(contactId: $contactId, typing: $typing)
  }
`);

/** Another agent in the open conversation. */
export type PresentAgent = Frame['presenceChanged']['agents'][number];

/** How often the composer tells the others that this agent still types (the server shows it for 5 s). */
export const TYPING_SIGNAL_MS = 2_000;

// The header and the composer also render without an Apollo client (their unit tests): presence is
// then simply absent, so the client is taken from the context if there is one.
const useOptionalClient = () => useContext(getApolloContext()).client;

/**
 * The other agents with this conversation open, and whether each is typing. While it is mounted the
 * caller counts as viewing the conversation (the subscription is the viewing); it ends on unmount.
 */
export function usePresence(contactId: string): PresentAgent[] {
  const client = useOptionalClient();
  const [frame, setFrame] = useState<{ contactId: string; agents: PresentAgent[] }>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!client) return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const sub = client.subscribe({ query: PresenceChangedSubscription, variables: { contactId } }).subscribe({
      next: (r) => r.data && setFrame(r.data.presenceChanged),
      // Presence is a hint: after a failure it is simply asked for again a little later.
      error: () => (retry = setTimeout(() => setAttempt((n) => n + 1), POLL_INTERVAL_MS)),
    });
    return () => {
      clearTimeout(retry);
      sub.unsubscribe();
    };
  }, [client, contactId, attempt]);
  return frame?.contactId === contactId ? frame.agents : [];
}

/**
 * Tells the other agents that this one is replying: when the draft changes, at most every
 * TYPING_SIGNAL_MS, and a stop when it is emptied (sent or cleared) or the conversation is left.
 * A draft restored on opening a conversation is not typing.
 */
export function useTypingSignal(contactId: string, draft: string): void {
  const client = useOptionalClient();
  const last = useRef({ contactId, draft, sentAt: 0, typing: false });
  useEffect(() => {
    const l = last.current;
    const signal = (typing: boolean) => void client?.mutate({ mutation: SetTypingMutation, variables: { contactId, typing } }).catch(() => undefined);
    if (l.contactId !== contactId) {
      last.current = { contactId, draft, sentAt: 0, typing: false };
      return;
    }
    if (l.draft === draft) return;
    l.draft = draft;
    if (!draft.trim()) {
      if (l.typing) signal(false);
      l.typing = false;
      return;
    }
    const now = Date.now();
    if (now - l.sentAt < TYPING_SIGNAL_MS) return;
    Object.assign(l, { sentAt: now, typing: true });
    signal(true);
  }, [client, contactId, draft]);
  useEffect(
    () => () => {
      const l = last.current;
      if (!l.typing || l.contactId !== contactId) return;
      l.typing = false;
      void client?.mutate({ mutation: SetTypingMutation, variables: { contactId, typing: false } }).catch(() => undefined);
    },
    [client, contactId],
  );
}
