import { useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { graphql } from '../gql';
import type { ContactRow_ContactFragment as Contact } from '../gql/graphql';
import { usePollInterval } from '../shared/useConnection';
import { ContactRow } from './ContactRow';

export const ContactsQuery = graphql(`
  query Contacts($search: String, $pinned: Boolean, $blocked: Boolean, $tag: String, $assignee: String, $first: Int, $after: String) {
    contacts(search: $search, pinned: $pinned, blocked: $blocked, tag: $tag, assignee: $assignee, first: $first, after: $after) {
      totalCount
      totalCountIsExact
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id
          ...ContactRow_contact
        }
      }
    }
  }
`);

export interface ContactFilter {
  search?: string;
  pinned?: boolean;
  blocked?: boolean;
  tag?: string;
  /** A tab: ME, NONE or an agent's id (contacts(assignee:)). */
  assignee?: string;
  /** The caller's agent id, which ME stands for when a live update is matched locally. */
  me?: string | null;
}

export const CONTACTS_PAGE = 60;
export const ROW_HEIGHT = 72;
const OVERSCAN = 6;

/** Pinned first, then the latest conversation, as the server orders them (live updates reorder locally). */
export function byRecent(a: Contact, b: Contact): number {
  if (a.isPinned !== b.isPinned) return a.isPinned ? -1 : 1;
  const ta = a.lastMessageAt ?? a.createdAt;
  const tb = b.lastMessageAt ?? b.createdAt;
  if (ta !== tb) return ta < tb ? 1 : -1;
  return Number(b.id) - Number(a.id);
}

/** Also applied locally so a contact that stops matching (unpinned, untagged) leaves the list at once. */
export function matches(c: Contact, f: ContactFilter): boolean {
  return (f.pinned == null || c.isPinned === f.pinned) && (f.blocked == null || c.isBlocked === f.blocked) && (!f.tag || c.tags.includes(f.tag)) && inTab(c, f);
}

/** Whether a contact belongs in the filter's tab: its assignee is the caller (ME), nobody (NONE) or that agent. */
export function inTab(c: Pick<Contact, 'assignee'>, f: Pick<ContactFilter, 'assignee' | 'me'>): boolean {
  if (!f.assignee) return true;
  if (f.assignee === 'NONE') return !c.assignee;
  return c.assignee?.id === (f.assignee === 'ME' ? f.me : f.assignee);
}

/** Variables with unset filters left out, so every view of "all contacts" shares one cache entry. */
export function contactVariables(f: ContactFilter) {
  const v: { search?: string; pinned?: boolean; blocked?: boolean; tag?: string; assignee?: string; first: number } = { first: CONTACTS_PAGE };
  if (f.search?.trim()) v.search = f.search.trim();
  if (f.pinned != null) v.pinned = f.pinned;
  if (f.blocked != null) v.blocked = f.blocked;
  if (f.tag?.trim()) v.tag = f.tag.trim();
  if (f.assignee) v.assignee = f.assignee;
  return v;
}

/** The conversations, windowed (fixed row height), loading further pages on scroll; arrow keys move between rows. */
export function ContactList({ filter, selectedId, onSelect }: { filter: ContactFilter; selectedId: string | null; onSelect: (id: string) => void }) {
  const pollInterval = usePollInterval();
  const { data, loading, error, fetchMore } = useQuery(ContactsQuery, {
    variables: contactVariables(filter),
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
    pollInterval,
  });
  const conn = data?.contacts;
  const contacts = useMemo(
    () => (conn ? conn.edges.map((e) => e.node).filter((c) => matches(c, filter)).sort(byRecent) : []),
    [conn, filter],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 0 });
  const [focus, setFocus] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const endCursor = conn?.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;

  const loadMore = useCallback(() => {
    if (!endCursor || loadingMore) return;
    setLoadingMore(true);
    void fetchMore({ variables: { after: endCursor } }).finally(() => setLoadingMore(false));
  }, [endCursor, loadingMore, fetchMore]);

  const onScroll = () => {
    const el = scroller.current!;
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (el.scrollTop + el.clientHeight > contacts.length * ROW_HEIGHT - ROW_HEIGHT * 5) loadMore();
  };
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setView({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (view.height > 0 && contacts.length * ROW_HEIGHT < view.height) loadMore();
  }, [view.height, contacts.length, loadMore]);

  const focusIndex = Math.min(focus, Math.max(0, contacts.length - 1));
  const moveFocus = useRef(false);
  const onKeyDown = (e: KeyboardEvent) => {
    const next = { ArrowDown: focusIndex + 1, ArrowUp: focusIndex - 1, Home: 0, End: contacts.length - 1 }[e.key];
    if (next == null || contacts.length === 0) return;
    e.preventDefault();
    const i = Math.max(0, Math.min(contacts.length - 1, next));
    const el = scroller.current!;
    if (i * ROW_HEIGHT < el.scrollTop) el.scrollTop = i * ROW_HEIGHT;
    else if ((i + 1) * ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = (i + 1) * ROW_HEIGHT - el.clientHeight;
    moveFocus.current = true;
    setFocus(i);
    setView({ top: el.scrollTop, height: el.clientHeight });
  };
  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`)?.focus();
  });

  const n = contacts.length;
  // A search counts its matches only up to a limit: "100+", and a set size screen readers take as unknown.
  const total = conn ? (conn.totalCountIsExact ? String(conn.totalCount) : `${conn.totalCount}+`) : String(n);
  const setSize = conn ? (conn.totalCountIsExact ? conn.totalCount : -1) : n;
  const start = view.height > 0 ? Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN) : 0;
  const end = view.height > 0 ? Math.min(n, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN) : Math.min(n, 30);

  return (
    <div className="iw-contacts" ref={scroller} onScroll={onScroll} onKeyDown={onKeyDown}>
      {error && !conn && <p className="iw-center" role="alert">Could not load conversations: {error.message}</p>}
      {!error && n === 0 && <p className="iw-center iw-muted">{loading ? 'Loading conversations…' : filter.search || filter.tag || filter.pinned || filter.blocked || filter.assignee ? 'No matching conversations.' : 'No conversations yet.'}</p>}
      <ul className="iw-contacts-inner" aria-label={`Conversations, ${total} in all`} style={{ height: n * ROW_HEIGHT }}>
        {contacts.slice(start, end).map((c, j) => (
          <li key={c.id} style={{ top: (start + j) * ROW_HEIGHT, height: ROW_HEIGHT }} aria-setsize={setSize} aria-posinset={start + j + 1}>
            <ContactRow contact={c} index={start + j} selected={c.id === selectedId} tabIndex={start + j === focusIndex ? 0 : -1} onSelect={(id) => { setFocus(start + j); onSelect(id); }} />
          </li>
        ))}
      </ul>
      {loadingMore && <p className="iw-loading-more" role="status">Loading more…</p>}
    </div>
  );
}
