import type { Logger } from 'pino';
import type { Sql } from '../db/db.js';

/** The number of contacts, from the counter its triggers keep (Migration20261126070000ContactCount). */
export const CONTACT_COUNT_SQL = `select ((select coalesce(sum(n), 0) from inbox_stats.contact_count)
  + (select coalesce(sum(n), 0) from inbox_stats.contact_count_delta))::int as n`;

/** Folds the counters' deltas (message and contact counts) into their totals; cheap when there are none. */
export async function compactCounters(pool: Sql): Promise<void> {
  await pool.query(`select inbox_stats.compact_counts()`);
}

/** Moves the words of new messages into the search's word list (Migration20261126090000SearchWords). */
export async function compactSearchWords(pool: Sql): Promise<void> {
  await pool.query(`select inbox_search.compact_words()`);
}

/** Compacts the counters and new words every `intervalMs`, so their delta tables stay short; returns the stop function. */
export function compactCountersEvery(pool: Sql, log: Logger, intervalMs = 10_000): () => void {
  const timer = setInterval(() => {
    compactCounters(pool).catch((err: Error) => log.warn({ err: err.message }, 'compacting the counters failed; retrying later'));
    compactSearchWords(pool).catch((err: Error) => log.warn({ err: err.message }, 'compacting the search words failed; retrying later'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
