import { graphql } from '../gql';
import type { MessageBubble_MessageFragment as Msg } from '../gql/graphql';
import { StatusTicks } from '../ui/StatusTicks';
import { MessageBody } from './MessageBody';
import { UnknownOutcome } from './UnknownOutcome';

export const MessageBubbleFragment = graphql(`
  fragment MessageBubble_message on Message {
    id
    waMessageId
    clientMessageId
    direction
    type
    waType
    text
    status
    resendableAt
    revision
    timestamp
    payload
    editedAt
    isDeleted
    forwarded
    contextWaMessageId
    error { code title message details }
    media { mimeType filename voice animated url downloadStatus fileSize }
    location { latitude longitude name address url }
    reaction { messageId emoji }
    replyTo { id direction type text isDeleted media { filename } }
    sentBy { kind name }
  }
`);

/** What a quote shows of a message: its text, else its file name or type. */
export const snippet = (m: { text?: string | null; isDeleted: boolean; type: string; media?: { filename?: string | null } | null }) =>
  m.isDeleted ? 'This message was deleted' : (m.text ?? m.media?.filename ?? m.type.toLowerCase());

/** What an outbound bubble says of its sender: the agent's or key's name, "Phone", or "Bulk: <the bulk send>". */
export const senderLabel = (s: { kind: string; name: string }) => (s.kind === 'BULK' ? `Bulk: ${s.name}` : s.name);

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export interface MessageBubbleProps {
  message: Msg;
  /** Name shown for the customer's side in quotes. */
  contactName: string;
  /** Emojis others put on this message. */
  reactions?: string[];
  onRetry?: (m: Msg) => void;
  /** Quote this message in the next reply. */
  onReply?: (m: Msg) => void;
  /** Name the sender of an outbound message (when the conversation has more than one). */
  showSender?: boolean;
}

/** One message: quote, body by type, edit/forward marks, time and ticks; failures explain themselves. */
export function MessageBubble({ message: m, contactName, reactions, onRetry, onReply, showSender }: MessageBubbleProps) {
  const out = m.direction === 'OUTBOUND';
  if (m.type === 'SYSTEM' && !m.isDeleted) {
    return (
      <div className="iw-system" data-type={m.type}>
        {m.text || `Notice: ${(m.waType ?? 'system').replace(/_/g, ' ')}`}
      </div>
    );
  }
  const when = time(m.timestamp);
  const sender = out && showSender && m.sentBy ? senderLabel(m.sentBy) : null;
  return (
    <div className={`iw-bubble-row ${out ? 'iw-out' : 'iw-in'}`}>
      <div className="iw-bubble-line">
        <div className={`iw-bubble${m.status === 'FAILED' ? ' iw-bubble--failed' : ''}`} data-type={m.type} data-message-id={m.id}>
          {sender ? (
            <div className="iw-sender" data-kind={m.sentBy!.kind}>
              {sender}
              <span className="iw-sr">:</span>
            </div>
          ) : (
            <span className="iw-sr">{out ? 'You' : contactName}:</span>
          )}
          {m.forwarded && !m.isDeleted && <div className="iw-forwarded">Forwarded</div>}
          {m.isDeleted ? (
            <p className="iw-deleted">This message was deleted</p>
          ) : (
            <>
              {m.replyTo ? (
                <blockquote className="iw-quote">
                  <strong>{m.replyTo.direction === 'OUTBOUND' ? 'You' : contactName}</strong>
                  <span>{snippet(m.replyTo)}</span>
                </blockquote>
              ) : m.contextWaMessageId && m.type !== 'REACTION' ? (
                <blockquote className="iw-quote"><span>Reply to an earlier message</span></blockquote>
              ) : null}
              <MessageBody message={m} />
            </>
          )}
          <div className="iw-meta">
            {m.editedAt && !m.isDeleted && <span className="iw-edited">Edited</span>}
            <time dateTime={m.timestamp}>{when}</time>
            {out && <StatusTicks status={m.status} />}
          </div>
          {reactions && reactions.length > 0 && (
            <div className="iw-reactions" aria-label={`Reactions: ${reactions.join(' ')}`}>{reactions.join('')}</div>
          )}
        </div>
        {onReply && m.waMessageId && !m.isDeleted && m.type !== 'REACTION' && (
          <button type="button" className="iw-reply-btn" aria-label={`Reply to ${out ? 'your' : `${contactName}’s`} message`} onClick={() => onReply(m)}>
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
              <path fill="currentColor" d="M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z" />
            </svg>
          </button>
        )}
      </div>
      {out && m.status === 'UNKNOWN' && <UnknownOutcome message={m} />}
      {m.status === 'FAILED' && (
        <div className="iw-failure" role="note">
          <span>
            Not delivered{m.error?.title ? `: ${m.error.title}` : ''}
            {m.error?.code != null ? ` (${m.error.code})` : ''}
            {m.error?.message && m.error.message !== m.error.title ? ` — ${m.error.message}` : ''}
            {m.error?.details ? `. ${m.error.details}` : ''}
          </span>
          {onRetry && m.type === 'TEXT' && m.text && (
            <button type="button" className="iw-link-btn" onClick={() => onRetry(m)}>
              Retry
            </button>
          )}
        </div>
      )}
    </div>
  );
}
