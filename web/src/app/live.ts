import type { ApolloCache } from '@apollo/client';
import { useApolloClient, useSubscription } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { insertIntoTabs, useCountsRefresh } from '../contacts/assignment';
import { CONTACTS_PAGE, ContactsQuery } from '../contacts/ContactList';
import { graphql } from '../gql';
import type { ContactRow_ContactFragment } from '../gql/graphql';
import { insertMessage } from '../messages/insertMessage';
import { POLL_INTERVAL_MS } from '../shared/useConnection';
import { usePermissions } from '../shared/usePermissions';
import { useAnnounce } from './Announcer';

export const MessageAddedSubscription = graphql(`
  subscription MessageAdded {
    messageAdded {
      id
      ...MessageBubble_message
      contact { id name }
    }
  }
`);

export const MessageStatusChangedSubscription = graphql(`
  subscription MessageStatusChanged {
    messageStatusChanged {
      id
      ...MessageBubble_message
    }
  }
`);

export const ContactUpdatedSubscription = graphql(`
  subscription ContactUpdated {
    contactUpdated {
      id
      ...ContactRow_contact
      ...ContactHeader_contact
    }
  }
`);

export const UnreadTotalQuery = graphql(`
  query UnreadTotal {
    stats { unreadTotal }
  }
`);

/** Adds a contact the unfiltered list doesn't know yet (a new customer); known ones update in place. */
export function insertContact(cache: ApolloCache, contact: ContactRow_ContactFragment): void {
  cache.updateQuery({ query: ContactsQuery, variables: { first: CONTACTS_PAGE } }, (data) => {
    if (!data || data.contacts.edges.some((e) => e.node.id === contact.id)) return undefined;
    return {
      contacts: {
        ...data.contacts,
        totalCount: data.contacts.totalCount + 1,
        edges: [{ __typename: 'ContactEdge' as const, cursor: '', node: contact }, ...data.contacts.edges],
      },
    };
  });
}

/**
 * The three subscriptions, applied to the cache: new messages join their conversation, status and
 * contact changes update the normalized objects in place; new inbound messages are announced.
 */
export function useLiveUpdates(): void {
  const client = useApolloClient();
  const announce = useAnnounce();
  const { agentId } = usePermissions();
  const refreshCounts = useCountsRefresh();
  const unreadTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const refreshUnread = () => {
    clearTimeout(unreadTimer.current);
    unreadTimer.current = setTimeout(() => void client.refetchQueries({ include: [UnreadTotalQuery] }), 300);
  };
  // graphql-ws gives up on closes it deems fatal (e.g. 1011 from a proxy); polling covers the gap
  // and the subscriptions try again.
  const retryTimers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const retrySoon = (restart: () => void) => {
    const t = setTimeout(() => {
      retryTimers.current.delete(t);
      restart();
    }, POLL_INTERVAL_MS);
    retryTimers.current.add(t);
  };
  useEffect(
    () => () => {
      clearTimeout(unreadTimer.current);
      for (const t of retryTimers.current) clearTimeout(t);
    },
    [],
  );

  const added = useSubscription(MessageAddedSubscription, {
    onError: () => retrySoon(added.restart),
    onData: ({ client: c, data }) => {
      const m = data.data?.messageAdded;
      if (!m) return;
      insertMessage(c.cache, m, m.contact.id);
      if (m.direction === 'INBOUND' && m.type !== 'REACTION' && m.type !== 'SYSTEM') {
        announce(`New message from ${m.contact.name}: ${m.text ?? m.type.toLowerCase()}`);
      }
    },
  });
  const changed = useSubscription(MessageStatusChangedSubscription, { onError: () => retrySoon(changed.restart) });
  const contacts = useSubscription(ContactUpdatedSubscription, {
    onError: () => retrySoon(contacts.restart),
    onData: ({ client: c, data }) => {
      const contact = data.data?.contactUpdated;
      if (contact) {
        insertContact(c.cache, contact);
        insertIntoTabs(c.cache, contact, agentId);
      }
      refreshCounts();
      refreshUnread();
    },
  });
}
