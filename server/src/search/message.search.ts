/**
 * A page of `messages(search:)` across all conversations, newest first, found one of three ways:
 * - walk: read messages newest first, checking each; cheap when matches are dense.
 * - days: take the latest days' matches from the word index, which knows each message's day
 *   (Migration20261126110000DaySearch), then older days, twice as many each time.
 * - index: take every match from the word index and order them; cheap when matches are sparse.
 * The statistics know single words, not how often words occur together, so only a rare word (index)
 * or a single word (the cheaper of walk and index) is decided up front. Any other search first walks
 * the newest PROBE_ROWS rows, and the share of matches it saw prices each way for the rest.
 */
import { SEARCH_COUNT_LIMIT } from '../graphql/connection.js';
import { cappedCountSql } from './page.js';
import { selectList } from '../db/columns.js';
import { DAY_MS, dayOf, type WordSearch } from './word.search.js';
import type { Sql } from '../db/db.js';

/** Rows a search walks before it decides how to go on. */
export const PROBE_ROWS = 4000;

/**
 * Costs in µs, measured on the bench's data set (bench/FINDINGS.md): a row walked and checked, a
 * posting decoded by the index, a match read and ordered after the index found it, a statement.
 */
const WALK_ROW_US = 0.3;
export const INDEX_POSTING_US = 0.06;
const INDEX_MATCH_US = 1.8;
const STATEMENT_US = 300;

/** The way of least cost; on a tie, the first listed. */
function cheapest<K extends string>(costs: Record<K, number>): K {
  return (Object.entries(costs) as [K, number][]).reduce((a, b) => (b[1] < a[1] ? b : a))[0];
}

const ORDER = `order by timestamp desc, id desc`;

type Key = [string, string];

/** A search across all conversations: its words, the page size and cursor. */
export interface MessageSearch {
  words: WordSearch;
  first: number;
  /** The cursor: messages older than this (timestamp, id). */
  after?: Key;
  /** Forces a way (tests); otherwise as above. */
  way?: 'walk' | 'index' | 'probe+walk' | 'probe+index' | 'probe+days';
  probeRows?: number;
}

/** The rows of a search page, how they were found, and the page's count. */
export interface MessageSearchPage {
  /** Up to `first + 1` rows (a first page: up to SEARCH_COUNT_LIMIT + 1, which are its own count). */
  rows: Record<string, any>[];
  /** How the page was found, for tests and the bench: `probe` alone, or `probe+walk`, `probe+days`, `probe+index`, `index`, `walk`. */
  way: string;
  count: () => Promise<number>;
}

/**
 * The match as a walk checks it: a function call, which the word index cannot answer, so PostgreSQL
 * reads in time order as chosen here; as `@@` it could misjudge the probe, whose edge it cannot know.
 */
const checked = `ts_match_vq(search_vector, $1::tsquery)`;

const older = (key: Key | undefined, at: number) => (key ? `(timestamp, id) < ($${at}::timestamptz, $${at + 1}::bigint)` : 'true');

function walk(db: Sql, tsquery: string, limit: number, key?: Key) {
  return db.query(`select ${selectList('Message')} from message where ${checked} and ${older(key, 3)} ${ORDER} limit $2`, [tsquery, limit, ...(key ?? [])]);
}

/** The index's matches that `where` keeps (parameters from $3 on), ordered and cut to `limit` before rows are read whole. */
function indexPage(db: Sql, tsquery: string, limit: number, where: string, params: unknown[]) {
  return db.query(
    `with hits as materialized (select id, timestamp from message where search_vector @@ $1::tsquery and ${where})
     select ${selectList('Message')} from message where id in (select id from hits ${ORDER} limit $2) ${ORDER}`,
    [tsquery, limit, ...params],
  );
}

function viaIndex(db: Sql, tsquery: string, limit: number, key?: Key) {
  return indexPage(db, tsquery, limit, older(key, 3), key ?? []);
}

/** The matches of days `from` to `to` older than `key`, up to `limit`, newest first. */
function viaDays(db: Sql, tsquery: string, limit: number, from: number, to: number, key: Key) {
  const days = Array.from({ length: to - from + 1 }, (_, i) => to - i);
  return indexPage(db, tsquery, limit, `message_day(timestamp) = any($3::int[]) and ${older(key, 4)}`, [days, ...key]);
}

/**
 * The matches among the newest `probe` rows older than `key`, up to `limit`, with the timestamps of
 * the last (`edge`) and first (`top`) of those rows, in one statement so all come from one snapshot.
 * At least one row comes back: without a match, it holds only the edge and top.
 */
