import { useQuery } from '@apollo/client/react';
import { useEffect, useMemo, type ReactNode } from 'react';
import { graphql } from '../gql';
import { POLL_INTERVAL_MS } from '../shared/useConnection';
import { PermissionsContext, type Permissions } from '../shared/usePermissions';

export const MeQuery = graphql(`
  query Me {
    me { kind name role scopes agent { id } }
  }
`);

const UNKNOWN: Permissions = { known: false, send: false, admin: false, agentId: null };

/** Asks the server who is calling and provides what it may do to the whole widget. */
export function PermissionsProvider({ children }: { children: ReactNode }) {
  const me = useQuery(MeQuery);
  const scopes = me.data?.me.scopes;
  const agentId = me.data?.me.agent?.id ?? null;
  const { error, refetch } = me;
  // An agent must not stay read-only over one failed request: asked again every 5 s until it answers.
  useEffect(() => {
    if (scopes || !error) return;
    const t = setTimeout(() => void refetch().catch(() => undefined), POLL_INTERVAL_MS);
    return () => clearTimeout(t);
  }, [scopes, error, refetch]);
  const value = useMemo<Permissions>(
    () => (scopes ? { known: true, send: scopes.includes('SEND'), admin: scopes.includes('ADMIN'), agentId } : UNKNOWN),
    [scopes, agentId],
  );
  return <PermissionsContext.Provider value={value}>{children}</PermissionsContext.Provider>;
}
