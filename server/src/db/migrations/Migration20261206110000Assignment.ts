import { Migration } from '@mikro-orm/migrations';

/**
 * Assignment: a conversation's one assignee (deleting the agent leaves it unassigned) and since when;
 * an agent's last round-robin turn (AUTO_ASSIGN). The list index leads with the assignee, so a tab
 * (Mine, Unassigned, one agent's) reads its page in list order; the partial one counts the open
 * conversations of each tab from the index alone.
 */
export class Migration20261206110000Assignment extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "contact"
      add column "assignee_id" bigint null references "agent" ("id") on delete set null,
      add column "assigned_at" timestamptz null`);
    this.addSql(`alter table "agent" add column "last_auto_assigned_at" timestamptz null`);
    this.addSql(`create index "contact_assignee_order_idx" on "contact" ("assignee_id", "is_pinned", coalesce("last_message_at", '-infinity'::timestamptz), "id") where "assignee_id" is not null`);
    this.addSql(`create index "contact_unassigned_order_idx" on "contact" ("is_pinned", coalesce("last_message_at", '-infinity'::timestamptz), "id") where "assignee_id" is null`);
    this.addSql(`create index "contact_open_assignee_idx" on "contact" ("assignee_id") where not "conversation_closed"`);
  }
}
