import { Migration } from '@mikro-orm/migrations';

/**
 * Every word a contact's messages hold, one row a contact (`inbox_search.contact_words`): a contact
 * search by words matches a contact whose conversation holds them all, in one message or several, and
 * looks each contact up by key. Before, it matched single messages and read every one that matched
 * first: "damaged parcel" read 28,000 messages at a million contacts (366 ms; bench/FINDINGS.md).
 * Kept by triggers on `message`: an insert adds the statement's new words to each contact, in contact
 * order (two batches never wait on each other in opposite orders), only when it adds any; an edit or
 * redaction reads the contact's words again from its messages, and a moved message adds its words to
 * its new contact; a delete (retention, erasure) reads them again, so no deleted message's words stay.
 * A deleted contact's row goes with it.
 */
export class Migration20261206200000ContactWords extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "inbox_search"."contact_words" (
      "contact_id" bigint primary key references "contact" ("id") on delete cascade,
      "words" tsvector not null)`);
    const wordsOf = (contact: string) => `coalesce((select array_to_tsvector(array_agg(distinct u)) from "message" m, unnest(tsvector_to_array(m."search_vector")) u
      where m."contact_id" = ${contact}), ''::tsvector)`;
    const add = (rows: string) => `insert into "inbox_search"."contact_words" as w ("contact_id", "words")
      ${rows}
      on conflict ("contact_id") do update set "words" = w."words" || excluded."words" where length(w."words" || excluded."words") > length(w."words")`;
    const fromRows = (table: string) => `select "contact_id", array_to_tsvector(array_agg(distinct u)) from ${table}, unnest(tsvector_to_array("search_vector")) u
      where "contact_id" is not null group by "contact_id" order by "contact_id"`;
    this.addSql(`create function "inbox_search"."track_contact_words"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          ${add(fromRows('new_rows'))};
        elsif tg_op = 'DELETE' then
          update "inbox_search"."contact_words" w set "words" = ${wordsOf('w."contact_id"')}
          where w."contact_id" in (select "contact_id" from old_rows);
        else
          if old."search_vector" is distinct from new."search_vector" then
            update "inbox_search"."contact_words" w set "words" = ${wordsOf('w."contact_id"')}
            where w."contact_id" in (old."contact_id", new."contact_id");
          end if;
          -- A contact with no row yet (its messages had no words), or one the message moved to.
          ${add(`select new."contact_id", new."search_vector" where new."contact_id" is not null and length(new."search_vector") > 0`)};
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger "message_contact_words_insert" after insert on "message" referencing new table as new_rows for each statement execute function "inbox_search"."track_contact_words"()`);
    this.addSql(`create trigger "message_contact_words_delete" after delete on "message" referencing old table as old_rows for each statement execute function "inbox_search"."track_contact_words"()`);
    this.addSql(`create trigger "message_contact_words_update" after update of "text", "contact_id" on "message" for each row
      when (old."search_vector" is distinct from new."search_vector" or old."contact_id" is distinct from new."contact_id") execute function "inbox_search"."track_contact_words"()`);
    // The table is locked by the trigger creation above until commit: no message slips between them.
    this.addSql(`insert into "inbox_search"."contact_words" ("contact_id", "words") ${fromRows('"message"')}`);
  }
}
