import { graphql } from '../gql';
import type { ContactRow_ContactFragment as Contact } from '../gql/graphql';
import { StatusTicks } from '../ui/StatusTicks';

export const ContactRowFragment = graphql(`
  fragment ContactRow_contact on Contact {
    id
    name
    waId
    isPinned
    isBlocked
    tags
    unreadCount
    lastMessageAt
    createdAt
    conversationClosed
    assignee { id name }
    lastMessage { id text type direction status revision isDeleted }
  }
`);

export function lastMessagePreview(m: Contact['lastMessage']): string {
  if (!m) return 'No messages yet';
  if (m.isDeleted) return 'This message was deleted';
  if (m.text) return m.text;
  const t = m.type.toLowerCase();
  return { image: '🖼️ Photo', video: '🎬 Video', audio: '🎵 Audio', document: '📄 Document', sticker: 'Sticker', location: '📍 Location', contacts: '👤 Contact', reaction: 'Reaction' }[t] ?? t;
}

/** White text reaches AA (4.5:1) on each of these. */
const AVATARS = ['#00796b', '#1565c0', '#6a1b9a', '#ad1457', '#2e7d32', '#5d4037', '#37474f'];
export const avatarColor = (id: string) => AVATARS[[...id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % AVATARS.length];

function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

export interface ContactRowProps {
  contact: Contact;
  selected: boolean;
  tabIndex: number;
  index: number;
  onSelect: (id: string) => void;
}

/** One conversation in the list: name, last message, time, unread badge, pin/block marks. */
export function ContactRow({ contact: c, selected, tabIndex, index, onSelect }: ContactRowProps) {
  const preview = lastMessagePreview(c.lastMessage);
  const out = c.lastMessage?.direction === 'OUTBOUND';
  return (
    <button
      type="button"
      className="iw-contact"
      aria-current={selected ? 'true' : undefined}
      tabIndex={tabIndex}
      data-index={index}
      data-contact-id={c.id}
      onClick={() => onSelect(c.id)}
    >
      <span className="iw-avatar" aria-hidden="true" style={{ background: avatarColor(c.id) }}>
        {(c.name.trim()[0] ?? '#').toUpperCase()}
      </span>
      <span className="iw-contact-main">
        <span className="iw-contact-top">
          <span className="iw-contact-name">{c.name}</span>
          <span className="iw-contact-time">{when(c.lastMessageAt)}</span>
        </span>
        <span className="iw-contact-bottom">
          <span className="iw-contact-preview">
            {out && c.lastMessage && <StatusTicks status={c.lastMessage.status} />}
            {preview}
          </span>
          {c.isPinned && (
            <span className="iw-pin" role="img" aria-label="Pinned">
              <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M16 3v2h-1v5l3 3v2h-5v6l-1 1-1-1v-6H6v-2l3-3V5H8V3z" />
              </svg>
            </span>
          )}
          {c.assignee && <span className="iw-assignee" title={`Assigned to ${c.assignee.name}`}>{c.assignee.name}</span>}
          {c.isBlocked && <span className="iw-tag iw-tag--danger">Blocked</span>}
          {c.unreadCount > 0 && (
            <span className="iw-badge" aria-label={`${c.unreadCount} unread`}>{c.unreadCount > 99 ? '99+' : c.unreadCount}</span>
          )}
        </span>
      </span>
    </button>
  );
}
