import { Migration } from '@mikro-orm/migrations';

/**
 * Who sent what: the agent or API key behind an outbound message, and who launched a bulk send (its
 * messages name no sender of their own). Deleting an agent or a key keeps their messages, unattributed.
 */
export class Migration20261206010000SentBy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "message"
      add column "sent_by_agent_id" bigint null references "agent" ("id") on delete set null,
      add column "sent_by_api_key_id" bigint null references "api_key" ("id") on delete set null`);
    this.addSql(`alter table "bulk_send"
      add column "launched_by_agent_id" bigint null references "agent" ("id") on delete set null,
      add column "launched_by_api_key_id" bigint null references "api_key" ("id") on delete set null`);
  }
}
