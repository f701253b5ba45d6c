import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MessageBubble_MessageFragment as Msg, NoteCard_NoteFragment } from '../gql/graphql';
import { NoteCard } from '../notes/NoteCard';
import { interleave } from '../notes/timeline';
import { layout, visibleRange } from '../ui/windowing';
import { MessageBubble } from './MessageBubble';

const NO_NOTES: readonly NoteCard_NoteFragment[] = [];

const ESTIMATE = 64;
const OVERSCAN = 8;
const STICK_PX = 40;
const LOAD_MORE_PX = 400;

export interface MessageListProps {
  /** Newest first, as the API pages them. */
  messages: readonly Msg[];
  contactName: string;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Absent when the caller may not send. */
  onRetry?: (m: Msg) => void;
  onReply?: (m: Msg) => void;
  /** Internal notes, shown among the messages at their time. */
  notes?: readonly NoteCard_NoteFragment[];
  /** Agents' names (to mark @mentions in notes) and the signed-in agent's id (notes mentioning them stand out). */
  agentNames?: readonly string[];
  selfId?: string | null;
}

/**
 * The conversation, oldest at the top, windowed: only the bubbles near the viewport are in the DOM.
 * Sticks to the bottom while the agent is there; otherwise keeps the bubble in view still while
 * newer messages arrive, older pages load above, or heights get measured.
 */
