import { columnDefs } from '../db/columns.js';
import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import type { Message } from './message.entity.js';

/** A row to insert, keyed by column. */
type Row = Record<string, unknown>;

/** Meta's error on a message that failed. */
export interface SendError {
  code: number | null;
  title: string | null;
  message: string | null;
  details: string | null;
}

/** A message row as status reports read and change it. */
export interface StatusRow {
  id: string;
  contact_id: string;
  status: string;
  [col: string]: unknown;
}

/** A message whose send outcome changed, with what its notifications need. */
export interface OutcomeRow {
  id: string;
  contact_id: string;
  bulk_send_id: string | null;
}
const OUTCOME = `returning id::text as id, contact_id::text as contact_id, bulk_send_id::text as bulk_send_id`;

/** The owner of `message`: the only code that writes it. */
export class MessageRepository extends SqlRepository<Message> {
  /** Inserts a message from a webhook; undefined when its wamid is stored already (Meta delivered it again). */
  async insertReceived(tx: Tx, row: Row): Promise<string | undefined> {
    const cols = Object.keys(row);
    // SQL: `on conflict do nothing` on the wamid, in the caller's webhook transaction.
    const inserted = await tx.one(
      `insert into message (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})
       on conflict (wa_message_id) do nothing returning id`,
      cols.map((c) => row[c]),
    );
    return inserted ? String(inserted.id) : undefined;
  }

  /** insertReceived for many rows (each with the same columns) in one statement; returns the ones inserted. */
  insertManyReceived(tx: Tx, rows: Row[]): Promise<Array<{ id: string; wa_message_id: string }>> {
    if (rows.length === 0) return Promise.resolve([]);
    const cols = Object.keys(rows[0]!);
    // SQL: one statement for a batch's messages, in the caller's webhook transaction.
    return tx.rows(
      `insert into message (${cols.join(', ')}) select ${cols.join(', ')} from jsonb_to_recordset($1::jsonb) as x(${columnDefs('Message', cols)})
       on conflict (wa_message_id) do nothing returning id::text as id, wa_message_id`,
      [JSON.stringify(rows)],
    );
  }

  /** Locks the message an edit or revoke names. */
  lockOriginal(tx: Tx, waMessageId: string): Promise<{ id: string; contact_id: string; text: string | null } | undefined> {
    // SQL: a locking read in the caller's webhook transaction.
    return tx.one(`select id, contact_id, text from message where wa_message_id = $1 for update`, [waMessageId]);
  }

  /** Marks a message deleted by its sender. */
  async markRevoked(tx: Tx, id: string, at: Date): Promise<void> {
    // SQL: in the caller's webhook transaction, with the change's record.
    await tx.rows(`update message set deleted_at = $2, updated_at = now() where id = $1`, [id, at]);
  }

  /**
   * Applies an edit in Meta's timestamp order: an edit newer than (or as new as) the one applied
   * becomes the text, the replaced text going to the end of the history; an older edit that arrives
   * late only joins the history, as the version just before the current text. Returns whether the text changed.
   */
  async applyEdit(tx: Tx, id: string, text: string | null, at: Date, edit: unknown): Promise<boolean> {
    // SQL: appends to a jsonb history in place, in the caller's webhook transaction (which locked the row).
    const [row] = await tx.rows<{ applied: boolean }>(
      `with m as (select id, edited_at is null or edited_at <= $3 as newer from message where id = $1)
       update message set
         text = case when m.newer then $2 else text end,
         edited_at = case when m.newer then $3 else edited_at end,
         edit_history = edit_history || jsonb_build_array(coalesce(case when m.newer then text else $2 end, '')),
         payload = case when m.newer then coalesce(payload, '{}'::jsonb) || jsonb_build_object('edit', $4::jsonb) else payload end,
         updated_at = now()
       from m where message.id = m.id
       returning m.newer as applied`,
      [id, text, at, JSON.stringify(edit ?? {})],
    );
    return row?.applied ?? false;
  }

