import { selectList } from '../db/columns.js';
import { SEARCH_COUNT_LIMIT } from '../graphql/connection.js';
import { cappedCountSql, type PageSql } from './page.js';
import type { WordSearch } from './word.search.js';

const ORDER = `order by timestamp desc, id desc`;

/**
 * The SQL of a `messages` page and of its count: a list, or a search within one conversation, read
 * in time order whatever the words since a conversation is short (searchMessages covers all). A
 * search's first page reads up to SEARCH_COUNT_LIMIT + 1 rows, and so is its own count.
 */
export function messagesSql(o: { contactId?: string; search?: WordSearch; first: number; after?: [string, string] }): PageSql {
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  const where: string[] = [];
  if (o.contactId != null) where.push(`contact_id = ${p(o.contactId)}`);
  if (o.search) where.push(`search_vector @@ ${p(o.search.tsquery)}::tsquery`);
  const countWhere = [...where];
  const countParams = [...params];
  if (o.after) where.push(`(timestamp, id) < (${p(o.after[0])}::timestamptz, ${p(o.after[1])}::bigint)`);
  const filter = (w: string[]) => (w.length ? `where ${w.join(' and ')}` : '');
  const countFromPage = !!o.search && !o.after;
  const limit = p(countFromPage ? Math.max(o.first + 1, SEARCH_COUNT_LIMIT + 1) : o.first + 1);
  const page = `select ${selectList('Message')} from message ${filter(where)} ${ORDER} limit ${limit}`;
  const count = o.search ? cappedCountSql(`select 1 from message ${filter(countWhere)}`) : `select count(*)::int as n from message ${filter(countWhere)}`;
  return { page, params, count, countParams, countFromPage };
}
