import { useQuery } from '@apollo/client/react';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { CannedAdmin } from '../canned/CannedAdmin';
import { ContactsPane } from '../contacts/ContactsPane';
import { usePermissions } from '../shared/usePermissions';
import { useConnectionState, usePollInterval } from '../shared/useConnection';
import { Loading } from '../ui/Loading';
import { AnnouncerProvider, useAnnounce } from './Announcer';
import type { ResolvedOptions, Theme } from './config';
import { ConnectionIndicator } from './ConnectionIndicator';
import { UnreadTotalQuery, useLiveUpdates } from './live';

// Opened from the header now and then, not on every visit: their code loads on the first opening.
const TeamPanel = lazy(() => import('../team/TeamPanel').then((m) => ({ default: m.TeamPanel })));
const AuditLogView = lazy(() => import('../audit/AuditLog').then((m) => ({ default: m.AuditLogView })));
// Toasts for notes that mention the agent: nothing to show at first paint, so their code comes after it.
const MentionToasts = lazy(() => import('../notes/MentionToasts').then((m) => ({ default: m.MentionToasts })));

// The open conversation (messages, composer, notes, templates) is the larger half of the widget's own
// code; the list shows without it. Fetched as the panel opens, so a first click rarely waits for it.
const loadConversation = () => import('../messages/Conversation');
const Conversation = lazy(() => loadConversation().then((m) => ({ default: m.Conversation })));

