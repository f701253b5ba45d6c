import type { Tx } from '../db/tx.js';
import { SqlRepository } from '../db/repository.js';
import type { AccountEvent } from './account-event.entity.js';

/** An account event to record: a webhook change other than messages, as Meta sent it. */
export interface NewAccountEvent {
  field: string;
  wabaId: string | null;
  phoneNumberId: string | null;
  payload: Record<string, unknown>;
  webhookEventId: string;
  /** The webhook entry's `time` (Unix seconds), when Meta sent one: a repeat of the same change later is another event. */
  entryTime: number | null;
}

/** The latest event of one field, as health shows it. */
export interface LatestAccountEvent {
  field: string;
  payload: Record<string, any>;
  created_at: Date;
}

/** The owner of `account_event`: ingest records the events, health reads the latest of each kind. */
export class AccountEventRepository extends SqlRepository<AccountEvent> {
  /**
   * Records an event in the transaction applying its webhook, once: Meta's redelivery of the same change
   * (same field, WABA, number, entry time and value) is the same event and adds nothing.
   */
  async record(tx: Tx, e: NewAccountEvent): Promise<void> {
    // SQL: runs in the caller's webhook transaction (a Tx); `on conflict do nothing` is the dedupe, and jsonb's text is canonical.
    await tx.rows(
      `insert into account_event (field, waba_id, phone_number_id, payload, webhook_event_id, entry_time, identity_key)
       values ($1, $2, $3, $4, $5, $6, md5(concat_ws('|', $1::text, coalesce($2::text, ''), coalesce($3::text, ''), coalesce($6::bigint::text, ''), $4::jsonb::text)))
       on conflict (identity_key) do nothing`,
      [e.field, e.wabaId, e.phoneNumberId, e.payload, e.webhookEventId, e.entryTime],
    );
  }

  /**
   * Deletes the events whose value names any of `identifiers` as a JSON string (an `errors` change
   * carries the messages and contacts it came with), in the caller's transaction; answers how many.
   */
  async eraseNaming(tx: Tx, identifiers: readonly string[]): Promise<number> {
    if (identifiers.length === 0) return 0;
    // SQL: a text search over the values, which have no index for it; the table holds only account changes.
    const rows = await tx.rows(
      `delete from account_event a where exists (select 1 from unnest($1::text[]) i where strpos(a.payload::text, to_json(i)::text) > 0) returning id`,
      [identifiers],
    );
    return rows.length;
  }

  /** The latest event of each of `fields` (absent when there is none), read on the pool. */
  async latest(fields: readonly string[]): Promise<LatestAccountEvent[]> {
    // SQL: `distinct on` (the newest row per field) has no entity-manager form.
    const { rows } = await this.db.query<LatestAccountEvent>(
      `select distinct on (field) field, payload, created_at from account_event
       where field = any($1::text[])
       order by field, id desc`,
      [fields],
    );
    return rows;
  }
}
