import { useEffect, useState } from 'react';
import { usePermissions } from '../shared/usePermissions';
import { AssigneeTabs, TAB_ASSIGNEE, type Tab } from './AssigneeTabs';
import { ContactList, type ContactFilter } from './ContactList';

type Show = 'all' | 'pinned' | 'blocked';

/** Mine / Unassigned / All tabs, search (name, number, message text), pinned/blocked/tag filters, and the list. */
export function ContactsPane({ selectedId, onSelect }: { selectedId: string | null; onSelect: (id: string) => void }) {
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [show, setShow] = useState<Show>('all');
  const [tag, setTag] = useState('');
  const [tab, setTab] = useState<Tab>('all');
  const { agentId } = usePermissions();
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(t);
  }, [search]);
  const filter: ContactFilter = {
    search: debounced || undefined,
    pinned: show === 'pinned' ? true : undefined,
    blocked: show === 'blocked' ? true : undefined,
    tag: tag.trim() || undefined,
    // A key has no conversations of its own: Mine falls back to All.
    assignee: tab === 'mine' && !agentId ? undefined : TAB_ASSIGNEE[tab],
    me: agentId,
  };
  return (
    <div className="iw-contacts-pane">
      <AssigneeTabs tab={tab} onChange={setTab} />
      <div className="iw-filters" role="search">
        <input
          type="search"
          className="iw-field iw-search"
          placeholder="Search name, number or message"
          aria-label="Search conversations"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <div className="iw-filter-row">
          <div className="iw-segmented" role="radiogroup" aria-label="Show">
            {(['all', 'pinned', 'blocked'] as const).map((s) => (
              <label key={s} className={`iw-seg${show === s ? ' iw-seg--on' : ''}`}>
                <input type="radio" name="iw-show" value={s} checked={show === s} onChange={() => setShow(s)} />
                {s[0]!.toUpperCase() + s.slice(1)}
              </label>
            ))}
          </div>
          <input className="iw-field iw-tag-filter" placeholder="Tag" aria-label="Filter by tag" value={tag} onChange={(e) => setTag(e.target.value)} />
        </div>
      </div>
      <ContactList filter={filter} selectedId={selectedId} onSelect={onSelect} />
    </div>
  );
}
