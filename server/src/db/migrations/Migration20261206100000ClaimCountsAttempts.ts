import { Migration } from '@mikro-orm/migrations';

/**
 * The claim of due webhook events counts the attempt and commits it on its own, before the batch
 * transaction applies the events: an event that kills the process while applied (a poison event) is
 * counted anyway, instead of being claimed again forever with its count rolled back with the batch.
 *
 * `inbox_claim_events(n, max_attempts, lease_seconds)`, in this order:
 * 1. events left PROCESSING by a claim whose lease ran out (the claimer died, or its batch failed) and
 *    that have had `max_attempts` attempts end FAILED, not claimed again (`gave_up`);
 * 2. else one such event with attempts left is claimed alone (`alone`): an earlier attempt did not
 *    finish, so it is applied on its own, and a crash then counts against it only, not its neighbours;
 * 3. else up to `n` PENDING due events, marked PROCESSING.
 * A claim sets `locked_until` to the lease's end (the claimer's batch transaction locks the rows well
 * before), and `next_attempt_at` too, so the ordered scan for due PENDING events stops before the
 * claimed ones. Its commit does not wait for the disk (synchronous_commit off for that transaction).
 * The PROCESSING index keeps the search for dead claims off the due backlog.
 */
export class Migration20261206100000ClaimCountsAttempts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "webhook_event_processing_idx" on "webhook_event" ("locked_until", "id") where "status" = 'PROCESSING'`);
    this.addSql(`drop function inbox_claim_events(integer)`);
    this.addSql(`create or replace function inbox_claim_events(n integer, max_attempts integer, lease_seconds double precision)
      returns table (id bigint, body bytea, attempts integer, alone boolean, gave_up boolean)
      language plpgsql volatile set enable_bitmapscan = off as $$
      #variable_conflict use_column
      begin
        -- The claim's commit need not wait for the disk: a claim lost with the database is only an
        -- attempt not counted, and the event is claimed again.
        perform set_config('synchronous_commit', 'off', true);
        return query
          update webhook_event e set status = 'FAILED', locked_until = null, next_attempt_at = now(),
            last_error = format('the process stopped while applying this event %s times', e.attempts)
          where e.id in (select d.id from webhook_event d
            where d.status = 'PROCESSING' and d.locked_until < now() and d.attempts >= max_attempts
            order by d.locked_until, d.id limit n for update skip locked)
          returning e.id, null::bytea, e.attempts, true, true;
        return query
          update webhook_event e set attempts = e.attempts + 1,
            next_attempt_at = now() + make_interval(secs => lease_seconds), locked_until = now() + make_interval(secs => lease_seconds)
          where e.id = (select d.id from webhook_event d
            where d.status = 'PROCESSING' and d.locked_until < now() and d.attempts < max_attempts
            order by d.locked_until, d.id limit 1 for update skip locked)
          returning e.id, e.body, e.attempts, true, false;
        if found then return; end if;
        return query
          update webhook_event e set status = 'PROCESSING', attempts = e.attempts + 1,
            next_attempt_at = now() + make_interval(secs => lease_seconds), locked_until = now() + make_interval(secs => lease_seconds)
          where e.id in (select d.id from webhook_event d
            where d.status in ('PENDING', 'PROCESSING') and d.status = 'PENDING' and d.next_attempt_at <= now()
            order by d.next_attempt_at, d.id limit n for update skip locked)
          returning e.id, e.body, e.attempts, false, false;
      end $$`);
  }
}
