import { Migration } from '@mikro-orm/migrations';

/**
 * The inbox's claim of due webhook events as one function, `inbox_claim_events(n)`, planned with
 * bitmap scans off for its own statement only (the function's `set` clause). The due-events index keeps
 * entries of processed events until vacuum: a bitmap scan would visit every one of them in the table
 * at every claim, while an ordered index scan stops after the first `n` due ones and marks the dead
 * entries it passes, so later scans skip them. Before, the processor switched bitmap scans off and on
 * around the claim with `set local`: two more round trips in every batch, of the 13 a lone event costs.
 * Events an older version left PROCESSING are due once its lock has expired (that process may still be
 * applying them).
 */
export class Migration20261126120000ClaimEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function inbox_claim_events(n integer) returns table (id bigint, body bytea, attempts integer)
      language sql volatile set enable_bitmapscan = off as $$
        select e.id, e.body, e.attempts + 1 from webhook_event e
        where e.status in ('PENDING', 'PROCESSING') and e.next_attempt_at <= now()
          and (e.status = 'PENDING' or e.locked_until < now())
        order by e.next_attempt_at, e.id limit n for update skip locked
      $$`);
  }
}
