import { Migration } from '@mikro-orm/migrations';

/** Outbound dispatch state of a message (the queue itself lives in pg-boss). */
export class Migration20261126010000Outbound extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "message" add column "send_state" text null, add column "send_attempts" int not null default 0, add column "send_attempted_at" timestamptz null`);
    this.addSql(`create index "message_send_state_idx" on "message" ("send_state") where "send_state" in ('QUEUED', 'SENDING')`);
  }
}
