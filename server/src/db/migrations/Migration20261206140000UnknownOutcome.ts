import { Migration } from '@mikro-orm/migrations';

/** The UNKNOWN message status: a send whose outcome we could not learn waits for a status webhook or a person. */
export class Migration20261206140000UnknownOutcome extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "message" drop constraint if exists "message_status_check"`);
    this.addSql(`alter table "message" add constraint "message_status_check" check ("status" in ('PENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'RECEIVED', 'CANCELLED', 'UNKNOWN'))`);
  }
}
