import type { NoteCard_NoteFragment } from '../gql/graphql';
import notesCss from './notes.css?inline';
import { addStyles } from '../ui/styles';

addStyles('notes', notesCss);

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The text with each `@mention` of `names` marked, longest names first (as the server matches them). */
export function markMentions(text: string, names: readonly string[]): Array<string | { mention: string }> {
  const sorted = [...new Set(names)].filter(Boolean).sort((a, b) => b.length - a.length);
  const out: Array<string | { mention: string }> = [];
  let plain = '';
  for (let i = 0; i < text.length; ) {
    const name = text[i] === '@' ? sorted.find((n) => text.slice(i + 1, i + 1 + n.length).toLocaleLowerCase() === n.toLocaleLowerCase()) : undefined;
    if (name) {
      if (plain) out.push(plain);
      plain = '';
      out.push({ mention: text.slice(i, i + 1 + name.length) });
      i += 1 + name.length;
    } else plain += text[i++];
  }
  if (plain) out.push(plain);
  return out;
}

export interface NoteCardProps {
  note: NoteCard_NoteFragment;
  /** Names of the agents, to mark mentions. */
  agentNames?: readonly string[];
  /** The signed-in agent's id: a note that mentions them stands out. */
  selfId?: string | null;
}

/** An internal note in the timeline: a yellow card, never a bubble, with its author and mentions. */
export function NoteCard({ note, agentNames = [], selfId }: NoteCardProps) {
  const mentionsMe = !!selfId && note.mentionedAgentIds.includes(selfId);
  return (
    <div className="iw-note" data-mentions-me={mentionsMe || undefined} role="note" aria-label={`Internal note by ${note.authorName}`}>
      <div className="iw-note-head">
        <span className="iw-note-label">Internal note</span>
        <strong className="iw-note-author">{note.authorName}</strong>
        {mentionsMe && <span className="iw-note-me">mentions you</span>}
      </div>
      <div className="iw-note-text">
        {markMentions(note.text, agentNames).map((part, i) => (typeof part === 'string' ? part : <mark key={i} className="iw-mention">{part.mention}</mark>))}
      </div>
      <time className="iw-note-time" dateTime={note.createdAt}>{time(note.createdAt)}</time>
    </div>
  );
}
