import { Migration } from '@mikro-orm/migrations';

/**
 * The words of all messages (`inbox_search.word`), so that a search's last word, typed so far, can be
 * looked up as the words it starts: "parc" becomes 'parcel' | 'parcels'. The word index answers
 * exact words quickly; a prefix makes it collect every posting of every word in the range, which for
 * two frequent words cost 18–36 ms instead of 5 (see word.search.ts).
 * Kept like the message counters: a statement-level trigger appends the words of inserted messages
 * that are in neither table to `inbox_search.word_new` (insert-only, no unique key: writers never
 * wait on each other), an edit's new words likewise, and `inbox_search.compact_words()` moves them
 * into `inbox_search.word` (one caller at a time). Readers look in both, so a word is there as soon as
 * its message is committed. Words of deleted messages stay: a word that matches nothing costs the
 * index nothing. `inbox_search.prefix_words(text, n)` gives the words a search's last word starts.
 * The tables live in their own schema, out of the ORM's diff.
 */
export class Migration20261126090000SearchWords extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "inbox_search"`);
    this.addSql(`create table "inbox_search"."word" ("word" text collate "C" primary key)`);
    this.addSql(`create table "inbox_search"."word_new" ("word" text collate "C" not null)`);
    this.addSql(`create index "word_new_word_idx" on "inbox_search"."word_new" ("word")`);
    const add = (from: string) => `insert into "inbox_search"."word_new"
          select distinct w from ${from}, unnest(tsvector_to_array(n."search_vector")) u, lateral (select u collate "C" as w) x
          where not exists (select 1 from "inbox_search"."word" s where s."word" = w)
            and not exists (select 1 from "inbox_search"."word_new" s where s."word" = w)`;
    this.addSql(`create function "inbox_search"."track_words"() returns trigger language plpgsql as $$
      begin
        ${add('new_rows n')};
        return null;
      end $$`);
    this.addSql(`create function "inbox_search"."track_edited_words"() returns trigger language plpgsql as $$
      begin
        ${add('(select new."search_vector") n')};
        return null;
      end $$`);
    this.addSql(`create trigger "message_words_insert" after insert on "message" referencing new table as new_rows for each statement execute function "inbox_search"."track_words"()`);
    this.addSql(`create trigger "message_words_edit" after update of "text" on "message" for each row when (old."text" is distinct from new."text") execute function "inbox_search"."track_edited_words"()`);
    this.addSql(`create function "inbox_search"."compact_words"() returns void language plpgsql as $$
      begin
        if not exists (select 1 from "inbox_search"."word_new") then return; end if;
        if not pg_try_advisory_xact_lock(hashtext('inbox_search.word'), 0) then return; end if;
        with moved as (delete from "inbox_search"."word_new" returning "word")
        insert into "inbox_search"."word" select distinct "word" from moved order by 1 on conflict do nothing;
      end $$`);
    // The words that the last word of typed text starts, as message_search_query takes it as a prefix
    // (the last word, three characters or more): null when it is none, else up to `n` words, in order.
    const range = `"word" >= l.p and "word" < l.p || chr(1114111)`;
    this.addSql(`create function "inbox_search"."prefix_words"(q text, n int) returns text[] language sql stable strict parallel safe as $$
      select case when length(l.p) >= 3 then array(
        select "word" from (select "word" from "inbox_search"."word" where ${range} union select "word" from "inbox_search"."word_new" where ${range}) w
        order by 1 limit n) end
      from (select lexeme collate "C" as p from unnest(to_tsvector('simple', q)) order by (select max(x) from unnest(positions) x) desc limit 1) l
    $$`);
    // The table is locked by the trigger creation above until commit: no message slips between them.
    this.addSql(`insert into "inbox_search"."word" select distinct u collate "C" from "message", unnest(tsvector_to_array("search_vector")) u order by 1`);
  }
}
