import { Migration } from '@mikro-orm/migrations';

/**
 * A conversation's history (assigned, unassigned, closed, reopened), appended as it happens, so the
 * team figures count per period. Deleting a contact deletes its history; deleting an agent keeps it,
 * unattributed. By time for the team's totals, by agent and time for each agent's, by contact and time
 * for the first-response rule (a close between two messages starts a new conversation) and for the
 * contact's cascade delete.
 */
export class Migration20261206160000ConversationEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "conversation_event" (
      "id" bigserial primary key,
      "contact_id" bigint not null references "contact" ("id") on delete cascade,
      "agent_id" bigint null references "agent" ("id") on delete set null,
      "kind" text not null check ("kind" in ('ASSIGNED', 'UNASSIGNED', 'CLOSED', 'REOPENED')),
      "at" timestamptz not null default now())`);
    this.addSql(`create index "conversation_event_at_idx" on "conversation_event" ("at")`);
    this.addSql(`create index "conversation_event_agent_at_idx" on "conversation_event" ("agent_id", "at")`);
    this.addSql(`create index "conversation_event_contact_at_idx" on "conversation_event" ("contact_id", "at")`);
  }
}
