import { Migration } from '@mikro-orm/migrations';

/** Initial schema: contacts, messages, the webhook inbox, status events and account events. */
export class Migration20261126000000Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm`);
    this.addSql(`create table "account_event" ("id" bigserial primary key, "field" text not null, "waba_id" text null, "phone_number_id" text null, "payload" jsonb not null, "webhook_event_id" bigint null, "created_at" timestamptz not null default now())`);
    this.addSql(`create table "contact" ("id" bigserial primary key, "wa_id" text null, "user_id" text null, "parent_user_id" text null, "username" text null, "display_name" text null, "profile_name" text null, "is_pinned" boolean not null default false, "is_blocked" boolean not null default false, "tags" text[] not null default '{}', "unread_count" int not null default 0, "last_message_at" timestamptz null, "last_message_id" bigint null, "last_inbound_at" timestamptz null, "conversation_closed" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now())`);
    this.addSql(`alter table "contact" add constraint "contact_wa_id_unique" unique ("wa_id")`);
    this.addSql(`alter table "contact" add constraint "contact_user_id_unique" unique ("user_id")`);
    this.addSql(`create index "contact_search_trgm_idx" on "contact" using gin ((coalesce("display_name", '') || ' ' || coalesce("profile_name", '') || ' ' || coalesce("wa_id", '') || ' ' || coalesce("username", '')) gin_trgm_ops)`);
    this.addSql(`create index "contact_list_order_idx" on "contact" ("is_pinned", coalesce("last_message_at", '-infinity'::timestamptz), "id")`);
    this.addSql(`create table "message" ("id" bigserial primary key, "wa_message_id" text null, "client_message_id" text null, "contact_id" bigint not null, "direction" text check ("direction" in ('INBOUND', 'OUTBOUND')) not null, "type" text check ("type" in ('TEXT', 'IMAGE', 'VIDEO', 'AUDIO', 'DOCUMENT', 'STICKER', 'LOCATION', 'CONTACTS', 'INTERACTIVE', 'BUTTON', 'REACTION', 'TEMPLATE', 'ORDER', 'SYSTEM', 'UNSUPPORTED')) not null, "wa_type" text null, "text" text null, "status" text check ("status" in ('PENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'RECEIVED')) not null, "source" text check ("source" in ('CUSTOMER', 'API', 'BUSINESS_APP')) not null default 'CUSTOMER', "business_phone_number_id" text null, "timestamp" timestamptz not null default now(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sent_at" timestamptz null, "delivered_at" timestamptz null, "read_at" timestamptz null, "played_at" timestamptz null, "failed_at" timestamptz null, "error_code" int null, "error_title" text null, "error_message" text null, "error_details" text null, "payload" jsonb null, "raw" jsonb null, "context_wa_message_id" text null, "forwarded" boolean not null default false, "frequently_forwarded" boolean not null default false, "referral" jsonb null, "edited_at" timestamptz null, "edit_history" jsonb not null default '[]', "deleted_at" timestamptz null)`);
    this.addSql(`alter table "message" add constraint "message_wa_message_id_unique" unique ("wa_message_id")`);
    this.addSql(`alter table "message" add constraint "message_client_message_id_unique" unique ("client_message_id")`);
    this.addSql(`create index "message_time_idx" on "message" ("timestamp")`);
    this.addSql(`create index "message_text_trgm_idx" on "message" using gin ("text" gin_trgm_ops)`);
    this.addSql(`create index "message_contact_time_idx" on "message" ("contact_id", "timestamp", "id")`);
    this.addSql(`create table "message_status_event" ("id" bigserial primary key, "wa_message_id" text not null, "status" text not null, "timestamp" timestamptz not null, "biz_opaque_callback_data" text null, "payload" jsonb not null, "applied" boolean not null default false, "created_at" timestamptz not null default now())`);
    this.addSql(`create index "message_status_event_unapplied_idx" on "message_status_event" ("wa_message_id") where not "applied"`);
    this.addSql(`alter table "message_status_event" add constraint "message_status_event_wamid_status_unique" unique ("wa_message_id", "status")`);
    this.addSql(`create table "webhook_event" ("id" bigserial primary key, "body" bytea not null, "headers" jsonb not null, "status" text check ("status" in ('PENDING', 'PROCESSING', 'PROCESSED', 'FAILED')) not null default 'PENDING', "received_at" timestamptz not null default now(), "processed_at" timestamptz null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "locked_until" timestamptz null, "last_error" text null)`);
    this.addSql(`create index "webhook_event_due_idx" on "webhook_event" ("next_attempt_at", "id") where "status" in ('PENDING', 'PROCESSING')`);
    this.addSql(`alter table "contact" add constraint "contact_last_message_id_foreign" foreign key ("last_message_id") references "message" ("id") on update cascade on delete set null`);
    this.addSql(`alter table "message" add constraint "message_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on update cascade on delete cascade`);
  }
}
