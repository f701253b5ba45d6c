import { Migration } from '@mikro-orm/migrations';

/** Bulk sends (campaigns) and the CANCELLED message status. */
export class Migration20261126030000BulkSend extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "bulk_send" ("id" bigserial primary key, "name" text null, "client_bulk_id" text null, "status" text check ("status" in ('RUNNING', 'PAUSED', 'CANCELLED')) not null default 'RUNNING', "kind" text not null, "total" int not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now())`);
    this.addSql(`alter table "bulk_send" add constraint "bulk_send_client_bulk_id_unique" unique ("client_bulk_id")`);
    this.addSql(`alter table "message" add column "bulk_send_id" bigint null`);
    this.addSql(`alter table "message" add constraint "message_bulk_send_id_foreign" foreign key ("bulk_send_id") references "bulk_send" ("id") on update cascade on delete set null`);
    this.addSql(`create index "message_bulk_send_idx" on "message" ("bulk_send_id", "status") where "bulk_send_id" is not null`);
    this.addSql(`alter table "message" drop constraint if exists "message_status_check"`);
    this.addSql(`alter table "message" add constraint "message_status_check" check ("status" in ('PENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'RECEIVED', 'CANCELLED'))`);
  }
}
