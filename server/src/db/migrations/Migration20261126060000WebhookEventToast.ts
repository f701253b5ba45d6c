import { Migration } from '@mikro-orm/migrations';

/**
 * A webhook event's row is updated twice on its way (claimed, processed), and PostgreSQL writes a
 * whole new row version each time. With the body and headers kept out of line (TOAST, uncompressed:
 * they are read whole, once), those versions are a hundred bytes instead of the body's size.
 */
export class Migration20261126060000WebhookEventToast extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_event" set (toast_tuple_target = 128)`);
    this.addSql(`alter table "webhook_event" alter column "body" set storage external`);
    this.addSql(`alter table "webhook_event" alter column "headers" set storage external`);
  }
}
