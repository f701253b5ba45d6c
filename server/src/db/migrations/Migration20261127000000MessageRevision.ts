import { Migration } from '@mikro-orm/migrations';

/**
 * `message.revision`: one more with every update of the row, by a trigger, so no statement can
 * forget it. Updates of one row wait for each other's lock, so a higher revision is always the newer
 * copy. A client that receives copies of a message out of order (a mutation's answer after the
 * subscription frames for the statuses that followed it, a poll racing a frame) keeps the highest
 * and never shows a newer message as older again.
 */
export class Migration20261127000000MessageRevision extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "message" add column "revision" int not null default 0`);
    this.addSql(`create function "message_next_revision"() returns trigger language plpgsql as $$
      begin
        new."revision" := old."revision" + 1;
        return new;
      end $$`);
    this.addSql(`create trigger "message_revision" before update on "message" for each row execute function "message_next_revision"()`);
  }
}
