import { Migration } from '@mikro-orm/migrations';

/**
 * A contact's search document, `search_text`: a space, then display name, profile name, number and
 * username lower-cased and joined by spaces. PostgreSQL keeps it (a stored generated column, computed
 * again only when one of those columns changes, not at each new message), so a search compares it
 * with LIKE instead of lower-casing and joining four columns at every row it reads (bench/FINDINGS.md).
 * Its trigram index replaces the one on the joined expression; the leading space puts a word start
 * before the first word too, so a one- or two-letter search (`% lo%`, words starting "lo") has a
 * trigram (" lo") the index can answer.
 */
export class Migration20261206170000ContactSearchText extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "contact" add column "search_text" text generated always as (' ' || lower(coalesce("display_name", '') || ' ' || coalesce("profile_name", '') || ' ' || coalesce("wa_id", '') || ' ' || coalesce("username", ''))) stored`);
    this.addSql(`create index "contact_search_text_idx" on "contact" using gin ("search_text" gin_trgm_ops) with (gin_pending_list_limit = 256)`);
    this.addSql(`drop index "contact_search_trgm_idx"`);
  }
}
