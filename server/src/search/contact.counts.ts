import type { Sql } from '../db/db.js';

/** The open conversations (not closed) of the widget's tabs. */
export interface ContactCounts {
  mine: number;
  unassigned: number;
  all: number;
}

/** Counts the open conversations assigned to `agentId` (none for a caller who is no agent), unassigned, and in all. */
export async function contactCounts(pool: Sql, agentId: string | null): Promise<ContactCounts> {
  // SQL: three counts in one pass over the partial index of open conversations (contact_open_assignee_idx).
  const { rows } = await pool.query(
    `select count(*) filter (where assignee_id = $1::bigint)::int as mine, count(*) filter (where assignee_id is null)::int as unassigned, count(*)::int as "all"
     from contact where not conversation_closed`,
    [agentId],
  );
  return rows[0];
}
