/** Payloads are ids only (NOTIFY payloads are small); subscribers load what they send. */
export interface Topics {
  MESSAGE_ADDED: { id: string; contactId: string };
  MESSAGE_STATUS_CHANGED: { id: string; contactId: string };
  CONTACT_UPDATED: { id: string };
  /** Counts of a bulk send changed; delivered to subscribers at most every COALESCE_MS per bulk send. */
  BULK_SEND_PROGRESS: { id: string };
  /** An internal note was added to a conversation. */
  NOTE_ADDED: { id: string; contactId: string };
  /**
   * An agent's presence in a conversation, announced by the server `process` that holds it (again
   * every heartbeat while it lasts); SYNC (no contact or agent) asks every process to announce its
   * viewers now. Kept in each process's memory only: no table is written.
   */
  PRESENCE: { contactId: string; agentId: string; name: string; process: string; state: 'VIEWING' | 'LEFT' | 'TYPING' | 'IDLE' | 'SYNC' };
}

/** The name of an event. */
export type Topic = keyof Topics;
/** An event as it travels through NOTIFY: its topic and payload. */
export interface Notification<T extends Topic = Topic> {
  topic: T;
  payload: Topics[T];
}

/** PostgreSQL channel carrying every event; each server process LISTENs on it. */
export const CHANNEL = 'inbox_events';

/** SQL (with $1 = JSON text) that queues a notification; sent by PostgreSQL only when the transaction commits. */
export const NOTIFY_SQL = `select pg_notify('${CHANNEL}', $1)`;

/** A notification as NOTIFY payload text. */
export const encodeNotification = (n: Notification): string => JSON.stringify(n);

/** NOTIFY payloads must stay under 8,000 bytes. */
const MAX_PAYLOAD_BYTES = 7_500;

/**
 * Many notifications as few NOTIFY payloads (JSON arrays, each under the size limit): a batch of
 * webhook events raises hundreds, and every payload costs PostgreSQL and each listener a message.
 */
export function packNotifications(notifications: Notification[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let size = 2;
  for (const n of notifications) {
    const text = encodeNotification(n);
    const bytes = Buffer.byteLength(text);
    if (part.length && size + bytes + 1 > MAX_PAYLOAD_BYTES) {
      out.push(`[${part.join(',')}]`);
      part = [];
      size = 2;
    }
    part.push(text);
    size += bytes + 1;
  }
  if (part.length) out.push(`[${part.join(',')}]`);
  return out;
}


/** Where a notification is queued: a transaction's connection (sent when it commits) or the pool (sent at once). */
export interface NotifySink {
  query(text: string, params: unknown[]): Promise<unknown>;
}

/** Queues one notification on `sink`. */
export async function notify<T extends Topic>(sink: NotifySink, topic: T, payload: Topics[T]): Promise<void> {
  await sink.query(NOTIFY_SQL, [encodeNotification({ topic, payload })]);
}

/** Queues many notifications in one round trip. */
export async function notifyMany(sink: NotifySink, notifications: Notification[]): Promise<void> {
  if (notifications.length === 0) return;
  await sink.query(`select pg_notify('${CHANNEL}', n) from unnest($1::text[]) n`, [packNotifications(notifications)]);
}
