import type { MessageStatus } from '../gql/graphql';

// Keyed by string so a status the schema adds later still renders (as its name).
const LABEL: Record<string, string> = {
  CANCELLED: 'Cancelled, not sent',
  PENDING: 'Sending',
  SENT: 'Sent',
  DELIVERED: 'Delivered',
  READ: 'Read',
  FAILED: 'Not delivered',
  UNKNOWN: 'Not confirmed by WhatsApp',
  RECEIVED: 'Received',
};

/** WhatsApp's ticks for an outbound message: clock, one grey, two grey, two blue; a red mark when it failed, a question when unconfirmed. */
export function StatusTicks({ status }: { status: MessageStatus }) {
  if (status === 'RECEIVED') return null;
  const label = LABEL[status] ?? status.toLowerCase();
  return (
    <span className={`iw-ticks iw-ticks--${status.toLowerCase()}`} role="img" aria-label={label} title={label} data-status={status}>
      <svg viewBox="0 0 18 12" width="18" height="12" aria-hidden="true" focusable="false">
        {status === 'PENDING' && (
          <g fill="none" stroke="currentColor" strokeWidth="1.4">
            <circle cx="9" cy="6" r="4.6" />
            <path d="M9 3.4V6l1.8 1.2" />
          </g>
        )}
        {status === 'SENT' && <path d="M3 6.5l2.6 2.6L11.5 3" fill="none" stroke="currentColor" strokeWidth="1.6" />}
        {(status === 'DELIVERED' || status === 'READ') && (
          <g fill="none" stroke="currentColor" strokeWidth="1.6">
            <path d="M1 6.5l2.6 2.6L9.5 3" />
            <path d="M6.5 8.6l.5.5L13 3" />
          </g>
        )}
        {(status as string) === 'CANCELLED' && (
          <g fill="none" stroke="currentColor" strokeWidth="1.4">
            <circle cx="9" cy="6" r="4.6" />
            <path d="M5.8 9.2l6.4-6.4" />
          </g>
        )}
        {status === 'UNKNOWN' && (
          <g fill="none" stroke="currentColor" strokeWidth="1.4">
            <circle cx="9" cy="6" r="4.6" />
            <path d="M7.4 4.8a1.6 1.6 0 1 1 2.2 1.5c-.4.2-.6.5-.6.9M9 8.4v.4" />
          </g>
        )}
        {status === 'FAILED' && (
          <g>
            <circle cx="9" cy="6" r="5.5" fill="currentColor" />
            <path d="M9 3v3.6M9 8.2v.9" stroke="#fff" strokeWidth="1.5" />
          </g>
        )}
      </svg>
    </span>
  );
}
