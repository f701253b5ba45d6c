import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import { usePermissions } from '../shared/usePermissions';
import { ContactCountsQuery, insertIntoTabs } from './assignment';
import { addStyles } from '../ui/styles';
import headerCss from './header.css?inline';

addStyles('contacts-header', headerCss);

export const AssignContactMutation = graphql(`
  mutation AssignContact($id: ID!, $agentId: ID) {
    assignContact(id: $id, agentId: $agentId) {
      id
      ...ContactRow_contact
      ...ContactHeader_contact
    }
  }
`);

export const TeamQuery = graphql(`
  query Team {
    agents { id name role active available }
  }
`);

interface Assignable {
  id: string;
  assignee?: { id: string; name: string } | null;
}

/** Assigns the conversation and files it under its new tab at once (the live update follows). */
export function useAssign(contactId: string) {
  const client = useApolloClient();
  const { agentId } = usePermissions();
  const [mutate, state] = useMutation(AssignContactMutation, { refetchQueries: [ContactCountsQuery] });
  const assign = (to: string | null) =>
    mutate({ variables: { id: contactId, agentId: to } })
      .then((r) => r.data && insertIntoTabs(client.cache, r.data.assignContact, agentId))
      .catch(() => undefined);
  return [assign, state] as const;
}

/**
 * Who handles the conversation. Admins pick any active agent (or nobody); an agent takes an
 * unassigned conversation or gives up their own; everyone else reads who has it.
 */
export function AssigneePicker({ contact: c }: { contact: Assignable }) {
  const may = usePermissions();
  const [assign, { error, loading }] = useAssign(c.id);
  const team = useQuery(TeamQuery, { skip: !may.admin }).data?.agents;
  const current = c.assignee ?? null;
  const mine = !!current && current.id === may.agentId;
  let control;
  if (may.admin && team) {
    const choices = team.filter((a) => a.active && a.role !== 'VIEWER');
    control = (
      <label className="iw-assignee-pick">
        Assignee
        <select className="iw-field" value={current?.id ?? ''} disabled={loading} onChange={(e) => void assign(e.target.value || null)}>
          <option value="">Unassigned</option>
          {current && !choices.some((a) => a.id === current.id) && <option value={current.id}>{current.name}</option>}
          {choices.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.available ? '' : ' (away)'}
            </option>
          ))}
        </select>
      </label>
    );
  } else {
    control = (
      <>
        <span className="iw-assignee-state">{current ? `Assigned to ${mine ? 'you' : current.name}` : 'Unassigned'}</span>
        {may.send && may.agentId && !current && (
          <button type="button" className="iw-chip-btn" disabled={loading} onClick={() => void assign(may.agentId)}>
            Assign to me
          </button>
        )}
        {may.send && mine && (
          <button type="button" className="iw-chip-btn" disabled={loading} onClick={() => void assign(null)}>
            Unassign
          </button>
        )}
      </>
    );
  }
  return (
    <div className="iw-assignee-bar">
      {control}
      {error && <span className="iw-composer-error" role="alert">{error.message}</span>}
    </div>
  );
}

/** After an agent's reply on an unassigned conversation: the offer to take it. */
export function AssignPrompt({ contactId, onDismiss }: { contactId: string; onDismiss: () => void }) {
  const { agentId } = usePermissions();
  const [assign, { loading, error }] = useAssign(contactId);
  return (
    <div className="iw-assign-prompt" role="status">
      <span>You replied to an unassigned conversation.</span>
      <button type="button" className="iw-chip-btn" disabled={loading} onClick={() => void assign(agentId)}>
        Assign to me
      </button>
      <button type="button" className="iw-chip-btn" onClick={onDismiss}>
        Not now
      </button>
      {error && <span className="iw-composer-error" role="alert">{error.message}</span>}
    </div>
  );
}
