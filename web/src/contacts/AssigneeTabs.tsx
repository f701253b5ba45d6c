import { useQuery } from '@apollo/client/react';
import { usePollInterval } from '../shared/useConnection';
import { usePermissions } from '../shared/usePermissions';
import { ContactCountsQuery } from './assignment';

/** Which conversations the list shows: the caller's, the unassigned ones, or all. */
export type Tab = 'mine' | 'unassigned' | 'all';

/** The `contacts(assignee:)` value of a tab. */
export const TAB_ASSIGNEE: Record<Tab, string | undefined> = { mine: 'ME', unassigned: 'NONE', all: undefined };

const LABELS: Record<Tab, string> = { mine: 'Mine', unassigned: 'Unassigned', all: 'All' };

/** Mine / Unassigned / All above the list, each with its open conversations' count (Mine only for an agent). */
export function AssigneeTabs({ tab, onChange }: { tab: Tab; onChange: (t: Tab) => void }) {
  const may = usePermissions();
  const pollInterval = usePollInterval();
  const counts = useQuery(ContactCountsQuery, { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first', pollInterval }).data?.contactCounts;
  const tabs: Tab[] = may.agentId ? ['mine', 'unassigned', 'all'] : ['unassigned', 'all'];
  return (
    <div className="iw-tabs" role="tablist" aria-label="Conversations">
      {tabs.map((t) => (
        <button
          key={t}
          type="button"
          role="tab"
          className={`iw-tab${tab === t ? ' iw-tab--on' : ''}`}
          aria-selected={tab === t}
          onClick={() => onChange(t)}
        >
          {LABELS[t]}
          {counts && (
            <span className="iw-tab-count" title="Open conversations">
              {counts[t]}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}
