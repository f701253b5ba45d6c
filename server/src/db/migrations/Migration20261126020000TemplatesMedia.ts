import { Migration } from '@mikro-orm/migrations';

/** Templates synced from Meta, and the local copies of media messages' files. */
export class Migration20261126020000TemplatesMedia extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "template" ("id" bigserial primary key, "wa_id" text null, "name" text not null, "language" text not null, "status" text not null, "category" text null, "components" jsonb not null default '[]', "parameter_format" text null, "quality" text null, "rejected_reason" text null, "updated_at" timestamptz not null default now(), "synced_at" timestamptz not null default now())`);
    this.addSql(`alter table "template" add constraint "template_name_language_unique" unique ("name", "language")`);
    this.addSql(`create table "media" ("id" bigserial primary key, "message_id" bigint not null, "wa_media_id" text not null, "mime_type" text null, "sha256" text null, "size" int null, "path" text null, "filename" text null, "status" text check ("status" in ('PENDING', 'DOWNLOADED', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "last_error" text null, "downloaded_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now())`);
    this.addSql(`alter table "media" add constraint "media_message_id_unique" unique ("message_id")`);
    this.addSql(`create index "media_pending_idx" on "media" ("id") where "status" = 'PENDING'`);
    this.addSql(`create index "media_wa_media_id_idx" on "media" ("wa_media_id")`);
    this.addSql(`alter table "media" add constraint "media_message_id_foreign" foreign key ("message_id") references "message" ("id") on update cascade on delete cascade`);
  }
}
