import { Migration } from '@mikro-orm/migrations';

/**
 * The sum of `contact.unread_count`, kept beside the contact count (Migration20261126070000ContactCount)
 * so `stats` reads no contact row: summing them took 257 ms at 1,000,000 contacts and grew with the
 * inbox. The contact triggers' function appends each statement's change of the sum with its change of
 * the count to `inbox_stats.contact_count_delta` (`unread`), an UPDATE trigger too (new rows' sum minus
 * old rows', only when it moved); still insert-only, so writers never wait on each other.
 * `inbox_stats.compact_counts()` folds both columns; a TRUNCATE of `contact` resets both.
 */
export class Migration20261206180000ContactUnreadCount extends Migration {
  override async up(): Promise<void> {
    // Writers wait until commit, so none slips between the new function and the sum taken below.
    this.addSql(`lock table "contact" in share row exclusive mode`);
    this.addSql(`alter table "inbox_stats"."contact_count" add column "unread" bigint not null default 0`);
    this.addSql(`alter table "inbox_stats"."contact_count_delta" add column "unread" bigint not null default 0`);
    this.addSql(`create or replace function "inbox_stats"."track_contact_count"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          insert into "inbox_stats"."contact_count_delta" ("n", "unread")
          select 0, sum(k) from (select "unread_count" from new_rows union all select -"unread_count" from old_rows) x (k)
          having sum(k) <> 0;
        elsif tg_op = 'INSERT' then
          insert into "inbox_stats"."contact_count_delta" ("n", "unread")
          select count(*), coalesce(sum("unread_count"), 0) from new_rows having count(*) > 0;
        elsif tg_op = 'DELETE' then
          insert into "inbox_stats"."contact_count_delta" ("n", "unread")
          select -count(*), -coalesce(sum("unread_count"), 0) from old_rows having count(*) > 0;
        else
          delete from "inbox_stats"."contact_count_delta";
          update "inbox_stats"."contact_count" set "n" = 0, "unread" = 0;
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger "contact_count_update" after update on "contact" referencing old table as old_rows new table as new_rows for each statement execute function "inbox_stats"."track_contact_count"()`);
    this.addSql(`create or replace function "inbox_stats"."compact_counts"() returns void language plpgsql as $$
      begin
        perform "inbox_stats"."compact_message_counts"();
        if not exists (select 1 from "inbox_stats"."contact_count_delta") then return; end if;
        if not pg_try_advisory_xact_lock(hashtext('inbox_stats.contact_count'), 0) then return; end if;
        with moved as (delete from "inbox_stats"."contact_count_delta" returning "n", "unread")
        update "inbox_stats"."contact_count" set
          "n" = "n" + (select coalesce(sum("n"), 0) from moved),
          "unread" = "unread" + (select coalesce(sum("unread"), 0) from moved);
      end $$`);
    // A delta rather than an update of the total: right however many total rows there are.
    this.addSql(`insert into "inbox_stats"."contact_count_delta" ("n", "unread")
      select 0, sum("unread_count") from "contact" having sum("unread_count") <> 0`);
  }
}
