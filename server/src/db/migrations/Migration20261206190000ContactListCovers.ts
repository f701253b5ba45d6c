import { Migration } from '@mikro-orm/migrations';

/** The longest search document kept, in characters: four bytes each at most, so the list-order index's row stays under btree's 2,704 bytes. */
const SEARCH_TEXT_CHARS = 500;

/**
 * The list-order index also carries `last_message_at` and `search_text`, so a name search reading
 * the latest contacts in list order reads the index alone, not each contact's row (45,000 contacts
 * in 8 ms rather than 44 on a million; bench/FINDINGS.md). PostgreSQL reads an index alone only when
 * every column a query names is in it, hence `last_message_at` beside the key's coalesce of it.
 * A btree row must fit in a third of a page, so the search document is cut at SEARCH_TEXT_CHARS: a
 * profile name of kilobytes would otherwise fail its contact's every update.
 */
export class Migration20261206190000ContactListCovers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "contact" drop column "search_text"`); // and its trigram index
    this.addSql(`alter table "contact" add column "search_text" text generated always as (left(' ' || lower(coalesce("display_name", '') || ' ' || coalesce("profile_name", '') || ' ' || coalesce("wa_id", '') || ' ' || coalesce("username", '')), ${SEARCH_TEXT_CHARS})) stored`);
    this.addSql(`create index "contact_search_text_idx" on "contact" using gin ("search_text" gin_trgm_ops) with (gin_pending_list_limit = 256)`);
    this.addSql(`drop index "contact_list_order_idx"`);
    this.addSql(`create index "contact_list_order_idx" on "contact" ("is_pinned", coalesce("last_message_at", '-infinity'::timestamptz), "id") include ("last_message_at", "search_text")`);
  }
}
