import type { Tx } from '../db/tx.js';
import { type Notification } from '../pubsub/topics.js';
import type { StatusRow } from './message.repository.js';
import { metaTime, OPAQUE_PREFIX, STATUS_COLUMNS, statusChanges, type StatusRepos } from './message.status.js';

type Value = Record<string, any>;

/** A status-only webhook event and its statuses. */
export interface StatusEvent {
  id: string;
  statuses: Value[];
}

/**
 * `recordStatus` for many status-only webhook events at once: one locking read of the messages, one
 * insert of the status events (once per wamid and status), one update of the messages they change,
 * folded in the events' order with the same rules (statusChanges). A status whose message is
 * not stored yet is kept unapplied, as one at a time; but when it carries our `inbox:<id>` it may be
 * the answer to a send not recorded yet, so its event is left to the per-event path (not returned).
 */
export async function recordStatuses(tx: Tx, repos: StatusRepos, events: StatusEvent[], notifications: Notification[]): Promise<string[]> {
  if (events.length === 0) return [];
  const wamids = [...new Set(events.flatMap((e) => e.statuses.map((s) => s.id as string)))];
  const found = await repos.messages.lockManyByWamid(tx, wamids);
  const byWamid = new Map(found.map((m) => [m.wa_message_id, m]));
  const taken = events.filter((e) =>
    e.statuses.every((s) => byWamid.has(s.id) || !(typeof s.biz_opaque_callback_data === 'string' && s.biz_opaque_callback_data.startsWith(OPAQUE_PREFIX))),
  );
  const reports = taken.flatMap((e) => e.statuses);
  if (reports.length === 0) return [];
  const inserted = await repos.statusEvents.recordMany(
    tx,
    reports.map((s) => ({
      wa_message_id: s.id,
      status: s.status,
      timestamp: metaTime(s.timestamp),
      biz_opaque_callback_data: typeof s.biz_opaque_callback_data === 'string' ? s.biz_opaque_callback_data : null,
      payload: s,
      applied: byWamid.has(s.id),
    })),
  );
  const fresh = new Set(inserted.map((r) => `${r.wa_message_id}\n${r.status}`));
  const changed = new Map<string, StatusRow>();
  for (const s of reports) {
    const msg = byWamid.get(s.id);
    // Only the first delivery of a (wamid, status) counts, as one at a time.
    if (!msg || !fresh.delete(`${s.id}\n${s.status}`)) continue;
    const changes = statusChanges(msg, { status: s.status, timestamp: metaTime(s.timestamp), errors: s.errors });
    if (Object.keys(changes).length === 0) continue;
    Object.assign(msg, changes);
    changed.set(String(msg.id), msg);
  }
  if (changed.size) {
    await repos.messages.applyManyStatusChanges(
      tx,
      STATUS_COLUMNS,
      [...changed.values()].map((m) => Object.fromEntries([['id', m.id], ...STATUS_COLUMNS.map((c) => [c, m[c] ?? null])])),
    );
    const bulks = new Set<string>();
    for (const m of changed.values()) {
      notifications.push({ topic: 'MESSAGE_STATUS_CHANGED', payload: { id: String(m.id), contactId: String(m.contact_id) } });
      if (m.bulk_send_id) bulks.add(String(m.bulk_send_id));
    }
    for (const id of bulks) notifications.push({ topic: 'BULK_SEND_PROGRESS', payload: { id } });
  }
  return taken.map((e) => e.id);
}
