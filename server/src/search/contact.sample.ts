/**
 * How often a contact search's text is in the contacts' search documents, judged from a sample of
 * them kept in memory: PostgreSQL's own guess of a LIKE pattern comes from a hundred sampled
 * documents and cannot see where the matches lie, and a search must decide, before it asks, between
 * reading contacts in list order (a frequent text) and taking every match from the trigram index (a
 * rare one).
 */
import type { Sql } from '../db/db.js';

/** Contacts sampled (fewer when ids have gaps); a text found in none is in fewer than about 1/NAME_SAMPLE of all. */
export const NAME_SAMPLE = 2000;

/** The sample is read again after this long (as the word statistics, word.search.ts). */
const SAMPLE_TTL_MS = 60_000;

/** Sampled search documents and the number of contacts they stand for. */
export interface NameSample {
  docs: string[];
  contacts: number;
}

interface Entry {
  at: number;
  current?: NameSample;
  reading?: Promise<NameSample>;
}
const samples = new WeakMap<Sql, Entry>();

async function readSample(pool: Sql): Promise<NameSample> {
  // SQL: NAME_SAMPLE random ids read by key, whatever the table's size; a block sample (TABLESAMPLE
  // SYSTEM) takes whole pages of contacts created together, who often share a surname, and misjudged
  // common names (bench/FINDINGS.md). The entity manager has no such read.
  const { rows } = await pool.query<{ contacts: number; docs: string[] | null }>(
    `with bounds as (select min(id) as lo, max(id) as hi from contact)
     select (select greatest(reltuples, 0)::float8 from pg_class where oid = 'contact'::regclass) as contacts,
       (select array_agg(search_text) from contact where id = any(array(
         select lo + floor(random() * (hi - lo + 1))::bigint from bounds, generate_series(1, $1)))) as docs`,
    [NAME_SAMPLE],
  );
  const docs = rows[0]?.docs ?? [];
  return { docs, contacts: Math.max(rows[0]?.contacts ?? 0, docs.length) };
}

/** The sample of `pool`'s contacts, at most SAMPLE_TTL_MS old (a stale one serves while a new one is read). */
export function nameSample(pool: Sql): Promise<NameSample> {
  let e = samples.get(pool);
  if (!e) samples.set(pool, (e = { at: 0 }));
  const entry = e;
  if (!entry.current || Date.now() - entry.at > SAMPLE_TTL_MS) {
    entry.reading ??= readSample(pool).then(
      (s) => ((entry.current = s), (entry.at = Date.now()), (entry.reading = undefined), s),
      (err) => {
        entry.reading = undefined;
        throw err;
      },
    );
    if (!entry.current) return entry.reading;
  }
  return Promise.resolve(entry.current);
}

/**
 * The share of sampled documents holding `text` (lower-cased) where contactPattern looks for it:
 * anywhere, or after a space when `wordStart`. An estimate: JavaScript's lower case is PostgreSQL's
 * for all but a few letters.
 */
export function sampledShare(sample: NameSample, text: string, wordStart: boolean): number {
  if (!sample.docs.length) return 0;
  const needle = (wordStart ? ' ' : '') + text.toLowerCase();
  let n = 0;
  for (const d of sample.docs) if (d.includes(needle)) n++;
  return n / sample.docs.length;
}
