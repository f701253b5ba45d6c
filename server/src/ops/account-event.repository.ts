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
}

/** The latest event of one field, as health shows it. */
export interface LatestAccountEvent {
  field: string;
  payload: Record<string, any>;
  created_at: Date;
}

/** The owner of `account_event`: ingest records the events, health reads the latest of each kind. */
export class AccountEventRepository extends SqlRepository<AccountEvent> {
  /** Records an event in the transaction applying its webhook. */
  async record(tx: Tx, e: NewAccountEvent): Promise<void> {
    // SQL: runs in the caller's webhook transaction (a Tx), beside statements of other tables.
    await tx.rows(
      `insert into account_event (field, waba_id, phone_number_id, payload, webhook_event_id) values ($1, $2, $3, $4, $5)`,
      [e.field, e.wabaId, e.phoneNumberId, e.payload, e.webhookEventId],
    );
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