const OPEN_KEY = 'inbox-widget:open';
const THEMES: Theme[] = ['auto', 'light', 'dark'];

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function store(key: string, v: string): void {
  try {
    localStorage.setItem(key, v);
  } catch {
    // storage disabled
  }
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

/** Unread total in the page title, e.g. "(3) Production dashboard". */
function useTitleBadge(total: number, enabled: boolean): void {
  const base = useRef<string | null>(null);
  useEffect(() => {
    if (!enabled || typeof document === 'undefined') return;
    base.current ??= document.title.replace(/^\(\d+\+?\)\s*/, '');
    document.title = total > 0 ? `(${total > 99 ? '99+' : total}) ${base.current}` : base.current;
  }, [total, enabled]);
  useEffect(() => () => {
    if (enabled && base.current != null) document.title = base.current;
  }, [enabled]);
}

/** `auto` follows the system (and its changes); the stylesheet then only knows light and dark. */
function useResolvedTheme(theme: Theme): 'light' | 'dark' {
  const query = useMemo(() => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null), []);
  const [systemDark, setSystemDark] = useState(() => !!query?.matches);
  useEffect(() => {
    if (!query) return;
    const onChange = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [query]);
  return theme === 'auto' ? (systemDark ? 'dark' : 'light') : theme;
}

function Inbox({ options }: { options: ResolvedOptions }) {
  useLiveUpdates();
  const connection = useConnectionState();
  const pollInterval = usePollInterval();
  const [open, setOpen] = useState(() => options.open || stored(OPEN_KEY) === '1');
  const [theme, setTheme] = useState<Theme>(options.theme);
  const resolvedTheme = useResolvedTheme(theme);
  const [selected, setSelected] = useState<string | null>(null);
  const [pane, setPane] = useState<'list' | 'conversation'>('list');
  // Agents and admins see the team's figures, admins the audit log; the inbox stays mounted under them.
  const [view, setView] = useState<'inbox' | 'team' | 'audit'>('inbox');
  const toggle = (v: 'team' | 'audit') => setView((cur) => (cur === v ? 'inbox' : v));
  const pageVisible = usePageVisible();
  const unread = useQuery(UnreadTotalQuery, { pollInterval: pollInterval || 0 }).data?.stats.unreadTotal ?? 0;
  useTitleBadge(unread, options.title);
  const launcher = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const announce = useAnnounce();
  const may = usePermissions();
  const showTeam = view === 'team' && may.send;
  const showAudit = view === 'audit' && may.admin;
  const overlay = showTeam || showAudit;

  // Focus moves only when the agent opens or closes the panel, never on page load.
  const focusSearch = useRef(false);
  const setOpenAndStore = (v: boolean) => {
    setOpen(v);
    store(OPEN_KEY, v ? '1' : '0');
    focusSearch.current = v;
    if (!v) setTimeout(() => launcher.current?.focus(), 0);
  };
  useEffect(() => {
    if (open) void loadConversation().catch(() => undefined); // a failure shows when it is rendered
  }, [open]);
  useEffect(() => {
    if (open && focusSearch.current) panel.current?.querySelector<HTMLElement>('.iw-search')?.focus({ preventScroll: true });
    focusSearch.current = false;
  }, [open]);

  return (
    <div className="iw" data-theme={resolvedTheme} data-theme-choice={theme} data-open={open} onKeyDown={(e) => e.key === 'Escape' && open && setOpenAndStore(false)}>
      {open && (
        <section className="iw-panel" ref={panel} id="iw-panel" aria-label="WhatsApp inbox" data-pane={pane}>
          <header className="iw-header">
            <h2 className="iw-title">WhatsApp inbox</h2>
            <ConnectionIndicator state={connection} />
            {may.admin && <CannedAdmin />}
            {may.send && (
              <button type="button" className="iw-icon-btn" aria-label="Team figures" aria-pressed={showTeam} title="Team" onClick={() => toggle('team')}>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
                  <path fill="currentColor" d="M5 20V10h3v10H5zm5.5 0V4h3v16h-3zM16 20v-7h3v7h-3z" />
                </svg>
              </button>
            )}
            {may.admin && (
              <button type="button" className="iw-chip-btn iw-audit-toggle" aria-pressed={showAudit} onClick={() => toggle('audit')}>
                Audit log
              </button>
            )}
            <button
              type="button"
              className="iw-icon-btn"
              aria-label={`Theme: ${theme}. Change theme`}
              title={`Theme: ${theme}`}
              onClick={() => setTheme(THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!)}
            >
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M12 3a9 9 0 100 18 9 9 0 000-18zm0 16V5a7 7 0 010 14z" />
              </svg>
            </button>
            <button type="button" className="iw-icon-btn" aria-label="Minimise inbox" onClick={() => setOpenAndStore(false)}>
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M6 11h12v2H6z" /></svg>
            </button>
          </header>
          {showTeam && (
            <div className="iw-body">
              <Suspense fallback={<Loading />}>
                <TeamPanel
                  onClose={() => setView('inbox')}
                  onOpen={(id) => {
                    setView('inbox');
                    setSelected(id);
                    setPane('conversation');
                  }}
                />
              </Suspense>
            </div>
          )}
          {showAudit && (
            <div className="iw-body">
              <Suspense fallback={<Loading />}>
                <AuditLogView />
              </Suspense>
            </div>
          )}
          {/* Kept mounted under the team figures and the audit log, so the open conversation is still there. */}
          <div className="iw-body" hidden={overlay}>
            <ContactsPane
              selectedId={selected}
              onSelect={(id) => {
                setSelected(id);
                setPane('conversation');
              }}
            />
            {selected ? (
              <Suspense
                fallback={
                  <div className="iw-conversation iw-empty">
                    <Loading />
                  </div>
                }
              >
                <Conversation
                  key={selected}
                  contactId={selected}
                  visible={pageVisible && !overlay}
                  onBack={() => {
                    // Narrow layout: leaving the conversation closes it, so it isn't marked read unseen.
                    setSelected(null);
                    setPane('list');
                    setTimeout(() => panel.current?.querySelector<HTMLElement>('.iw-contact[tabindex="0"], .iw-search')?.focus(), 0);
                  }}
                />
              </Suspense>
            ) : (
              <div className="iw-conversation iw-empty">
                <p>Select a conversation to read and reply.</p>
              </div>
            )}
          </div>
        </section>
      )}
      <Suspense fallback={null}>
        <MentionToasts
          announce={announce}
          onOpen={(id) => {
            setView('inbox');
            setSelected(id);
            setPane('conversation');
            if (!open) setOpenAndStore(true);
          }}
        />
      </Suspense>
      <button
        type="button"
        ref={launcher}
        className="iw-launcher"
        aria-expanded={open}
        aria-controls={open ? 'iw-panel' : undefined}
        aria-label={`${open ? 'Minimise' : 'Open'} WhatsApp inbox${unread ? `, ${unread} unread` : ''}`}
        onClick={() => setOpenAndStore(!open)}
      >
        <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M16 3C8.8 3 3 8.6 3 15.6c0 2.5.7 4.8 2 6.8L3.5 29l6.8-1.8c1.8 1 3.7 1.4 5.7 1.4 7.2 0 13-5.6 13-12.6S23.2 3 16 3zm0 23.1c-1.8 0-3.5-.5-5-1.3l-.4-.2-4 1 1-3.8-.2-.4a10 10 0 01-1.5-5.3C5.9 10 10.4 5.5 16 5.5s10.1 4.5 10.1 10.1S21.6 26.1 16 26.1z"
          />
        </svg>
        {unread > 0 && <span className="iw-launcher-badge" aria-hidden="true" data-testid="unread-total">{unread > 99 ? '99+' : unread}</span>}
      </button>
    </div>
  );
}

/** The whole widget: launcher bottom-right, expandable inbox, live region. */
export function Widget({ options }: { options: ResolvedOptions }) {
  return (
    <AnnouncerProvider>
      <Inbox options={options} />
    </AnnouncerProvider>
  );
}
