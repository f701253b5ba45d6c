import { Migration } from '@mikro-orm/migrations';

/**
 * The word index also knows each message's day (`message_day(timestamp)`, whole UTC days since 1970,
 * through btree_gin), so a search can take the matches of the latest days only, newest first, instead
 * of every match of every day. Two frequent words rarely together ("tracking number": 2,900 of a
 * million messages) cost the word index 10 ms for all their matches, or 12 ms read in time order; for
 * the newest days that fill a page, 3–5 ms (message.search.ts). The day is one more key per message
 * in the same index, which replaces the single-column one (searches on words alone use it as before).
 * `message_day` is immutable: seconds since 1970 do not depend on the time zone.
 */
export class Migration20261126110000DaySearch extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists btree_gin`);
    this.addSql(`create function "message_day"(ts timestamptz) returns int language sql immutable strict parallel safe as $$
      select floor(extract(epoch from ts) / 86400)::int
    $$`);
    this.addSql(`drop index "message_search_idx"`);
    this.addSql(`create index "message_search_idx" on "message" using gin ("message_day"("timestamp"), "search_vector") with (gin_pending_list_limit = 256)`);
  }
}
