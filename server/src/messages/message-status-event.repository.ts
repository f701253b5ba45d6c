import { columnDefs } from '../db/columns.js';
import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import type { MessageStatusEvent } from './message-status-event.entity.js';

/** A status report (or an edit or revoke) as recorded: once per wamid and status. */
export interface StatusEventRow {
  wa_message_id: string;
  status: string;
  timestamp: Date;
  biz_opaque_callback_data: string | null;
  payload: unknown;
  applied?: boolean;
}

/** The owner of `message_status_event`: every status report, edit and revoke, recorded once. */
export class MessageStatusEventRepository extends SqlRepository<MessageStatusEvent> {
  /** Records a report; undefined when the same (wamid, status) was recorded before. */
  async record(tx: Tx, e: StatusEventRow): Promise<string | undefined> {
    // SQL: `on conflict do nothing` is the exactly-once check, in the caller's webhook transaction.
    const row = await tx.one(
      `insert into message_status_event (wa_message_id, status, timestamp, biz_opaque_callback_data, payload)
       values ($1, $2, $3, $4, $5) on conflict do nothing returning id`,
      [e.wa_message_id, e.status, e.timestamp, e.biz_opaque_callback_data, e.payload],
    );
    return row ? String(row.id) : undefined;
  }

  /** record for many reports in one statement; returns the (wamid, status) pairs recorded now. */
  recordMany(tx: Tx, rows: StatusEventRow[]): Promise<Array<{ wa_message_id: string; status: string }>> {
    // SQL: one statement for a batch's statuses, in the caller's webhook transaction.
    return tx.rows(
      `insert into message_status_event (wa_message_id, status, timestamp, biz_opaque_callback_data, payload, applied)
       select wa_message_id, status, timestamp, biz_opaque_callback_data, payload, applied
       from jsonb_to_recordset($1::jsonb) as x(${columnDefs('MessageStatusEvent', ['wa_message_id', 'status', 'timestamp', 'biz_opaque_callback_data', 'payload', 'applied'])})
       on conflict do nothing returning wa_message_id, status`,
      [JSON.stringify(rows)],
    );
  }

  /** The reports of a wamid not applied yet (its message was not stored), in Meta's time order. */
  unapplied(tx: Tx, waMessageId: string): Promise<Array<{ id: string; status: string; timestamp: Date; payload: any }>> {
    // SQL: read in the transaction that applies them.
    return tx.rows(
      `select id, status, timestamp, payload from message_status_event where wa_message_id = $1 and not applied order by timestamp, id`,
      [waMessageId],
    );
  }

  /** Which of these wamids have reports waiting to be applied. */
  async waiting(tx: Tx, waMessageIds: string[]): Promise<Set<string>> {
    // SQL: one read for a batch of accepted sends, in the caller's transaction.
    const rows = await tx.rows(`select distinct wa_message_id from message_status_event where wa_message_id = any($1::text[]) and not applied`, [waMessageIds]);
    return new Set(rows.map((r) => r.wa_message_id as string));
  }

  /** Marks a report applied to its message. */
  async markApplied(tx: Tx, id: string): Promise<void> {
    // SQL: in the transaction that applied it.
    await tx.rows(`update message_status_event set applied = true where id = $1`, [id]);
  }

  /**
   * Deletes the reports of these wamids, and those still waiting for a message whose payload names any
   * of `identifiers` (a recipient's number or user id), in the caller's transaction; answers how many.
   */
  async eraseOf(tx: Tx, waMessageIds: readonly string[], identifiers: readonly string[]): Promise<number> {
    // SQL: by the (wamid, status) key, in the erasure's transaction.
    const byWamid = await tx.query(`delete from message_status_event where wa_message_id = any($1::text[])`, [waMessageIds]);
    // SQL: the unapplied reports (their partial index) searched as text, in the erasure's transaction.
    const waiting = await tx.query(
      `delete from message_status_event e where not e.applied
         and exists (select 1 from unnest($1::text[]) i where strpos(e.payload::text, to_json(i)::text) > 0)`,
      [identifiers],
    );
    return (byWamid.rowCount ?? 0) + (waiting.rowCount ?? 0);
  }
}
