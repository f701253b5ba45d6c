import { Migration } from '@mikro-orm/migrations';

/**
 * Message search by words instead of substrings (see server/src/search/word.search.ts).
 * - `message.search_vector`: the text's words, lower-cased by PostgreSQL's default parser and the
 *   'simple' configuration (no stemming, no stop words), without their positions (nothing ranks or
 *   matches phrases), kept by PostgreSQL itself as a stored generated column, with a GIN index. It replaces the trigram index on `text`: a trigram index
 *   returns every row holding all the trigrams of a phrase of common words and each must then be
 *   rechecked (40–180 ms on a million messages); a word index answers the rare words at once, and
 *   the stored vector makes checking rows cheap when the frequent words are read in time order.
 * - `message_search_query(text)`: turns what a user typed into that tsquery, parsed by the same
 *   parser: every word must be present, the last one as a prefix (typed so far) when it has three
 *   characters or more (a prefix of one or two matches nearly everything, and collecting all those
 *   words costs the index more than the rest of the search: 14 ms for "1"). Immutable, so the
 *   planner folds it to a constant and estimates the words from the column's statistics.
 * Adding the column rewrites the table once.
 */
export class Migration20261126080000WordSearch extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "message_search_query"(q text) returns tsquery language sql immutable strict parallel safe as $$
      select string_agg('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || case when p = last and length(lexeme) >= 3 then ''':*' else '''' end, ' & ')::tsquery
      from (select lexeme, p, max(p) over () as last
            from (select lexeme, (select max(x) from unnest(positions) x) as p from unnest(to_tsvector('simple', q))) w) l
    $$`);
    this.addSql(`alter table "message" add column "search_vector" tsvector generated always as (strip(to_tsvector('simple'::regconfig, coalesce(text, ''::text)))) stored`);
    this.addSql(`create index "message_search_idx" on "message" using gin ("search_vector")`);
    this.addSql(`drop index "message_text_trgm_idx"`);
  }
}
