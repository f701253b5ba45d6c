import { usePresence } from './usePresence';
import presenceCss from './presence.css?inline';
import { addStyles } from '../ui/styles';

addStyles('presence', presenceCss);

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?';

/** "A, B and C" */
const listOf = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** In the conversation header: the other agents who have it open ("Also here: Ada"). */
export function AlsoHere({ contactId }: { contactId: string }) {
  const agents = usePresence(contactId);
  if (agents.length === 0) return null;
  return (
    <div className="iw-also-here" aria-label={`Also here: ${listOf(agents.map((a) => a.agent.name))}`}>
      <span className="iw-muted" aria-hidden="true">Also here:</span>
      {agents.map(({ agent }) => (
        <span key={agent.id} className="iw-presence-agent" aria-hidden="true" title={agent.name}>
          <span className="iw-presence-avatar">{initials(agent.name)}</span>
          {agent.name}
        </span>
      ))}
    </div>
  );
}

/** Above the composer: who else is typing a reply right now ("Ada is replying…"), so two do not answer at once. */
export function Replying({ contactId }: { contactId: string }) {
  const names = usePresence(contactId)
    .filter((a) => a.typing)
    .map((a) => a.agent.name);
  // The live region stays in place (empty when no one types) so that screen readers announce its changes.
  return (
    <p className="iw-others-replying" role="status">
      {names.length > 0 && `${listOf(names)} ${names.length === 1 ? 'is' : 'are'} replying…`}
    </p>
  );
}
