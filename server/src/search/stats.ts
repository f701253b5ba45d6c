import type { Sql } from '../db/db.js';
import { compactCounters } from './counters.js';

/**
 * Every count of `stats` from the counters the triggers keep: messages (migration
 * Migration20261126050000QueryIndexes), contacts and their unread messages (Migration20261126070000ContactCount,
 * Migration20261206180000ContactUnreadCount). A few thousand rows however many messages and contacts there are.
 */
export const STATS_SQL = `
  with c as (
    select day, direction, status, error_code, error_title, sum(n::int) as n
    from (select * from inbox_stats.message_count union all select * from inbox_stats.message_count_delta) u
    group by 1, 2, 3, 4, 5 having sum(n::int) <> 0
  )
  select json_build_object(
    'byStatus', (select coalesce(json_agg(x order by x.direction, x.status), '[]') from
      (select direction, status, sum(n)::int as count from c group by 1, 2) x),
    'perDay', (select json_agg(x order by x.date) from
      (select to_char(d, 'YYYY-MM-DD') as date,
         coalesce(sum(c.n) filter (where c.direction = 'INBOUND'), 0)::int as inbound,
         coalesce(sum(c.n) filter (where c.direction = 'OUTBOUND'), 0)::int as outbound
       from generate_series((now() at time zone 'utc')::date - 29, (now() at time zone 'utc')::date, interval '1 day') d
       left join c on c.day = d::date group by d) x),
    'failures', (select coalesce(json_agg(x order by x.count desc, x.code), '[]') from
      (select error_code as code, max(error_title) as title, sum(n)::int as count from c where status = 'FAILED' group by 1) x),
    'contacts', (select json_build_object('n', coalesce(sum(n), 0)::int, 'unread', coalesce(sum(unread), 0)::int) from
      (select n, unread from inbox_stats.contact_count union all select n, unread from inbox_stats.contact_count_delta) k)
  ) as stats`;

/** The counts `stats` is made of: messages by status, day and error, contacts and their unread messages. */
export interface StatsRows {
  byStatus: Array<{ direction: string; status: string; count: number }>;
  perDay: Array<{ date: string; inbound: number; outbound: number }>;
  failures: Array<{ code: number | null; title: string | null; count: number }>;
  contacts: { n: number; unread: number };
}

/** Reads the counts of `stats`, the counters compacted first. */
export async function readStats(db: Sql): Promise<StatsRows> {
  await compactCounters(db);
  // SQL: one read of the counter tables, which are the triggers' (no entities).
  const { rows } = await db.query(STATS_SQL);
  return rows[0].stats;
}