  /** Moves a contact's messages to another contact (a merge). */
  async moveToContact(tx: Tx, from: string, into: string): Promise<void> {
    // SQL: every message of a contact at once, in the merge's transaction.
    await tx.rows(`update message set contact_id = $1 where contact_id = $2`, [into, from]);
  }

  /** Locks a message by wamid, for a status report. */
  lockByWamid(tx: Tx, waMessageId: string): Promise<StatusRow | undefined> {
    // SQL: a locking read in the caller's webhook transaction.
    return tx.one<StatusRow>(`select * from message where wa_message_id = $1 for update`, [waMessageId]);
  }

  /** Locks a message by id (with `waMessageId`: only if it has that wamid). */
  lockById(tx: Tx, id: string, waMessageId?: string): Promise<StatusRow | undefined> {
    // SQL: a locking read in the caller's transaction.
    return waMessageId === undefined
      ? tx.one<StatusRow>(`select * from message where id = $1 for update`, [id])
      : tx.one<StatusRow>(`select * from message where id = $1 and wa_message_id = $2 for update`, [id, waMessageId]);
  }

  /** Locks the messages with these wamids, in id order. */
  lockManyByWamid(tx: Tx, waMessageIds: string[]): Promise<Array<StatusRow & { wa_message_id: string }>> {
    // SQL: one locking read for a batch's statuses, in the caller's webhook transaction.
    return tx.rows(`select * from message where wa_message_id = any($1::text[]) order by id for update`, [waMessageIds]);
  }

  /**
   * Gives an outbound message without a wamid (waiting for the send's answer, or its outcome UNKNOWN or
   * dismissed) the wamid a status report names (found by our id in `biz_opaque_callback_data`): Meta
   * took it after all, so it counts as accepted and its statuses apply from PENDING. Undefined when it
   * has a wamid already.
   */
  claimWamid(tx: Tx, id: string, waMessageId: string): Promise<StatusRow | undefined> {
    // SQL: a conditional update in the caller's webhook transaction, racing the dispatcher's.
    return tx.one<StatusRow>(
      `update message set wa_message_id = $2,
         send_state = case when send_state in ('QUEUED', 'SENDING', 'UNKNOWN', 'DISMISSED') then 'ACCEPTED' else send_state end,
         status = case when status = 'UNKNOWN' or send_state = 'DISMISSED' then 'PENDING' else status end,
         failed_at = case when send_state = 'DISMISSED' then null else failed_at end,
         error_title = case when send_state = 'DISMISSED' then null else error_title end,
         error_message = case when send_state = 'DISMISSED' then null else error_message end
       where id = $1 and wa_message_id is null and direction = 'OUTBOUND' returning *`,
      [id, waMessageId],
    );
  }

  /** Sets the columns a status report changed (statusChanges) on a locked message. */
  async applyStatusChanges(tx: Tx, id: string, changes: Row): Promise<void> {
    const cols = Object.keys(changes);
    // SQL: the columns a report changed, in the caller's webhook transaction.
    await tx.rows(`update message set ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() where id = $1`, [
      id,
      ...cols.map((c) => changes[c]),
    ]);
  }

  /** applyStatusChanges for many messages, each row holding `id` and every column of `columns`. */
  async applyManyStatusChanges(tx: Tx, columns: readonly string[], rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    // SQL: one statement for a batch's statuses, in the caller's webhook transaction.
    await tx.rows(
      `update message m set ${columns.map((c) => `${c} = x.${c}`).join(', ')}, updated_at = now()
       from jsonb_to_recordset($1::jsonb) as x(${columnDefs('Message', ['id', ...columns])})
       where m.id = x.id`,
      [JSON.stringify(rows)],
    );
  }

  /** The message an idempotent send stored under this client id. */
  byClientMessageId(clientMessageId: string): Promise<Message | null> {
    return this.findOne({ clientMessageId });
  }

