import { Migration } from '@mikro-orm/migrations';

/**
 * The number of contacts, kept like the message counters (Migration20261126050000QueryIndexes):
 * statement-level triggers append each insert's or delete's change to `inbox_stats.contact_count_delta`
 * (insert-only: writers never wait on each other) and `inbox_stats.compact_counts()` folds the deltas
 * into `inbox_stats.contact_count`. The unfiltered `contacts` page and `stats` read it instead of
 * counting 100,000 rows. A TRUNCATE of `contact` or `message` resets its counters (it fires no delete
 * triggers).
 */
export class Migration20261126070000ContactCount extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "inbox_stats"."contact_count" ("n" bigint not null)`);
    this.addSql(`create table "inbox_stats"."contact_count_delta" ("n" bigint not null)`);
    this.addSql(`create function "inbox_stats"."track_contact_count"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into "inbox_stats"."contact_count_delta" select count(*) from new_rows having count(*) > 0;
        elsif tg_op = 'DELETE' then
          insert into "inbox_stats"."contact_count_delta" select -count(*) from old_rows having count(*) > 0;
        else
          delete from "inbox_stats"."contact_count_delta";
          update "inbox_stats"."contact_count" set "n" = 0;
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger "contact_count_insert" after insert on "contact" referencing new table as new_rows for each statement execute function "inbox_stats"."track_contact_count"()`);
    this.addSql(`create trigger "contact_count_delete" after delete on "contact" referencing old table as old_rows for each statement execute function "inbox_stats"."track_contact_count"()`);
    this.addSql(`create trigger "contact_count_truncate" after truncate on "contact" for each statement execute function "inbox_stats"."track_contact_count"()`);
    this.addSql(`create function "inbox_stats"."reset_message_counts"() returns trigger language plpgsql as $$
      begin
        delete from "inbox_stats"."message_count_delta";
        delete from "inbox_stats"."message_count";
        return null;
      end $$`);
    this.addSql(`create trigger "message_count_truncate" after truncate on "message" for each statement execute function "inbox_stats"."reset_message_counts"()`);
    // Both kinds of counters folded in one call, one caller at a time.
    this.addSql(`create function "inbox_stats"."compact_counts"() returns void language plpgsql as $$
      begin
        perform "inbox_stats"."compact_message_counts"();
        if not exists (select 1 from "inbox_stats"."contact_count_delta") then return; end if;
        if not pg_try_advisory_xact_lock(hashtext('inbox_stats.contact_count'), 0) then return; end if;
        with moved as (delete from "inbox_stats"."contact_count_delta" returning "n")
        update "inbox_stats"."contact_count" set "n" = "n" + (select coalesce(sum("n"), 0) from moved);
      end $$`);
    // The table is locked by the trigger creation above until commit: no insert slips between them.
    this.addSql(`insert into "inbox_stats"."contact_count" select count(*) from "contact"`);
  }
}
