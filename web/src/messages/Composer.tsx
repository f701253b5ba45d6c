import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
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
}

/** Enter sends, Shift+Enter breaks the line; the draft is kept per contact. */
export function Composer({ contactId, disabledReason, onSend, replyTo, onCancelReply }: ComposerProps) {
  const [draft, setDraft] = useDraft(contactId);
  useTypingSignal(contactId, draft);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const disabled = disabledReason != null;
  useEffect(() => {
    if (replyTo) box.current?.focus();
  }, [replyTo]);

  const send = () => {
    const text = draft.trim();
    if (!text || disabled) return;
    setDraft('');
    setError(null);
    onSend(text).catch((err: Error) => {
      setError(err.message);
      setDraft(text);
    });
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
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
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
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
        <textarea
          ref={box}
          className="iw-input"
          rows={Math.min(5, Math.max(1, draft.split('\n').length))}
          value={draft}
          placeholder={disabled ? 'Free text is unavailable' : 'Type a message'}
          aria-label="Message"
          aria-describedby={disabled ? `iw-note-${contactId}` : undefined}
          disabled={disabled}
          maxLength={4096}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="iw-send" aria-label="Send" disabled={disabled || !draft.trim()}>
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M3.4 20.4l17.45-7.48a1 1 0 000-1.84L3.4 3.6a.99.99 0 00-1.39.91L2 9.12c0 .5.37.93.87.99L17 12 2.87 13.88c-.5.07-.87.5-.87 1l.01 4.61c0 .71.73 1.2 1.39.91z" />
          </svg>
        </button>
      </div>
    </form>
  );
}
