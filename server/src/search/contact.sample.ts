/**
 * How often a contact search's text is in the contacts' search documents, and its words in their
 * conversations, judged from a sample of contacts kept in memory: PostgreSQL's own guess of a LIKE
 * pattern comes from a hundred sampled documents and cannot see where the matches lie, and it has none
 * for words spread over a conversation; a search must decide, before it asks, between reading
 * contacts in list order (a frequent text) and taking every match from an index (a rare one).
 */
import type { Sql } from '../db/db.js';
import { tsqueryWords } from './word.search.js';

/** Contacts sampled (fewer when ids have gaps); a text found in none is in fewer than about 1/NAME_SAMPLE of all. */
export const NAME_SAMPLE = 2000;

/** The sample is read again after this long (as the word statistics, word.search.ts). */
const SAMPLE_TTL_MS = 60_000;

/** Sampled contacts' search documents and conversation words, and the number of contacts they stand for. */
export interface ContactSample {
  docs: string[];
  /** Each sampled contact's conversation words (`inbox_search.contact_words`), sorted; [] for none. */
  said: string[][];
  contacts: number;
  /** Each document's trigrams, as pg_trgm indexes them (made on the first candidateShare). */
  trigrams?: Set<string>[];
}

interface Entry {
  at: number;
  current?: ContactSample;
  reading?: Promise<ContactSample>;
}
const samples = new WeakMap<Sql, Entry>();

async function readSample(pool: Sql): Promise<ContactSample> {
  // SQL: NAME_SAMPLE random ids read by key, whatever the table's size; a block sample (TABLESAMPLE
  // SYSTEM) takes whole pages of contacts created together, who often share a surname, and misjudged
  // common names (bench/FINDINGS.md). The entity manager has no such read.
  const { rows } = await pool.query<{ contacts: number; sampled: [string, string[] | null][] | null }>(
    `with bounds as (select min(id) as lo, max(id) as hi from contact)
     select (select greatest(reltuples, 0)::float8 from pg_class where oid = 'contact'::regclass) as contacts,
       (select json_agg(json_build_array(c.search_text, tsvector_to_array(w.words))) from contact c
          left join inbox_search.contact_words w on w.contact_id = c.id
        where c.id = any(array(select lo + floor(random() * (hi - lo + 1))::bigint from bounds, generate_series(1, $1)))) as sampled`,
    [NAME_SAMPLE],
  );
  const sampled = rows[0]?.sampled ?? [];
  const docs = sampled.map(([doc]) => doc);
  const said = sampled.map(([, words]) => (words ?? []).sort());
  return { docs, said, contacts: Math.max(rows[0]?.contacts ?? 0, docs.length) };
}

/** The sample of `pool`'s contacts, at most SAMPLE_TTL_MS old (a stale one serves while a new one is read). */
export function contactSample(pool: Sql): Promise<ContactSample> {
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
export function sampledShare(sample: ContactSample, text: string, wordStart: boolean): number {
  if (!sample.docs.length) return 0;
  const needle = (wordStart ? ' ' : '') + text.toLowerCase();
  let n = 0;
  for (const d of sample.docs) if (d.includes(needle)) n++;
  return n / sample.docs.length;
}

/** A word as pg_trgm splits text: a run of letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

function addTrigrams(into: Set<string>, padded: string): void {
  const c = [...padded];
  for (let i = 0; i + 3 <= c.length; i++) into.add(c[i]! + c[i + 1]! + c[i + 2]!);
}

/** The trigrams pg_trgm keeps for a document: each word lower-cased, two spaces before it and one after. */
function documentTrigrams(doc: string): Set<string> {
  const out = new Set<string>();
  for (const [word] of doc.toLowerCase().matchAll(WORD)) addTrigrams(out, `  ${word} `);
  return out;
}

/**
 * The trigrams the index looks up for contactPattern(text): pg_trgm pads a word of a LIKE pattern
 * where a non-word character bounds it (or the space before a word-start search), not where a `%` does.
 */
export function patternTrigrams(text: string, wordStart: boolean): string[] {
  const s = text.toLowerCase();
  const out = new Set<string>();
  for (const m of s.matchAll(WORD)) {
    const end = m.index + m[0].length;
    addTrigrams(out, `${m.index > 0 || wordStart ? '  ' : ''}${m[0]}${end < s.length ? ' ' : ''}`);
  }
  return [...out];
}

/**
 * The share of sampled documents the trigram index would hand over for the search (those having
 * every trigram of the pattern), matching or not: each is read and checked, so the index's cost
 * follows these rather than the matches. "hedy h" asks for the trigrams of "hedy " and "  h", which
 * every Hedy has, while one in ten of them matches.
 */
export function candidateShare(sample: ContactSample, text: string, wordStart: boolean): number {
  if (!sample.docs.length) return 0;
  const wanted = patternTrigrams(text, wordStart);
  if (!wanted.length) return 1; // no trigram: the index hands over every contact
  sample.trigrams ??= sample.docs.map(documentTrigrams);
  let n = 0;
  for (const t of sample.trigrams) if (wanted.every((w) => t.has(w))) n++;
  return n / sample.docs.length;
}

/** Whether sorted `words` hold `word`, or for a prefix a word starting so. */
function holds(words: string[], word: string, prefix: boolean): boolean {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]! < word) lo = mid + 1;
    else hi = mid;
  }
  const at = words[lo];
  return at !== undefined && (prefix ? at.startsWith(word) : at === word);
}

/**
 * The share of sampled contacts whose conversation holds every word of `tsquery`, as wordSearch makes
 * it: operands joined by `&`, each a word, a prefix, or words joined by `|`.
 */
export function conversationShare(sample: ContactSample, tsquery: string): number {
  if (!sample.said.length) return 0;
  const operands = tsquery.split(' & ').map(tsqueryWords);
  let n = 0;
  for (const words of sample.said) if (operands.every((o) => o.some(({ word, prefix }) => holds(words, word, prefix)))) n++;
  return n / sample.said.length;
}