function probeWalk(db: Sql, tsquery: string, limit: number, probe: number, key?: Key) {
  return db.query(
    `with edge as materialized (select
        coalesce((select timestamp from message where ${older(key, 4)} order by timestamp desc offset $3 - 1 limit 1), '-infinity') as at,
        (select timestamp from message where ${older(key, 4)} order by timestamp desc limit 1) as top)
     select edge.at as probe_edge, edge.top as probe_top, m.* from edge left join lateral (
       select ${selectList('Message')} from message where ${checked} and ${older(key, 4)} and timestamp >= edge.at ${ORDER} limit $2
     ) m on true`,
    [tsquery, limit, probe, ...(key ?? [])],
  );
}

/** A page of messages matching `o.words` across all conversations, found the cheapest way (see above). */
export async function searchMessages(db: Sql, o: MessageSearch): Promise<MessageSearchPage> {
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
  const way = (name: 'walk' | 'index', need: number, key?: Key) => (name === 'walk' ? walk : viaIndex)(db, words.tsquery, need, key);

  // A rare word, or one word (whose share the statistics know): no need to look first.
  const start = o.way?.startsWith('probe') ? 'probe' : (o.way ?? (words.rare ? 'index' : words.words === 1 ? cheapest(cost(limit, words.share)) : 'probe'));
  if (start !== 'probe') return done((await way(start as 'walk' | 'index', limit, after)).rows, start);

  const probe = o.probeRows ?? PROBE_ROWS;
  const { rows: read } = await probeWalk(db, words.tsquery, limit, probe, after);
  const { probe_edge: edge, probe_top: top } = read[0]! as { probe_edge: Date | number; probe_top: Date };
  const found = read.filter((r) => r.id != null);
  for (const r of found) delete r.probe_edge, delete r.probe_top;
  // A full page, or every row read: nothing more to find.
  if (found.length === limit || !(edge instanceof Date)) return done(found, 'probe');
  const need = limit - found.length;
  const share = found.length / probe;
  // Rows a day brings before the edge: the probe's rate, capped at the table's mean (a burst would make
  // every day look huge and rule out the days way), but at least the probe's rows.
  const rowsToRead = share > 0 ? need / share : Infinity;
  const probeRate = (probe / Math.max(top.getTime() - edge.getTime(), 1)) * DAY_MS;
  const rowsPerDay = Math.min(probeRate, Math.max(words.rowsPerDay, probe));
  const daysUs = share > 0 ? Math.max(rowsToRead, rowsPerDay) * INDEX_POSTING_US * (1 + words.postings) + need * INDEX_MATCH_US + STATEMENT_US : Infinity;
  const rest = o.way ? (o.way.slice('probe+'.length) as 'walk' | 'index' | 'days') : cheapest({ ...cost(need, share), days: daysUs });
  if (rest !== 'days') {
    // Older than the edge: (edge, 0) is before every row at the edge (ids are positive).
    const { rows: more } = await way(rest, need, [edge.toISOString(), '0']);
    return done([...found, ...more], `probe+${rest}`);
  }
  const days = Number.isFinite(rowsToRead) ? rowsToRead / rowsPerDay : 1; // (forced without a match)
  return done([...found, ...(await pastDays(db, words.tsquery, need, edge, days))], 'probe+days');
}

/** Searches of days before the rest go through the whole index: enough for a sparse year. */
const MAX_DAY_STEPS = 8;

/**
 * Up to `need` matches older than `edge`, back from its day: first the `days` that should hold them,
 * then twice as many each time; after MAX_DAY_STEPS, the rest of the index at once.
 */
async function pastDays(db: Sql, tsquery: string, need: number, edge: Date, days: number): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  let key: Key = [edge.toISOString(), '0'];
  let to = dayOf(edge.getTime());
  let span = Math.max(1, Math.ceil(days * 1.25));
  let oldest: number | undefined;
  for (let step = 0; out.length < need; step++) {
    if (step === MAX_DAY_STEPS) return [...out, ...(await viaIndex(db, tsquery, need - out.length, key)).rows];
    const from = to - span + 1;
    out.push(...(await viaDays(db, tsquery, need - out.length, from, to, key)).rows);
    if (out.length >= need) break;
    oldest ??= (await db.query<{ day: number | null }>(`select message_day(min(timestamp)) as day from message`)).rows[0]!.day ?? from;
    if (from <= oldest) break;
    key = [new Date(from * DAY_MS).toISOString(), '0'];
    to = from - 1;
    span *= 2;
  }
  return out;
}
