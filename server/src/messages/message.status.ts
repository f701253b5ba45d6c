import type { MessageStatusEventRepository } from './message-status-event.repository.js';
import type { MessageRepository, StatusRow } from './message.repository.js';
import type { Tx } from '../db/tx.js';
import { notify } from '../pubsub/topics.js';

/** Prefix of our message id in `biz_opaque_callback_data`, so a status finds its message without the wamid. */
export const OPAQUE_PREFIX = 'inbox:';

const RANK: Record<string, number> = { PENDING: 0, UNKNOWN: 0, SENT: 1, DELIVERED: 2, READ: 3 };
const COLUMN: Record<string, string> = {
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  played: 'played_at',
  failed: 'failed_at',
};

/** One status Meta reported for a message, with its time and errors. */
export interface StatusReport {
  status: string; // Meta's: sent | delivered | read | played | failed | ...
  timestamp: Date;
  errors?: Array<Record<string, any>>;
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

/** The message columns a status report may change. */
export const STATUS_COLUMNS = ['status', 'sent_at', 'delivered_at', 'read_at', 'played_at', 'failed_at', 'error_code', 'error_title', 'error_message', 'error_details'] as const;

/** The owners of what a status report changes. */
export interface StatusRepos {
  messages: MessageRepository;
  statusEvents: MessageStatusEventRepository;
}

/** Applies one status report to a locked message row. Returns true when the message changed. */
export async function applyStatus(tx: Tx, repos: StatusRepos, msg: StatusRow, report: StatusReport): Promise<boolean> {
  const changes = statusChanges(msg, report);
  if (Object.keys(changes).length === 0) return false;
  await repos.messages.applyStatusChanges(tx, msg.id, changes);
  await notify(tx, 'MESSAGE_STATUS_CHANGED', { id: String(msg.id), contactId: String(msg.contact_id) });
  if (msg.bulk_send_id) await notify(tx, 'BULK_SEND_PROGRESS', { id: String(msg.bulk_send_id) });
  return true;
}

/** Applies the statuses that arrived before their message was known, in Meta's time order. */
export async function applyPendingStatuses(tx: Tx, repos: StatusRepos, messageId: string, waMessageId: string): Promise<void> {
  for (const ev of await repos.statusEvents.unapplied(tx, waMessageId)) {
    const msg = await repos.messages.lockById(tx, messageId);
    if (!msg) return;
    await applyStatus(tx, repos, msg, { status: ev.status, timestamp: ev.timestamp, errors: ev.payload?.errors });
    await repos.statusEvents.markApplied(tx, String(ev.id));
  }
}

/** A status that can be recorded: it names its wamid and its status. */
export const isRecordable = (s: Record<string, any>): boolean => typeof s?.id === 'string' && s.id !== '' && typeof s.status === 'string' && s.status !== '';

/** Records one status from a webhook (once per wamid and status) and applies it when its message exists. */
export async function recordStatus(tx: Tx, repos: StatusRepos, s: Record<string, any>): Promise<void> {
  if (!isRecordable(s)) throw new Error(`status without id or status: ${JSON.stringify(s).slice(0, 200)}`);
  const waMessageId: string = s.id;
  const status: string = s.status;
  const timestamp = metaTime(s.timestamp);
  const opaque = typeof s.biz_opaque_callback_data === 'string' ? s.biz_opaque_callback_data : null;
  const ev = await repos.statusEvents.record(tx, { wa_message_id: waMessageId, status, timestamp, biz_opaque_callback_data: opaque, payload: s });
  if (!ev) return; // a duplicate delivery: already recorded
  let msg = await repos.messages.lockByWamid(tx, waMessageId);
  if (!msg && opaque?.startsWith(OPAQUE_PREFIX)) {
    const id = opaque.slice(OPAQUE_PREFIX.length);
    if (/^\d+$/.test(id)) {
      msg = await repos.messages.claimWamid(tx, id, waMessageId);
      if (msg) {
        await applyPendingStatuses(tx, repos, msg.id, waMessageId);
        return;
      }
      // The send's answer was recorded while we waited for the row: it has this wamid now.
      msg = await repos.messages.lockById(tx, id, waMessageId);
    }
  }
  if (!msg) return; // kept unapplied; applied when the message appears
  await applyStatus(tx, repos, msg, { status, timestamp, errors: s.errors });
  await repos.statusEvents.markApplied(tx, ev);
}

/** Meta's unix-seconds string as a Date; now when absent, unreadable or past any date (which PostgreSQL would refuse, failing the event). */
export function metaTime(ts: unknown): Date {
  const n = Number(ts);
  const at = new Date(n * 1000);
  return n > 0 && Number.isFinite(at.getTime()) ? at : new Date();
}
