import { Migration } from '@mikro-orm/migrations';

/**
 * Retention of webhook bodies and one row per account event.
 * - `webhook_event` gains the status DISMISSED (an admin gave a FAILED event up) and an index over the
 *   finished events by when they finished, so the pruner deletes the PROCESSED and DISMISSED bodies past
 *   WEBHOOK_RETENTION_DAYS oldest first, and an erasure finds the bodies finished since a contact
 *   appeared, without reading the rest. The index gets one entry per event, when it finishes. Its build
 *   holds writes to the table (webhook POSTs wait, answered once it is done): a few seconds per million
 *   stored events. The wider status check is not validated against the old rows, which met a narrower one.
 * - `account_event` gets the event's identity (`identity_key`: field, WABA, number, Meta's entry time and
 *   the value) unique, so Meta's redeliveries of one change keep one row. Existing copies of one change
 *   from byte-identical bodies (redeliveries) are folded into the first; older rows whose entry time is
 *   unknown keep a key of their own.
 */
export class Migration20261206150000Retention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_event" drop constraint "webhook_event_status_check"`);
    this.addSql(`alter table "webhook_event" add constraint "webhook_event_status_check" check ("status" in ('PENDING', 'PROCESSING', 'PROCESSED', 'FAILED', 'DISMISSED')) not valid`);
    this.addSql(`create index "webhook_event_finished_idx" on "webhook_event" ("status", "processed_at") where "status" in ('PROCESSED', 'FAILED', 'DISMISSED')`);

    this.addSql(`alter table "account_event" add column "entry_time" bigint null, add column "identity_key" text null`);
    this.addSql(`delete from "account_event" a using (
        select a.id, first_value(a.id) over (partition by a.field, a.waba_id, a.phone_number_id, a.payload, md5(e.body) order by a.id) as keep
        from "account_event" a join "webhook_event" e on e.id = a.webhook_event_id
      ) d where a.id = d.id and d.id <> d.keep`);
    this.addSql(`update "account_event" set "identity_key" = 'legacy:' || "id"`);
    this.addSql(`alter table "account_event" alter column "identity_key" set not null`);
    this.addSql(`alter table "account_event" add constraint "account_event_identity_key_unique" unique ("identity_key")`);
  }
}