export function MessageList({ messages, contactName, hasMore, loadingMore, onLoadMore, onRetry, onReply, notes = NO_NOTES, agentNames, selfId }: MessageListProps) {
  const { items: bubbles, reactions } = useMemo(() => arrange(messages), [messages]);
  const items = useMemo(() => interleave(bubbles, notes, hasMore), [bubbles, notes, hasMore]);
  const showSender = useMemo(() => severalSenders(messages), [messages]);
  const keys = useMemo(() => items.map((m) => m.key), [items]);
  const heights = useRef(new Map<string, number>());
  const [measured, setMeasured] = useState(0);
  const lay = useMemo(() => layout(keys, heights.current, ESTIMATE), [keys, measured]);
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 0 });
  const anchor = useRef<{ stick: true } | { stick: false; key: string; offset: number }>({ stick: true });
  const offsetTop = Math.max(0, view.height - lay.total);

  const remember = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (fromBottom <= STICK_PX) anchor.current = { stick: true };
    else {
      const [start] = visibleRange(lay, el.scrollTop - offsetTop, el.clientHeight, 0);
      const key = keys[start];
      if (key) anchor.current = { stick: false, key, offset: lay.tops[start]! + offsetTop - el.scrollTop };
    }
    setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    if (hasMore && !loadingMore && el.scrollTop < LOAD_MORE_PX) onLoadMore();
  }, [lay, keys, offsetTop, hasMore, loadingMore, onLoadMore]);

  // Restore the anchor after every layout change.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const a = anchor.current;
    if (a.stick) el.scrollTop = el.scrollHeight;
    else {
      const i = keys.indexOf(a.key);
      if (i >= 0) el.scrollTop = lay.tops[i]! + offsetTop - a.offset;
    }
    setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  }, [lay, keys, offsetTop]);

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setView((v) => (v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight })));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep loading while everything fits in a tall viewport, or while the agent is still at the top once
  // a page is in: a scroll to the top during a load starts none (see remember), and at the top no
  // further scroll event comes.
  useEffect(() => {
    const atTop = (scroller.current?.scrollTop ?? Infinity) < LOAD_MORE_PX; // after the anchor was restored
    if (view.height > 0 && (lay.total < view.height || atTop) && hasMore && !loadingMore) onLoadMore();
  }, [view.height, lay.total, hasMore, loadingMore, onLoadMore]);

  const observer = useMemo(() => {
    if (typeof ResizeObserver === 'undefined') return undefined;
    let frame = 0;
    return new ResizeObserver((entries) => {
      let changed = false;
      for (const e of entries) {
        const key = (e.target as HTMLElement).dataset.key!;
        const h = Math.ceil((e.target as HTMLElement).offsetHeight);
        if (h > 0 && heights.current.get(key) !== h) {
          heights.current.set(key, h);
          changed = true;
        }
      }
      if (changed && !frame) frame = requestAnimationFrame(() => { frame = 0; setMeasured((n) => n + 1); });
    });
  }, []);
  useEffect(() => () => observer?.disconnect(), [observer]);
  const measure = useCallback((el: HTMLDivElement | null) => { if (el) observer?.observe(el); }, [observer]);

  const [start, end] = visibleRange(lay, view.top - offsetTop, view.height, OVERSCAN);
  return (
    <div
      ref={scroller}
      className="iw-messages"
      onScroll={remember}
      tabIndex={0}
      role="log"
      aria-live="off"
      aria-label={`Messages with ${contactName}`}
      aria-busy={loadingMore}
    >
      <div className="iw-messages-inner" style={{ height: Math.max(lay.total, view.height) }}>
        {loadingMore && <div className="iw-loading-more" role="status">Loading earlier messages…</div>}
        {!hasMore && items.length > 0 && view.height > 0 && (
          <div className="iw-history-start" style={{ top: offsetTop - 28 }}>Start of the conversation</div>
        )}
        {items.slice(start, end).map((item, j) => {
          const i = start + j;
          const day = dayKey(item.at);
          const newDay = i === 0 ? !hasMore : dayKey(items[i - 1]!.at) !== day;
          const m = item.kind === 'message' ? item.message : null;
          return (
            <div key={item.key} ref={measure} data-key={item.key} className="iw-item" style={{ top: lay.tops[i]! + offsetTop }}>
              {newDay && <div className="iw-day" role="separator" aria-label={dayLabel(item.at)}><span>{dayLabel(item.at)}</span></div>}
              {m ? (
                <MessageBubble message={m} contactName={contactName} reactions={m.waMessageId ? reactions.get(m.waMessageId) : undefined} onRetry={onRetry} onReply={onReply} showSender={showSender} />
              ) : (
                item.kind === 'note' && <NoteCard note={item.note} agentNames={agentNames} selfId={selfId} />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Whether the loaded outbound messages come from more than one sender: only then do bubbles name theirs. */
export function severalSenders(messages: readonly Msg[]): boolean {
  let first: string | undefined;
  for (const m of messages) {
    if (m.direction !== 'OUTBOUND' || !m.sentBy) continue;
    const key = `${m.sentBy.kind}\n${m.sentBy.name}`;
    if (first === undefined) first = key;
    else if (key !== first) return true;
  }
  return false;
}

const dayKey = (iso: string) => new Date(iso).toDateString();

/** "Today", "Yesterday", a weekday within the week, else the date. */
export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const midnight = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((midnight(now) - midnight(d)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return d.toLocaleDateString([], { weekday: 'long' });
  return d.toLocaleDateString([], { day: 'numeric', month: 'long', year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric' });
}

/** Oldest first for display; reactions folded into the message they are on (the latest per side wins). */
export function arrange(newestFirst: readonly Msg[]): { items: Msg[]; reactions: Map<string, string[]> } {
  const byWamid = new Set<string>();
  for (const m of newestFirst) if (m.waMessageId) byWamid.add(m.waMessageId);
  const latest = new Map<string, Map<string, string | null>>(); // target → side → emoji
  const items: Msg[] = [];
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const m = newestFirst[i]!;
    const target = m.type === 'REACTION' ? m.reaction?.messageId : undefined;
    if (target && byWamid.has(target) && !m.isDeleted) {
      const sides = latest.get(target) ?? new Map<string, string | null>();
      sides.set(m.direction, m.reaction?.emoji ?? null);
      latest.set(target, sides);
      continue;
    }
    items.push(m);
  }
  const reactions = new Map<string, string[]>();
  for (const [target, sides] of latest) {
    const emojis = [...sides.values()].filter((e): e is string => !!e);
    if (emojis.length) reactions.set(target, emojis);
  }
  return { items, reactions };
}
