import type { Sql } from '../db/db.js';
import { SEARCH_COUNT_LIMIT } from '../graphql/connection.js';

/**
 * The SQL of a list page and of its count, as messagesSql and contactsSql make it. With `countFromPage`
 * (a search's first page, which reads up to SEARCH_COUNT_LIMIT + 1 rows), the rows read are the count.
 */
export interface PageSql {
  page: string;
  params: unknown[];
  count: string;
  countParams: unknown[];
  countFromPage: boolean;
}

/** The rows of the page `sql` describes. */
export async function readRows(db: Sql, sql: PageSql): Promise<Record<string, any>[]> {
  return (await db.query(sql.page, sql.params)).rows;
}

/** The count of a page that `sql` read as `rows`, for toPage: the rows themselves, or the count query. */
export function pageCount(pool: Sql, sql: PageSql, rows: unknown[]): () => Promise<number> {
  return sql.countFromPage ? async () => rows.length : async () => (await pool.query(sql.count, sql.countParams)).rows[0].n as number;
}

/**
 * Reads the page `sql` describes with `read`, and its count for toPage. A count the client asked for
 * (`counted`) runs beside the page on a second connection, so both take one round trip.
 */
export async function readPage<R>(pool: Sql, sql: PageSql, counted: boolean, read: () => Promise<R[]>): Promise<{ rows: R[]; count: () => Promise<number> }> {
  if (!counted || sql.countFromPage) {
    const rows = await read();
    return { rows, count: pageCount(pool, sql, rows) };
  }
  const counting = pool.query(sql.count, sql.countParams).then((r) => r.rows[0].n as number);
  counting.catch(() => undefined); // a failure is the count field's error, when the page itself is read
  return { rows: await read(), count: () => counting };
}

/** `select count(*)` of `query` (a `select … from … where …`), counting at most SEARCH_COUNT_LIMIT + 1 rows. */
export const cappedCountSql = (query: string) => `select count(*)::int as n from (${query} limit ${SEARCH_COUNT_LIMIT + 1}) s`;
