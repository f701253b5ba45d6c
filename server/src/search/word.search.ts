/**
 * Message search by words (Migration20261126080000WordSearch). A search is the words a user typed,
 * parsed by PostgreSQL's own text-search parser as the messages' words are: each must be a word of
 * the text, case-insensitively, and the last one may be only the start of one (what the user has
 * typed so far; Algolia calls this "prefixLast") once it has three characters. Punctuation is no
 * word: "#1234" is the word 1234, and a search without any word finds nothing.
 *
 * PostgreSQL answers such a search in one of two ways. A rare word is found at once through the GIN
 * index; a frequent one is cheaper to find by reading messages newest first until a page is full.
 * The planner picks between them from the column's statistics, which list the most common words
 * with their frequencies. For a word not on that list it assumes up to 0.5 % of the rows, and then
 * reads the table in time order; when the word is in no message at all, that is every row (0.5–1 s
 * on a million messages). So a search with a word off the list is told to use the index here
 * (`rare`), and the rest is left to the planner.
 */
import type pg from 'pg';

export interface WordSearch {
  /** The tsquery, as text: `'tracking' & 'num':*`. Pass it as `$n::tsquery`. */
  tsquery: string;
  /**
   * Estimated share of messages that match, from the statistics' word frequencies (as if words
   * were independent); 0 when a word is not among the most common ones.
   */
  share: number;
  /** Some word is not among the most common: the matches are few, and the index finds them. */
  rare: boolean;
}

interface WordStats {
  at: number;
  freq: Map<string, number>;
}

/** Statistics change slowly (ANALYZE runs after a tenth of the table changed): read them once a minute. */
const STATS_TTL_MS = 60_000;
const stats = new WeakMap<pg.Pool, { current?: WordStats; reading?: Promise<WordStats> }>();

async function readStats(pool: pg.Pool): Promise<WordStats> {
  const { rows } = await pool.query<{ elems: string[] | null; freqs: number[] | null }>(
    `select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs
     from pg_stats where schemaname = current_schema() and tablename = 'message' and attname = 'search_vector'`,
  );
  const freq = new Map<string, number>();
  const { elems, freqs } = rows[0] ?? { elems: null, freqs: null };
  elems?.forEach((e, i) => freq.set(e, freqs![i]!));
  return { at: Date.now(), freq };
}

/** The most common words of messages and their frequencies, at most STATS_TTL_MS old (a stale copy serves while a new one is read). */
function wordStats(pool: pg.Pool): Promise<WordStats> {
  let entry = stats.get(pool);
  if (!entry) stats.set(pool, (entry = {}));
  const e = entry;
  if (!e.current || Date.now() - e.current.at > STATS_TTL_MS) {
    e.reading ??= readStats(pool).then(
      (s) => ((e.current = s), (e.reading = undefined), s),
      (err) => {
        e.reading = undefined;
        throw err;
      },
    );
    if (!e.current) return e.reading;
  }
  return Promise.resolve(e.current);
}

/** The words of a tsquery's text (`'it''s':* & 'x'`), each with whether it is a prefix. */
export function tsqueryWords(tsquery: string): { word: string; prefix: boolean }[] {
  return [...tsquery.matchAll(/'((?:[^'\\]|''|\\.)*)'(:\*)?/g)].map((m) => ({
    word: m[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1'),
    prefix: !!m[2],
  }));
}

/**
 * The search for `text`, or null when it has no words (nothing can match). `text` is checked by the
 * caller (length, NUL); everything else is data to PostgreSQL's parser.
 */
export async function wordSearch(pool: pg.Pool, text: string): Promise<WordSearch | null> {
  const [{ rows }, { freq }] = await Promise.all([
    pool.query<{ q: string | null }>(`select message_search_query($1)::text as q`, [text]),
    wordStats(pool),
  ]);
  const tsquery = rows[0]?.q;
  if (!tsquery) return null;
  let share = 1;
  for (const { word, prefix } of tsqueryWords(tsquery)) {
    let f = freq.get(word) ?? 0;
    if (prefix) for (const [w, wf] of freq) if (w !== word && w.startsWith(word)) f += wf;
    share *= Math.min(f, 1);
  }
  return { tsquery, share, rare: share === 0 };
}
