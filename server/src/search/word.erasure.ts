import type { Tx } from '../db/tx.js';

/** The distinct words of a contact's messages, read in an erasure's transaction before they are deleted. */
export async function contactWords(tx: Tx, contactId: string): Promise<string[]> {
  // SQL: the word tables are search's; the words come from the messages' search vectors (their contact index).
  const rows = await tx.rows<{ w: string }>(
    `select distinct u collate "C" as w from message, unnest(tsvector_to_array(search_vector)) u where contact_id = $1`,
    [contactId],
  );
  return rows.map((r) => r.w);
}

/**
 * Deletes from the word tables (`inbox_search.word`, `word_new`) those of `words` that no message has
 * any more, in the erasure's transaction once its messages are gone: an erased customer's words must not
 * be left for prefix search to show. Holds the compaction's lock, so no compaction moves a word meanwhile.
 * Answers how many words went.
 */
export async function forgetWords(tx: Tx, words: readonly string[]): Promise<number> {
  if (words.length === 0) return 0;
  // SQL: the same transaction-level advisory lock compact_words() tries, so the two never interleave.
  await tx.query(`select pg_advisory_xact_lock(hashtext('inbox_search.word'), 0)`);
  // SQL: each word checked against the word index of the remaining messages as a quoted tsquery lexeme.
  const rows = await tx.rows<{ n: number }>(
    `with gone as (
       select w collate "C" as w from unnest($1::text[]) w
       where not exists (select 1 from message m where m.search_vector @@ format('''%s''', replace(replace(w, '\\', '\\\\'), '''', ''''''))::tsquery)),
     a as (delete from inbox_search.word where word in (select w from gone) returning word),
     b as (delete from inbox_search.word_new where word in (select w from gone) returning word)
     select (select count(*) from (select word from a union select word from b) x)::int as n`,
    [words],
  );
  return rows[0]?.n ?? 0;
}