  /** The wamid of a stored message (to quote it), if it has one. */
  async waMessageIdOf(id: string): Promise<string | null> {
    if (!/^\d+$/.test(id)) return null;
    return (await this.findOne(id))?.waMessageId ?? null;
  }

  /** The business number this contact last wrote to. */
  async lastBusinessNumber(contactId: string): Promise<string | null> {
    // SQL: one column of the newest matching row; the entity manager would load whole messages.
    const row = await this.db.query(
      `select business_phone_number_id from message where contact_id = $1 and direction = 'INBOUND' and business_phone_number_id is not null
       order by timestamp desc limit 1`,
      [contactId],
    );
    return row.rows[0]?.business_phone_number_id ?? null;
  }

  /** Stores an outbound message PENDING, QUEUED to send; undefined when a send with its client id is stored already. */
  insertOutbound(
    tx: Tx,
    m: { clientMessageId: string | null; contactId: string; type: string; waType: string; text: string | null; phoneNumberId: string; contextWaMessageId: string | null; payload: unknown; sentByAgentId: string | null; sentByApiKeyId: string | null },
  ): Promise<{ id: string; timestamp: Date } | undefined> {
    // SQL: in the send's transaction with its pg-boss job (raw SQL too); `on conflict do nothing` on the client id.
    return tx.one(
      `insert into message (client_message_id, contact_id, direction, type, wa_type, text, status, source, business_phone_number_id,
         context_wa_message_id, payload, send_state, sent_by_agent_id, sent_by_api_key_id)
       values ($1, $2, 'OUTBOUND', $3, $4, $5, 'PENDING', 'API', $6, $7, $8, 'QUEUED', $9, $10)
       on conflict (client_message_id) do nothing returning id::text as id, timestamp`,
      [m.clientMessageId, m.contactId, m.type, m.waType, m.text, m.phoneNumberId, m.contextWaMessageId, m.payload, m.sentByAgentId, m.sentByApiKeyId],
    );
  }

  /** How a send stands: status, send state and error. */
  async sendOutcome(id: string): Promise<Record<string, any> | undefined> {
    // SQL: polled every few milliseconds while a send waits for Meta; a fresh read, no identity map.
    const { rows } = await this.db.query(
      `select status, send_state, error_code, error_title, error_message, error_details from message where id = $1`,
      [id],
    );
    return rows[0];
  }

