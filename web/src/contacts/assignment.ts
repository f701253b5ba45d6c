import type { ApolloCache } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useCallback, useEffect, useRef } from 'react';
import { graphql } from '../gql';
import type { ContactRow_ContactFragment } from '../gql/graphql';
import { CONTACTS_PAGE, ContactsQuery, inTab } from './ContactList';

export const ContactCountsQuery = graphql(`
  query ContactCounts {
    contactCounts { mine unassigned all }
  }
`);

/** The tabs whose first page a live update may have to add a contact to (All is live.ts's insertContact). */
const TABS = ['ME', 'NONE'] as const;

/**
 * Adds a contact to the cached first page of the Mine or Unassigned tab when it now belongs there and
 * the page lacks it (a conversation just taken, given up or new); one that left a tab is filtered out
 * where the list is drawn (ContactList's `matches`).
 */
export function insertIntoTabs(cache: ApolloCache, contact: ContactRow_ContactFragment, me: string | null): void {
  for (const assignee of TABS) {
    if (!inTab(contact, { assignee, me })) continue;
    cache.updateQuery({ query: ContactsQuery, variables: { first: CONTACTS_PAGE, assignee } }, (data) => {
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
}

/** The tabs' counts are read again at most this often while contacts change (each read counts every open conversation). */
export const COUNTS_REFRESH_MS = 5_000;

/**
 * Asks for the tabs' counts again after a contact changed: at once when none was asked for lately,
 * else once the interval is over, however many changes came meanwhile.
 */
export function useCountsRefresh(): () => void {
  const client = useApolloClient();
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + COUNTS_REFRESH_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      last.current = Date.now();
      void client.refetchQueries({ include: [ContactCountsQuery] });
    }, wait);
  }, [client]);
}
