import { Migration } from '@mikro-orm/migrations';

/**
 * The words triggers (Migration20261126090000SearchWords) look each word of a new message up in
 * `inbox_search.word` by its key, and no longer in `inbox_search.word_new`. Their statement is
 * planned once per connection and the plan kept, and both tables were often tiny when it was planned:
 * `word` on a new inbox, `word_new` after every compaction (it swings from empty to tens of thousands
 * of rows and back every 10 s). Planned so, the statement read the whole table for every batch, or for
 * every message: after a 30 s burst of 90,000 new words, one message took 30–40 ms to insert (a new
 * message reached the widget in 30–38 ms at p50 instead of 9–11) and a batch of 250 over 100 ms.
 * Now each word is one lookup in `word`'s key (a subquery, which PostgreSQL cannot turn into a join,
 * with sequential scans off, so the key is the only way), whatever the table's size when planned.
 * A word new to the inbox can be appended again by another message before the next compaction;
 * compaction and the prefix lookup already take each word once.
 */
export class Migration20261126130000NewWordsUnchecked extends Migration {
  override async up(): Promise<void> {
    const add = (from: string) => `insert into "inbox_search"."word_new"
          select distinct w from ${from}, unnest(tsvector_to_array(n."search_vector")) u, lateral (select u collate "C" as w) x
          where (select true from "inbox_search"."word" s where s."word" = x.w limit 1) is null`;
    const fn = (name: string, from: string) => `create or replace function "inbox_search"."${name}"() returns trigger language plpgsql
      set enable_seqscan = off as $$
      begin
        ${add(from)};
        return null;
      end $$`;
    this.addSql(fn('track_words', 'new_rows n'));
    this.addSql(fn('track_edited_words', '(select new."search_vector") n'));
  }
}
