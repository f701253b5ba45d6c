import { Migration } from '@mikro-orm/migrations';

/**
 * Message counters for `stats`, so it reads a few thousand rows instead of every message (2 s on a
 * million). Statement-level triggers on `message` append the change of each statement to
 * `inbox_stats.message_count_delta` per (UTC day, direction, status, error code, error title):
 * insert-only, so concurrent writers never wait on each other. `inbox_stats.compact_message_counts()`
 * folds the deltas into `inbox_stats.message_count` (one caller at a time); readers add both tables,
 * so counts are exact at any moment. The tables live in their own schema, out of the ORM's diff.
 */
export class Migration20261126050000QueryIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "inbox_stats"`);
    const cols = `"day" date not null, "direction" text not null, "status" text not null, "error_code" int null, "error_title" text null`;
    this.addSql(`create table "inbox_stats"."message_count" (${cols}, "n" bigint not null)`);
    this.addSql(`create unique index "message_count_key" on "inbox_stats"."message_count" ("day", "direction", "status", "error_code", "error_title") nulls not distinct`);
    this.addSql(`create table "inbox_stats"."message_count_delta" (${cols}, "n" bigint not null)`);
    const key = (t: string) => `(${t}."timestamp" at time zone 'utc')::date, ${t}."direction", ${t}."status", ${t}."error_code", ${t}."error_title"`;
    const changed = `(o."timestamp", o."direction", o."status", o."error_code", o."error_title") is distinct from (n."timestamp", n."direction", n."status", n."error_code", n."error_title")`;
    this.addSql(`create function "inbox_stats"."track_message_counts"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into "inbox_stats"."message_count_delta" select ${key('n')}, count(*) from new_rows n group by 1, 2, 3, 4, 5;
        elsif tg_op = 'DELETE' then
          insert into "inbox_stats"."message_count_delta" select ${key('o')}, -count(*) from old_rows o group by 1, 2, 3, 4, 5;
        else
          insert into "inbox_stats"."message_count_delta"
          select d, dir, st, code, title, sum(k) from (
            select ${key('o')}, -1 from old_rows o join new_rows n using ("id") where ${changed}
            union all
            select ${key('n')}, 1 from old_rows o join new_rows n using ("id") where ${changed}
          ) x (d, dir, st, code, title, k)
          group by 1, 2, 3, 4, 5 having sum(k) <> 0;
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger "message_count_insert" after insert on "message" referencing new table as new_rows for each statement execute function "inbox_stats"."track_message_counts"()`);
    this.addSql(`create trigger "message_count_update" after update on "message" referencing old table as old_rows new table as new_rows for each statement execute function "inbox_stats"."track_message_counts"()`);
    this.addSql(`create trigger "message_count_delete" after delete on "message" referencing old table as old_rows for each statement execute function "inbox_stats"."track_message_counts"()`);
    this.addSql(`create function "inbox_stats"."compact_message_counts"() returns void language plpgsql as $$
      begin
        if not exists (select 1 from "inbox_stats"."message_count_delta") then return; end if;
        if not pg_try_advisory_xact_lock(hashtext('inbox_stats.message_count'), 0) then return; end if;
        with moved as (delete from "inbox_stats"."message_count_delta" returning *)
        insert into "inbox_stats"."message_count" ("day", "direction", "status", "error_code", "error_title", "n")
          select "day", "direction", "status", "error_code", "error_title", sum("n") from moved group by 1, 2, 3, 4, 5
          order by 1, 2, 3, 4, 5
        on conflict ("day", "direction", "status", "error_code", "error_title") do update set "n" = "message_count"."n" + excluded."n";
        delete from "inbox_stats"."message_count" where "n" = 0;
      end $$`);
    // The table is locked by the trigger creation above until commit: no write slips between them.
    this.addSql(`insert into "inbox_stats"."message_count" select ${key('m')}, count(*) from "message" m group by 1, 2, 3, 4, 5`);
  }
}
