import { Migration } from '@mikro-orm/migrations';

/**
 * The GIN indexes that searches read (`message_search_idx`, the words of messages, and
 * `contact_search_trgm_idx`, the trigrams of names and numbers) keep new entries in a pending list
 * until it reaches `gin_pending_list_limit` (4 MB by default) or vacuum runs, and every search reads
 * that whole list. With steady inbound traffic it is nearly always well filled: on the bench's
 * million messages, 20,000 new messages (3.5 MB pending) made "damaged parcel" 6 → 19–23 ms and a
 * word in no message 0.5 → 5–7 ms. Each contact's row is rewritten at every message, so the contact
 * list's fills even faster. At 256 kB the list is merged into the index about every thousand
 * messages by the writer that fills it; inserting 20,000 messages cost the same as with 4 MB
 * (1.3 s either way, against 1.7 s with no pending list at all), and searches stayed within 0.3 ms.
 */
export class Migration20261126100000GinPendingLimit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter index "message_search_idx" set (gin_pending_list_limit = 256)`);
    this.addSql(`alter index "contact_search_trgm_idx" set (gin_pending_list_limit = 256)`);
  }
}
