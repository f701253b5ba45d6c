import type { NoteCard_NoteFragment } from '../gql/graphql';

/** One entry of a conversation's timeline: a message or an internal note, at its time. */
export type TimelineItem<M> = { kind: 'message'; key: string; at: string; message: M } | { kind: 'note'; key: string; at: string; note: NoteCard_NoteFragment };

/**
 * Messages (oldest first) and notes interleaved by time, oldest first; a note at the same time as a
 * message comes after it. While older messages are still to load, notes older than the oldest loaded
 * message wait for them, so a note never shows above history it was written after.
 */
export function interleave<M extends { id: string; timestamp: string }>(messages: readonly M[], notes: readonly NoteCard_NoteFragment[], moreMessages: boolean): TimelineItem<M>[] {
  const oldest = messages[0] ? Date.parse(messages[0].timestamp) : Infinity;
  const shown = notes
    .filter((n) => !moreMessages || Date.parse(n.createdAt) >= oldest)
    .map((n) => ({ kind: 'note' as const, key: `note:${n.id}`, at: n.createdAt, note: n, t: Date.parse(n.createdAt), id: BigInt(n.id) }))
    .sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
  const out: TimelineItem<M>[] = [];
  let j = 0;
  for (const m of messages) {
    const t = Date.parse(m.timestamp);
    while (j < shown.length && shown[j]!.t < t) out.push(strip(shown[j++]!));
    out.push({ kind: 'message', key: m.id, at: m.timestamp, message: m });
  }
  while (j < shown.length) out.push(strip(shown[j++]!));
  return out;
}

const strip = ({ kind, key, at, note }: { kind: 'note'; key: string; at: string; note: NoteCard_NoteFragment }): TimelineItem<never> => ({ kind, key, at, note });