  /**
   * Marks QUEUED messages SENDING, unless their bulk send is paused or cancelled; returns each claimed
   * row with its recipient, in the order asked (null: not claimed). A message SENDING is never claimed
   * again: its outcome is unknown (markUnknown, markAbandoned).
   */
  async claimForSend(ids: readonly string[]): Promise<Array<Record<string, any> | null>> {
    // SQL: one conditional update for a batch of send jobs; the condition is the exactly-once guard.
    const { rows } = await this.db.query(
      `update message m set send_state = 'SENDING', send_attempts = m.send_attempts + 1, send_attempted_at = now(), updated_at = now()
       from contact c
       where m.id = any($1::bigint[]) and c.id = m.contact_id and m.wa_message_id is null and m.status = 'PENDING' and m.send_state = 'QUEUED'
         and (m.bulk_send_id is null or exists (select 1 from bulk_send b where b.id = m.bulk_send_id and b.status = 'RUNNING'))
       returning m.*, c.wa_id as to_wa_id, c.user_id as to_user_id, c.is_blocked as to_blocked`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Puts a message whose send failed for now back in the queue. */
  async requeue(id: string): Promise<void> {
    // SQL: a conditional update (only if it is still SENDING) outside any transaction.
    await this.db.query(`update message set send_state = 'QUEUED' where id = $1 and send_state = 'SENDING'`, [id]);
  }

  /** Marks a message FAILED with Meta's error. */
  async markFailed(tx: Tx, id: string, e: SendError): Promise<void> {
    // SQL: in the caller's transaction, with its notifications.
    await tx.rows(
      `update message set status = 'FAILED', send_state = 'FAILED', failed_at = now(), error_code = $2, error_title = $3,
         error_message = $4, error_details = $5, updated_at = now() where id = $1`,
      [id, e.code, e.title, e.message, e.details],
    );
  }

  /** Records Meta's wamids for sends it accepted. */
  async markAccepted(tx: Tx, items: ReadonlyArray<{ messageId: string; waMessageId: string }>): Promise<void> {
    // SQL: one statement for a batch of answers, in the caller's transaction.
    await tx.rows(
      `update message m set wa_message_id = coalesce(m.wa_message_id, u.w), send_state = 'ACCEPTED', updated_at = now()
       from unnest($1::bigint[], $2::text[]) as u(id, w) where m.id = u.id`,
      [items.map((i) => i.messageId), items.map((i) => i.waMessageId)],
    );
  }

  /** Marks a message UNKNOWN whose send had an unknown outcome, unless a status report gave it its wamid first. */
  markUnknown(tx: Tx, id: string): Promise<OutcomeRow | undefined> {
    // SQL: a conditional update (only if still SENDING without a wamid), in the caller's transaction with its notifications.
    return tx.one(
      `update message set status = 'UNKNOWN', send_state = 'UNKNOWN', updated_at = now()
       where id = $1 and send_state = 'SENDING' and wa_message_id is null and status = 'PENDING' ${OUTCOME}`,
      [id],
    );
  }

  /**
   * Marks a message UNKNOWN that was claimed more than `seconds` ago and never settled (its dispatcher
   * died mid-call); undefined when it is not such a message.
   */
  markAbandoned(tx: Tx, id: string, seconds: number): Promise<OutcomeRow | undefined> {
    // SQL: the same conditional update, timed by the database clock the claim used.
    return tx.one(
      `update message set status = 'UNKNOWN', send_state = 'UNKNOWN', updated_at = now()
       where id = $1 and send_state = 'SENDING' and wa_message_id is null and status = 'PENDING'
         and send_attempted_at < now() - make_interval(secs => $2) ${OUTCOME}`,
      [id, seconds],
    );
  }

  /** Seconds until a message SENDING without an answer counts as abandoned (markAbandoned); 0 when it is not SENDING. */
  async abandonWait(id: string, seconds: number): Promise<number> {
    // SQL: computed by the database clock, which markAbandoned uses too.
    const { rows } = await this.db.query(
      `select ceil(extract(epoch from (send_attempted_at + make_interval(secs => $2) - now())))::int as wait
       from message where id = $1 and send_state = 'SENDING' and wa_message_id is null and status = 'PENDING'`,
      [id, seconds],
    );
    return rows[0] ? Math.max(1, rows[0].wait) : 0;
  }

  /**
   * Queues UNKNOWN messages again (one, or a bulk send's) that have waited `reconcileSeconds` for a
   * status report, unless their bulk send was cancelled; returns those queued.
   */
  requeueUnknown(tx: Tx, by: { id: string } | { bulkSendId: string }, reconcileSeconds: number): Promise<OutcomeRow[]> {
    const [col, value] = 'id' in by ? ['id', by.id] : ['bulk_send_id', by.bulkSendId];
    // SQL: a conditional update of one or all of a bulk send's messages, in the caller's transaction with their jobs.
    return tx.rows(
      `update message m set status = 'PENDING', send_state = 'QUEUED', updated_at = now()
       where m.${col} = $1 and m.status = 'UNKNOWN' and m.send_attempted_at <= now() - make_interval(secs => $2)
         and (m.bulk_send_id is null or exists (select 1 from bulk_send b where b.id = m.bulk_send_id and b.status <> 'CANCELLED'))
       ${OUTCOME}`,
      [value, reconcileSeconds],
    );
  }

  /** Settles an UNKNOWN message as FAILED without sending it again: someone decided so (a status report may still revive it). */
  dismissUnknown(tx: Tx, id: string): Promise<OutcomeRow | undefined> {
    // SQL: a conditional update (only if still UNKNOWN), in the caller's transaction with its notifications.
    return tx.one(
      `update message set status = 'FAILED', send_state = 'DISMISSED', failed_at = now(), error_code = null,
         error_title = 'Not confirmed by WhatsApp', error_message = 'Dismissed without sending it again', error_details = null, updated_at = now()
       where id = $1 and status = 'UNKNOWN' ${OUTCOME}`,
      [id],
    );
  }

  /** Stored messages counted by direction and status. */
  async countByStatus(): Promise<Array<{ direction: string; status: string; n: number }>> {
    // SQL: an aggregate, with no entities to load.
    return (await this.db.query(`select direction, status, count(*)::int as n from message group by 1, 2`)).rows;
  }

  /** Stores a bulk send's messages: QUEUED, or FAILED with the reason (`refusal`) when it cannot be sent. */
  insertBulk(
    tx: Tx,
    bulkSendId: string,
    phoneNumberId: string,
    rows: Array<{ contactId: string; type: string; waType: string; text: string | null; payload: unknown; refusal: string | null }>,
  ): Promise<Array<{ id: string; contact_id: string; status: string }>> {
    // SQL: one statement for all recipients, in the bulk send's transaction.
    return tx.rows(
      `insert into message (contact_id, direction, type, wa_type, text, status, source, business_phone_number_id, payload, send_state,
         bulk_send_id, error_title, failed_at)
       select u.c, 'OUTBOUND', u.type, u.wa_type, u.t, case when u.e is null then 'PENDING' else 'FAILED' end, 'API', $7, u.p,
         case when u.e is null then 'QUEUED' else 'FAILED' end, $8, u.e, case when u.e is null then null else now() end
       from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[]) as u(c, type, wa_type, t, p, e)
       returning id::text as id, contact_id::text as contact_id, status`,
      [
        rows.map((r) => r.contactId), rows.map((r) => r.type), rows.map((r) => r.waType), rows.map((r) => r.text),
        rows.map((r) => JSON.stringify(r.payload)), rows.map((r) => r.refusal), phoneNumberId, bulkSendId,
      ],
    );
  }

  /** Cancels a bulk send's messages not sent yet; returns them. */
  cancelQueued(tx: Tx, bulkSendId: string): Promise<Array<{ id: string; contact_id: string }>> {
    // SQL: every waiting message of the bulk send at once, in the caller's transaction.
    return tx.rows(
      `update message set status = 'CANCELLED', send_state = 'CANCELLED', updated_at = now()
       where bulk_send_id = $1 and status = 'PENDING' and send_state = 'QUEUED' returning id::text as id, contact_id::text as contact_id`,
      [bulkSendId],
    );
  }

  /** A bulk send's messages still waiting to be sent. */
  queuedOf(tx: Tx, bulkSendId: string): Promise<Array<{ id: string; contact_id: string }>> {
    // SQL: read in the caller's transaction, which queues their jobs again.
    return tx.rows(`select id::text as id, contact_id::text as contact_id from message where bulk_send_id = $1 and send_state = 'QUEUED'`, [bulkSendId]);
  }

  /** Counts of a bulk send's messages by how far they got. */
  async bulkCounts(bulkSendId: string): Promise<{ queued: number; sent: number; delivered: number; read: number; failed: number; cancelled: number; unknown: number }> {
    // SQL: one aggregate over the bulk send's messages (its partial index).
    const { rows } = await this.db.query(
      `select count(*) filter (where status = 'PENDING')::int as queued,
         count(*) filter (where status in ('SENT', 'DELIVERED', 'READ'))::int as sent,
         count(*) filter (where status in ('DELIVERED', 'READ'))::int as delivered,
         count(*) filter (where status = 'READ')::int as read,
         count(*) filter (where status = 'FAILED')::int as failed,
         count(*) filter (where status = 'CANCELLED')::int as cancelled,
         count(*) filter (where status = 'UNKNOWN')::int as unknown
       from message where bulk_send_id = $1`,
      [bulkSendId],
    );
    return rows[0];
  }
}
