import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import type { AuditOutcome } from '../gql/graphql';
import auditCss from './audit.css?inline';
import { addStyles } from '../ui/styles';

addStyles('audit', auditCss);

export const AuditLogQuery = graphql(`
  query AuditLog($first: Int, $after: String, $principalId: ID, $action: String, $outcome: AuditOutcome) {
    auditLog(first: $first, after: $after, principalId: $principalId, action: $action, outcome: $outcome) {
      edges { cursor node { id at principalKind principalId principalName action targetIds outcome errorCode } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const AUDIT_PAGE = 50;

/** The filters the admin applied; empty ones are left out of the query's variables. */
interface AuditFilter {
  principalId?: string;
  action?: string;
  outcome?: AuditOutcome;
}

const OUTCOMES: Record<AuditOutcome, string> = { ALLOWED: 'Allowed', REFUSED: 'Refused', FAILED: 'Failed' };

/** One page of entries, as table rows; the last page offers the next. */
function AuditPage({ filter, after, onMore }: { filter: AuditFilter; after: string | null; onMore?: (cursor: string) => void }) {
  const { data, loading, error } = useQuery(AuditLogQuery, { variables: { first: AUDIT_PAGE, ...(after ? { after } : {}), ...filter }, fetchPolicy: 'cache-and-network' });
  const page = data?.auditLog;
  return (
    <tbody>
      {page?.edges.map(({ node: e }) => (
        <tr key={e.id} data-outcome={e.outcome}>
          <td>{new Date(e.at).toLocaleString()}</td>
          <td>
            {e.principalName || '—'} <span className="iw-muted">{e.principalKind.toLowerCase()}{e.principalId ? ` #${e.principalId}` : ''}</span>
          </td>
          <td>{e.action}</td>
          <td className="iw-audit-ids">{e.targetIds.join(' ')}</td>
          <td>{OUTCOMES[e.outcome]}{e.errorCode ? ` (${e.errorCode})` : ''}</td>
        </tr>
      ))}
      {(loading && !page) || error || (page && !page.edges.length && !after) || (onMore && page?.pageInfo.hasNextPage) ? (
        <tr>
          <td colSpan={5} className="iw-audit-status">
            {error ? `Could not load the audit log: ${error.message}` : loading && !page ? 'Loading…' : page && !page.edges.length ? 'No entries.' : (
              <button type="button" className="iw-chip-btn" onClick={() => page?.pageInfo.endCursor && onMore?.(page.pageInfo.endCursor)}>Load older</button>
            )}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** Admins only: the recorded mutations, newest first, filtered by who, what and outcome. */
export function AuditLogView() {
  const [filter, setFilter] = useState<AuditFilter>({});
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setFilter({ principalId: value('principalId'), action: value('action'), outcome: value('outcome') as AuditOutcome | undefined });
    setCursors([null]);
  };
  const clean = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as AuditFilter;
  return (
    <div className="iw-audit">
      <form className="iw-filters iw-audit-filters" role="search" aria-label="Filter the audit log" onSubmit={apply}>
        <input name="action" className="iw-field" placeholder="Action, e.g. sendMessage" aria-label="Action" />
        <input name="principalId" className="iw-field" placeholder="Agent or key id" aria-label="Agent or key id" inputMode="numeric" />
        <select name="outcome" className="iw-field" aria-label="Outcome" defaultValue="">
          <option value="">Any outcome</option>
          {Object.entries(OUTCOMES).map(([v, label]) => <option key={v} value={v}>{label}</option>)}
        </select>
        <button type="submit" className="iw-primary-btn">Filter</button>
      </form>
      <div className="iw-audit-scroll">
        <table className="iw-audit-table">
          <thead>
            <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Ids</th><th scope="col">Outcome</th></tr>
          </thead>
          {cursors.map((after, i) => (
            <AuditPage key={after ?? ''} filter={clean} after={after} onMore={i === cursors.length - 1 ? (c) => setCursors((all) => [...all, c]) : undefined} />
          ))}
        </table>
      </div>
    </div>
  );
}
