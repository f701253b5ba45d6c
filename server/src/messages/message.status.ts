import type { Tx } from '../db/tx.js';
import { notify } from '../pubsub/topics.js';

/** Prefix of our message id in `biz_opaque_callback_data`, so a status finds its message without the wamid. */
export const OPAQUE_PREFIX = 'inbox:';

const RANK: Record<string, number> = { PENDING: 0, SENT: 1, DELIVERED: 2, READ: 3 };
const COLUMN: Record<string, string> = {
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  played: 'played_at',
  failed: 'failed_at',
};

export interface StatusReport {
  status: string; // Meta's: sent | delivered | read | played | failed | ...
  timestamp: Date;
  errors?: Array<Record<string, any>>;
}

export interface StatusRow {
  id: string;
  contact_id: string;
  status: string;
  [col: string]: unknown;
}

/**
 * The displayed status after a report: the highest of sent < delivered < read (played counts as read),
 * never downgraded; FAILED wins over everything but READ and stays.
 */
export function nextStatus(current: string, reported: string): string {
  if (current === 'FAILED' || current === 'RECEIVED' || current === 'CANCELLED') return current;
  if (reported === 'failed') return current === 'READ' ? current : 'FAILED';
  const mapped = reported === 'played' ? 'READ' : reported.toUpperCase();
  if (!(mapped in RANK)) return current;
  return RANK[mapped]! > RANK[current]! ? mapped : current;
}

/**
 * The columns one status report changes on a message row (empty when it changes nothing): the
 * status's own time once, the displayed status (see nextStatus), and Meta's error for a failure.
 */
export function statusChanges(msg: StatusRow, report: StatusReport): Record<string, unknown> {
  const status = nextStatus(msg.status, report.status);
  const out: Record<string, unknown> = {};
  const col = COLUMN[report.status];
  if (col && msg[col] == null) {
    out[col] = report.timestamp;
    if (report.status === 'played' && msg.read_at == null) out.read_at = report.timestamp;
  }
  if (status !== msg.status) out.status = status;
  if (report.status === 'failed' && status === 'FAILED') {
    const e = report.errors?.[0] ?? {};
    out.error_code = Number.isFinite(Number(e.code)) ? Number(e.code) : null;
    out.error_title = e.title ?? null;
    out.error_message = e.message ?? null;
    out.error_details = e.error_data?.details ?? null;
  }
  return out;
}

/** The message columns a status report may change, with their PostgreSQL types. */
export const STATUS_COLUMN_TYPES = {
  status: 'text', sent_at: 'timestamptz', delivered_at: 'timestamptz', read_at: 'timestamptz', played_at: 'timestamptz',
  failed_at: 'timestamptz', error_code: 'int', error_title: 'text', error_message: 'text', error_details: 'text',
} as const;

/** Applies one status report to a locked message row. Returns true when the message changed. */
export async function applyStatus(tx: Tx, msg: StatusRow, report: StatusReport): Promise<boolean> {
  const changes = statusChanges(msg, report);
  const cols = Object.keys(changes);
  if (cols.length === 0) return false;
  await tx.rows(
    `update message set ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() where id = $1`,
    [msg.id, ...cols.map((c) => changes[c])],
  );
  await notify(tx, 'MESSAGE_STATUS_CHANGED', { id: String(msg.id), contactId: String(msg.contact_id) });
  if (msg.bulk_send_id) await notify(tx, 'BULK_SEND_PROGRESS', { id: String(msg.bulk_send_id) });
  return true;
}

/** Applies the statuses that arrived before their message was known, in Meta's time order. */
export async function applyPendingStatuses(tx: Tx, messageId: string, waMessageId: string): Promise<void> {
  const events = await tx.rows(
    `select id, status, timestamp, payload from message_status_event
     where wa_message_id = $1 and not applied order by timestamp, id`,
    [waMessageId],
  );
  for (const ev of events) {
    const msg = await tx.one<StatusRow>(`select * from message where id = $1 for update`, [messageId]);
    if (!msg) return;
    await applyStatus(tx, msg, { status: ev.status, timestamp: ev.timestamp, errors: ev.payload?.errors });
    await tx.rows(`update message_status_event set applied = true where id = $1`, [ev.id]);
  }
}

/** A status that can be recorded: it names its wamid and its status. */
export const isRecordable = (s: Record<string, any>): boolean => typeof s?.id === 'string' && s.id !== '' && typeof s.status === 'string' && s.status !== '';

/** Records one status from a webhook (once per wamid and status) and applies it when its message exists. */
export async function recordStatus(tx: Tx, s: Record<string, any>): Promise<void> {
  if (!isRecordable(s)) throw new Error(`status without id or status: ${JSON.stringify(s).slice(0, 200)}`);
  const waMessageId: string = s.id;
  const status: string = s.status;
  const timestamp = metaTime(s.timestamp);
  const opaque = typeof s.biz_opaque_callback_data === 'string' ? s.biz_opaque_callback_data : null;
  const ev = await tx.one(
    `insert into message_status_event (wa_message_id, status, timestamp, biz_opaque_callback_data, payload)
     values ($1, $2, $3, $4, $5) on conflict do nothing returning id`,
    [waMessageId, status, timestamp, opaque, s],
  );
  if (!ev) return; // a duplicate delivery: already recorded
  let msg = await tx.one<StatusRow>(`select * from message where wa_message_id = $1 for update`, [waMessageId]);
  if (!msg && opaque?.startsWith(OPAQUE_PREFIX)) {
    const id = opaque.slice(OPAQUE_PREFIX.length);
    if (/^\d+$/.test(id)) {
      msg = await tx.one<StatusRow>(
        `update message set wa_message_id = $2, send_state = case when send_state = 'SENDING' then 'ACCEPTED' else send_state end
         where id = $1 and wa_message_id is null and direction = 'OUTBOUND' returning *`,
        [id, waMessageId],
      );
      if (msg) {
        await applyPendingStatuses(tx, msg.id, waMessageId);
        return;
      }
      // The send's answer was recorded while we waited for the row: it has this wamid now.
      msg = await tx.one<StatusRow>(`select * from message where id = $1 and wa_message_id = $2 for update`, [id, waMessageId]);
    }
  }
  if (!msg) return; // kept unapplied; applied when the message appears
  await applyStatus(tx, msg, { status, timestamp, errors: s.errors });
  await tx.rows(`update message_status_event set applied = true where id = $1`, [ev.id]);
}

/** Meta's unix-seconds string as a Date; now when absent or unreadable. */
export function metaTime(ts: unknown): Date {
  const n = Number(ts);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : new Date();
}
