import { useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import teamCss from './team.css?inline';
import { addStyles } from '../ui/styles';

addStyles('team', teamCss);

export const TeamStatsQuery = graphql(`
  query TeamStats {
    stats {
      team {
        from
        to
        agents {
          agent { id name }
          conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds
        }
        overall { conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds }
        waitingLongest(first: 5) { id name lastInboundAt }
      }
    }
  }
`);

/** A duration as a person reads it: 45 s, 12 min, 3.5 h, 2 d. */
export function duration(seconds: number | null | undefined): string {
  if (seconds == null) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} d`;
}

type Figures = { conversationsAssigned: number; conversationsClosed: number; messagesSent: number; firstResponseMedianSeconds?: number | null; firstResponseP90Seconds?: number | null };

function Row({ name, f, total }: { name: string; f: Figures; total?: boolean }) {
  return (
    <tr className={total ? 'iw-team-total' : undefined}>
      <th scope="row">{name}</th>
      <td>{f.conversationsAssigned}</td>
      <td>{f.conversationsClosed}</td>
      <td>{f.messagesSent}</td>
      <td>{duration(f.firstResponseMedianSeconds)}</td>
      <td>{duration(f.firstResponseP90Seconds)}</td>
    </tr>
  );
}

/** The team's last 7 days (per agent and everyone) and the customers waiting longest; a waiting one opens its conversation. */
export function TeamPanel({ onOpen, onClose }: { onOpen: (contactId: string) => void; onClose: () => void }) {
  const { data, error } = useQuery(TeamStatsQuery, { fetchPolicy: 'cache-and-network', pollInterval: 60_000 });
  const team = data?.stats.team;
  const now = Date.now();
  return (
    <div className="iw-team" role="region" aria-label="Team">
      <div className="iw-team-head">
        <h3>Team, last 7 days</h3>
        <button type="button" className="iw-team-close" onClick={onClose}>Back to inbox</button>
      </div>
      {error && <p role="alert">The team's figures could not be loaded.</p>}
      {!team && !error && <p className="iw-muted">Loading…</p>}
      {team && (
        <>
          <table className="iw-team-table">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col" title="Conversations assigned">Assigned</th>
                <th scope="col" title="Conversations closed">Closed</th>
                <th scope="col" title="Messages sent">Sent</th>
                <th scope="col" title="Median time to the first reply">First reply</th>
                <th scope="col" title="90% of first replies came within">90%</th>
              </tr>
            </thead>
            <tbody>
              {team.agents.map((a) => <Row key={a.agent.id} name={a.agent.name} f={a} />)}
              <Row name="Everyone" f={team.overall} total />
            </tbody>
          </table>
          <h4>Waiting longest</h4>
          {team.waitingLongest.length === 0 ? (
            <p className="iw-muted">Nobody is waiting for a reply.</p>
          ) : (
            <ul className="iw-team-waiting">
              {team.waitingLongest.map((c) => (
                <li key={c.id}>
                  <button type="button" onClick={() => onOpen(c.id)}>
                    <span>{c.name}</span>
                    <span className="iw-muted">{c.lastInboundAt ? `waiting ${duration((now - new Date(c.lastInboundAt).getTime()) / 1000)}` : ''}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
