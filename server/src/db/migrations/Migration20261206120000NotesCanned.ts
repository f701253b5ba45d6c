import { Migration } from '@mikro-orm/migrations';

/**
 * Internal notes (agents only, never sent to WhatsApp; erased with their contact) and canned replies
 * (shared answers picked by a unique shortcut).
 */
export class Migration20261206120000NotesCanned extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "note" (
      "id" bigserial primary key,
      "contact_id" bigint not null references "contact" ("id") on delete cascade,
      "text" text not null,
      "author_agent_id" bigint null references "agent" ("id") on delete set null,
      "author_api_key_id" bigint null references "api_key" ("id") on delete set null,
      "author_name" text not null,
      "mentioned_agent_ids" bigint[] not null default '{}',
      "created_at" timestamptz not null default now())`);
    // A conversation's notes are read newest first, as its messages.
    this.addSql(`create index "note_contact_idx" on "note" ("contact_id", "id" desc)`);
    this.addSql(`create table "canned_reply" (
      "id" bigserial primary key,
      "shortcut" text not null,
      "text" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "canned_reply_shortcut_unique" unique ("shortcut"))`);
  }
}
