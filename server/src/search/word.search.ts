/**
 * Message search by words (Migration20261126080000WordSearch): the text is parsed by PostgreSQL's
 * parser as the messages are ("#1234" is the word 1234); every word must be present, and the last
 * may be a prefix of three characters or more.
 *
 * For a word missing from the column's statistics PostgreSQL assumes few matches and reads the table
 * in time order, all of it when no message has the word; such a search is marked `rare` so that
 * callers take the index (message.search.ts, contact.search.ts).
 *
 * A prefix is searched as the words it starts (Migration20261126090000SearchWords), "parc" as
 * 'parcel' | 'parcels', because the index skips through the postings of exact words but collects
 * every posting of a prefix's range first; one that starts more than MAX_PREFIX_WORDS stays a prefix.
 */
import type { Sql } from '../db/db.js';
import { poolCache } from './pool.cache.js';

/** A search's words as a tsquery, and what the statistics say about how often it matches. */
export interface WordSearch {
  /** The tsquery, as text: `'tracking' & ('number' | 'numbers')`. Pass it as `$n::tsquery`. */
  tsquery: string;
  /** Estimated share of messages that match, as if words were independent; 0 when one is not among the most common. */
  share: number;
  /** Some word is not among the most common: the matches are few, and the index finds them. */
  rare: boolean;
  /** How many words it has. */
  words: number;
  /** The words' postings in the index, as a share of messages: the sum of their frequencies. */
  postings: number;
  /** Messages in the table, from the statistics. */
  rows: number;
  /** Messages a day brings on average, since the oldest one. */
  rowsPerDay: number;
  /** The least frequent word as a tsquery (`'parcel'`, `('parcel' | 'parcels')`), and its share of messages (0: not among the most common). */
  rarest: { tsquery: string; share: number };
}

interface WordStats {
  freq: Map<string, number>;
  rows: number;
  /** `message_day()` of the oldest message (null: none). */
  oldestDay: number | null;
}

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** `message_day()` of a time, as the index has it. */
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

/** Statistics change slowly (ANALYZE runs after a tenth of the table changed): read them once a minute. */
const STATS_TTL_MS = 60_000;

async function readStats(pool: Sql): Promise<WordStats> {
  const { rows } = await pool.query<{ elems: string[] | null; freqs: number[] | null; rows: number; oldest_day: number | null }>(
    `select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs, greatest(c.reltuples, 0)::float8 as rows,
       (select message_day(min(timestamp)) from message) as oldest_day
     from pg_class c left join pg_stats s on s.schemaname = current_schema() and s.tablename = 'message' and s.attname = 'search_vector'
     where c.oid = 'message'::regclass`,
  );
  const freq = new Map<string, number>();
  const { elems, freqs } = rows[0] ?? { elems: null, freqs: null };
  elems?.forEach((e, i) => freq.set(e, freqs![i]!));
  return { freq, rows: rows[0]?.rows ?? 0, oldestDay: rows[0]?.oldest_day ?? null };
}

/** The most common words and their frequencies, at most STATS_TTL_MS old (a stale copy serves while a new one is read). */
const wordStats = poolCache(STATS_TTL_MS, readStats);

/** The words of a tsquery's text (`'it''s':* & 'x'`), each with whether it is a prefix. */
export function tsqueryWords(tsquery: string): { word: string; prefix: boolean }[] {
  return [...tsquery.matchAll(/'((?:[^'\\]|''|\\.)*)'(:\*)?/g)].map((m) => ({
    word: m[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1'),
    prefix: !!m[2],
  }));
}

/** A prefix is searched as the words it starts when there are at most this many (see above). */
export const MAX_PREFIX_WORDS = 64;

/** A word as a tsquery operand: `'it''s'`. */
const operand = (word: string) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * The search for `text`, or null when it has no words (nothing can match). `text` is checked by the
 * caller (length, NUL); everything else is data to PostgreSQL's parser.
 */
export async function wordSearch(pool: Sql, text: string): Promise<WordSearch | null> {
  const [{ rows }, { freq, rows: messages, oldestDay }] = await Promise.all([
    pool.query<{ q: string | null; starting: string[] | null }>(`select message_search_query($1)::text as q, inbox_search.prefix_words($1, $2) as starting`, [text, MAX_PREFIX_WORDS + 1]),
    wordStats(pool),
  ]);
  const parsed = rows[0]?.q;
  const starting = rows[0]?.starting ?? [];
  if (!parsed) return null;
  let share = 1;
  let postings = 0;
  const operands: string[] = [];
  let rarest = { tsquery: '', share: Infinity };
  const parts = tsqueryWords(parsed);
  for (const { word, prefix } of parts) {
    let f = freq.get(word) ?? 0;
    if (prefix) for (const [w, wf] of freq) if (w !== word && w.startsWith(word)) f += wf;
    share *= Math.min(f, 1);
    postings += f;
    if (!prefix) operands.push(operand(word));
    // No word starts it: no message matches, and the index says so at once either way.
    else if (starting.length === 0 || starting.length > MAX_PREFIX_WORDS) operands.push(`${operand(word)}:*`);
    else operands.push(starting.length === 1 ? operand(starting[0]!) : `(${starting.map(operand).join(' | ')})`);
    if (f < rarest.share) rarest = { tsquery: operands.at(-1)!, share: f };
  }
  const days = oldestDay == null ? 1 : Math.max(1, dayOf(Date.now()) - oldestDay + 1);
  return { tsquery: operands.join(' & '), share, rare: share === 0, words: parts.length, postings, rows: messages, rowsPerDay: messages / days, rarest };
}
