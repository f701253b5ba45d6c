/**
 * A page of `messages(search:)` across all conversations, newest first (word.search.ts has what a
 * search matches). There are two ways to find a page of matches:
 * - walk: read messages newest first, checking each, until the page is full. Cheap when matches are
 *   dense; a search whose words are each frequent but rarely together reads tens of thousands of
 *   rows for a page ("tracking number" on the bench's million messages: 35,000 rows, 15 ms).
 * - index: take every match from the word index, then order them. Its cost is the words' postings
 *   plus one row read per match, so it is for sparse matches ("tracking number": 10 ms), and ruinous
 *   for dense ones ("refund", 52,000 matches: 70 ms).
 * How dense the matches are is not known in advance: the statistics know single words, not how often
 * words occur together, which is exactly what differs between "tracking number" in real messages
 * and the same two words in random text. So a search with a word off the statistics' list goes
 * straight to the index (it is rare); a search of one word, whose share the statistics do know, takes
 * the cheaper way; and any other first walks the newest PROBE_ROWS rows. If that fills the page,
 * done; if not, the share of matches it saw tells the cost of walking on against that of the index
 * for the older rows, and the cheaper one finishes the page. Two frequent words that never occur
 * together would otherwise be walked through the whole table.
 */
import type pg from 'pg';
import { cappedCountSql, SEARCH_COUNT_LIMIT } from '../graphql/connection.js';
import { SAMPLE_ROWS, type WordSearch } from './word.search.js';

/** Rows a search walks before it decides how to go on. */
export const PROBE_ROWS = SAMPLE_ROWS;

/**
 * Costs of the two ways, in µs, measured on the bench's million messages (2 CPUs, all in shared
 * buffers): a row walked and checked; a posting of a word decoded by the index; a match read and
 * ordered after the index found it.
 */
const WALK_ROW_US = 0.3;
const INDEX_POSTING_US = 0.06;
const INDEX_MATCH_US = 1.8;

const ORDER = `order by timestamp desc, id desc`;

type Db = Pick<pg.Pool, 'query'>;
type Key = [string, string];

export interface MessageSearch {
  words: WordSearch;
  first: number;
  /** The cursor: messages older than this (timestamp, id). */
  after?: Key;
  /** Forces a way (tests); otherwise as above. */
  way?: 'walk' | 'index' | 'probe+walk' | 'probe+index';
  probeRows?: number;
}

export interface MessageSearchPage {
  /** Up to `first + 1` rows (a first page: up to SEARCH_COUNT_LIMIT + 1, which are its own count). */
  rows: Record<string, any>[];
  /** How the page was found, for tests and the bench: `probe` alone, or `probe+walk`, `probe+index`, `index`, `walk`. */
  way: string;
  count: () => Promise<number>;
}

const older = (key: Key | undefined, at: number) => (key ? `(timestamp, id) < ($${at}::timestamptz, $${at + 1}::bigint)` : 'true');

function walk(db: Db, tsquery: string, limit: number, key?: Key) {
  return db.query(`select * from message where search_vector @@ $1::tsquery and ${older(key, 3)} ${ORDER} limit $2`, [tsquery, limit, ...(key ?? [])]);
}

function viaIndex(db: Db, tsquery: string, limit: number, key?: Key) {
  return db.query(
    `with hits as materialized (select id, timestamp from message where search_vector @@ $1::tsquery and ${older(key, 3)})
     select * from message where id in (select id from hits ${ORDER} limit $2) ${ORDER}`,
    [tsquery, limit, ...(key ?? [])],
  );
}

/**
 * The matches among the newest `probe` rows (older than `key`; more where timestamps tie), up to
 * `limit`, and the timestamp of the last of those rows (`edge`), in one statement so both come from
 * the same snapshot. The edge is read from the time index alone; the matches are found as `walk` does.
 * At least one row comes back: without a match, it holds only the edge.
 */
function probeWalk(db: Db, tsquery: string, limit: number, probe: number, key?: Key) {
  return db.query(
    `with edge as materialized (select coalesce((select timestamp from message where ${older(key, 4)} order by timestamp desc offset $3 - 1 limit 1), '-infinity') as at)
     select edge.at as probe_edge, m.* from edge left join lateral (
       select * from message where search_vector @@ $1::tsquery and ${older(key, 4)} and timestamp >= edge.at ${ORDER} limit $2
     ) m on true`,
    [tsquery, limit, probe, ...(key ?? [])],
  );
}


export async function searchMessages(db: Db, o: MessageSearch): Promise<MessageSearchPage> {
  const { words, first, after } = o;
  const limit = after ? first + 1 : Math.max(first + 1, SEARCH_COUNT_LIMIT + 1);
  const count = (rows: unknown[]) =>
    after
      ? async () => (await db.query(cappedCountSql(`select 1 from message where search_vector @@ $1::tsquery`), [words.tsquery])).rows[0].n as number
      : async () => rows.length;
  const done = (rows: Record<string, any>[], way: string): MessageSearchPage => ({ rows, way, count: count(rows) });

  // What each way would cost to find `need` more matches, when a share `share` of the rows match.
  const cost = (need: number, share: number) => ({
    walk: share > 0 ? (need / share) * WALK_ROW_US : Infinity,
    index: (words.postings * words.rows * INDEX_POSTING_US) + share * words.rows * INDEX_MATCH_US,
  });
  const cheaper = (c: { walk: number; index: number }) => (c.walk <= c.index ? 'walk' : 'index');
  const way = (name: 'walk' | 'index', need: number, key?: Key) => (name === 'walk' ? walk : viaIndex)(db, words.tsquery, need, key);

  // A rare word, or one word (whose share the statistics know): no need to look first.
  const start = o.way?.startsWith('probe') ? 'probe' : (o.way ?? (words.rare ? 'index' : words.words === 1 ? cheaper(cost(limit, words.share)) : 'probe'));
  if (start !== 'probe') return done((await way(start as 'walk' | 'index', limit, after)).rows, start);

  const probe = o.probeRows ?? PROBE_ROWS;
  const { rows: read } = await probeWalk(db, words.tsquery, limit, probe, after);
  const edge = read[0]!.probe_edge as Date | number;
  const found = read.filter((r) => r.id != null);
  for (const r of found) delete r.probe_edge;
  // A full page, or every row read: nothing more to find.
  if (found.length === limit || edge === -Infinity) return done(found, 'probe');
  const need = limit - found.length;
  const rest = o.way ? (o.way.slice('probe+'.length) as 'walk' | 'index') : cheaper(cost(need, found.length / probe));
  // Older than the edge: (edge, 0) is before every row at the edge (ids are positive).
  const { rows: more } = await way(rest, need, [(edge as Date).toISOString(), '0']);
  return done([...found, ...more], `probe+${rest}`);
}
