import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { fillPlaceholders, placeholdersIn, slashQuery } from '../canned/canned';
import { CannedPicker, type CannedItem } from '../canned/CannedList';
import { mentionQuery, MentionList } from '../notes/MentionList';
import { Replying } from '../presence/Presence';
import { useTypingSignal } from '../presence/usePresence';
import { useDraft } from './useDraft';

/** The message a reply quotes, as the composer shows it. */
export interface ReplyTarget {
  author: string;
  text: string;
}

export interface ComposerProps {
  contactId: string;
  /** Why free text can't be sent now (closed window, blocked contact); null when it can. */
  disabledReason: string | null;
  /** Sends; rejects with a message to show when nothing was stored (the draft is put back). */
  onSend: (text: string) => Promise<void>;
  /** The message being answered, when the agent chose Reply. */
  replyTo?: ReplyTarget | null;
  onCancelReply?: () => void;
  /** Adds an internal note; with it the composer offers a Reply / Note switch. */
  onNote?: (text: string) => Promise<void>;
  /** Only notes (free text can't go out, a template picker sits beside it). */
  noteOnly?: boolean;
  /** Values of a canned reply's placeholders (`contact.name`, `agent.name`). */
  fillValues?: Readonly<Record<string, string | null | undefined>>;
  /** Agents' names a note's `@` offers. */
  mentionNames?: readonly string[];
  /** Beside the text box when replying (the menu of other kinds of message). */
  attach?: ReactNode;
}

/**
 * Enter sends, Shift+Enter breaks the line; the draft is kept per contact. In Note mode the text
 * becomes an internal note instead; `/` at the start offers the canned replies.
 */
export function Composer({ contactId, disabledReason, onSend, replyTo, onCancelReply, onNote, noteOnly, fillValues = {}, mentionNames = [], attach }: ComposerProps) {
  const [draft, setDraft] = useDraft(noteOnly ? `note:${contactId}` : contactId);
  const [error, setError] = useState<string | null>(null);
  const [chosenMode, setMode] = useState<'reply' | 'note'>('reply');
  const mode = noteOnly ? 'note' : onNote ? chosenMode : 'reply';
  const box = useRef<HTMLTextAreaElement>(null);
  const disabled = mode === 'reply' && disabledReason != null;
  // A note is not a reply: only the customer-facing draft tells the others someone is replying.
  useTypingSignal(contactId, mode === 'reply' ? draft : '');
  useEffect(() => {
    if (replyTo) box.current?.focus();
  }, [replyTo]);

  // The canned replies `/…` asks for, until Escape dismisses that draft.
  const listId = useId();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const query = disabled || dismissed === draft ? null : slashQuery(draft);
  const [found, setFound] = useState<readonly CannedItem[]>([]);
  const canned = query === null ? [] : found;
  const mention = mode === 'note' && dismissed !== draft ? mentionQuery(draft, mentionNames) : null;
  const [active, setActive] = useState(0);
  const listKey = query ?? (mention ? `@${mention.names.join('\n')}` : null);
  useEffect(() => setActive(0), [listKey]);
  const choose = (c: CannedItem) => {
    setDraft(fillPlaceholders(c.text, fillValues).text);
    box.current?.focus();
  };
  const mentionOf = (name: string) => {
    setDraft(`${mention!.before}@${name} `);
    box.current?.focus();
  };
  // What the open list offers, for the keys: canned replies after `/`, agents after `@` in a note.
  const offered: Array<{ id: string; choose: () => void }> =
    query !== null ? canned.map((c) => ({ id: `${listId}-${c.id}`, choose: () => choose(c) })) : mention ? mention.names.map((n, i) => ({ id: `${listId}-m${i}`, choose: () => mentionOf(n) })) : [];
  const listOpen = listKey !== null;
  const unfilled = placeholdersIn(draft);

  const send = () => {
    const text = draft.trim();
    if (!text || disabled) return;
    setDraft('');
    setError(null);
    (mode === 'note' && onNote ? onNote(text) : onSend(text)).catch((err: Error) => {
      setError(err.message);
      setDraft(text);
    });
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (listOpen) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = offered.length;
        if (n) setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
        return;
      }
      if (e.key === 'Escape') {
        e.stopPropagation(); // closes the list instead of minimising the widget
        setDismissed(draft);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.nativeEvent.isComposing && offered[active]) {
        e.preventDefault();
        offered[active].choose();
        return;
      }
    }
    if (e.key === 'Escape' && replyTo && onCancelReply) {
      e.stopPropagation(); // cancels the reply instead of minimising the widget
      onCancelReply();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <form
      className="iw-composer"
      data-mode={mode}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {onNote && !noteOnly && (
        <div className="iw-mode" role="group" aria-label="Write a">
          <button type="button" aria-pressed={mode === 'reply'} onClick={() => setMode('reply')}>Reply</button>
          <button type="button" aria-pressed={mode === 'note'} onClick={() => setMode('note')}>Note</button>
        </div>
      )}
      {query !== null && <CannedPicker id={listId} search={query} active={active} onItems={setFound} onChoose={choose} />}
      {mention && <MentionList id={listId} names={mention.names} active={active} onChoose={mentionOf} />}
      {mode === 'note' && <p className="iw-composer-note iw-note-hint">{noteOnly ? 'Internal note: only your team sees it.' : 'Only your team sees notes; @Name tells an agent.'}</p>}
      {unfilled.length > 0 && (
        <p className="iw-composer-note iw-unfilled" role="status">
          Fill in before sending: {unfilled.join(', ')}
        </p>
      )}
      {disabled && (
        <p className="iw-composer-note" id={`iw-note-${contactId}`}>
          {disabledReason}
        </p>
      )}
      {replyTo && !disabled && (
        <div className="iw-replying">
          <blockquote className="iw-quote">
            <strong>Replying to {replyTo.author}</strong>
            <span>{replyTo.text}</span>
          </blockquote>
          <button type="button" className="iw-icon-btn" aria-label="Cancel reply" onClick={onCancelReply}>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
              <path fill="currentColor" d="M19 6.4L17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z" />
            </svg>
          </button>
        </div>
      )}
      <Replying contactId={contactId} />
      {error && (
        <p className="iw-composer-error" role="alert">
          {error}
        </p>
      )}
      <div className="iw-composer-row">
        {(mode === 'reply' || noteOnly) && attach}
        <textarea
          ref={box}
          className="iw-input"
          rows={Math.min(5, Math.max(1, draft.split('\n').length))}
          value={draft}
          placeholder={disabled ? 'Free text is unavailable' : mode === 'note' ? 'Write an internal note' : 'Type a message'}
          aria-label={mode === 'note' ? 'Internal note' : 'Message'}
          aria-controls={listOpen ? listId : undefined}
          aria-activedescendant={listOpen ? offered[active]?.id : undefined}
          aria-describedby={disabled ? `iw-note-${contactId}` : undefined}
          disabled={disabled}
          maxLength={4096}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="iw-send" aria-label={mode === 'note' ? 'Add note' : 'Send'} disabled={disabled || !draft.trim()}>
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M3.4 20.4l17.45-7.48a1 1 0 000-1.84L3.4 3.6a.99.99 0 00-1.39.91L2 9.12c0 .5.37.93.87.99L17 12 2.87 13.88c-.5.07-.87.5-.87 1l.01 4.61c0 .71.73 1.2 1.39.91z" />
          </svg>
        </button>
      </div>
    </form>
  );
}
