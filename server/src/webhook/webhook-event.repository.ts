import type { Tx } from '../db/tx.js';
import { SqlRepository } from '../db/repository.js';
import { AppError } from '../errors.js';
import { WebhookEventStatus, type WebhookEvent } from './webhook-event.entity.js';

/** A webhook POST to store: its raw body and the headers that matter. */
export interface StoredEvent {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * A due event claimed for processing; `attempts` counts this one. `alone`: an earlier attempt did
 * not finish (its claim ran out), so it is applied on its own. `gaveUp`: it had no attempts left and
 * was marked FAILED instead of claimed (no body).
 */
export interface ClaimedEvent {
  id: string;
  body: Buffer;
  attempts: number;
  alone: boolean;
  gaveUp: boolean;
}

/** How a failed attempt leaves its event: retried after `retryInSeconds`, or FAILED for good. */
export interface EventFailure {
  id: string;
  attempts: number;
  final: boolean;
  error: string;
  retryInSeconds: number;
}

/** Unfinished events by status (PENDING, PROCESSING, FAILED); statuses without events are absent. */
export type Backlog = Array<{ status: WebhookEventStatus; n: number }>;

const insertSql = (n: number) =>
  `insert into webhook_event (body, headers) values ${Array.from({ length: n }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')}`;

/**
 * The owner of `webhook_event`, the durable inbox: the webhook route stores events, the inbox
 * processor claims them and records how each ended, ops lists and replays them.
 */
export class WebhookEventRepository extends SqlRepository<WebhookEvent> {
  /** Stores events in one statement, committed on return; the webhook store groups them. */
  async store(events: readonly StoredEvent[]): Promise<void> {
    // SQL: one multi-row insert per group commit of the webhook route, with no entities to build.
    await this.db.query(insertSql(events.length), events.flatMap((e) => [e.body, e.headers]));
  }

  /**
   * Claims due events and commits the claim at once (Migration20261206100000ClaimCountsAttempts): each
   * is counted an attempt and held for `leaseSeconds`, so an attempt that kills the process still counts.
   * Events whose earlier claims never finished come one at a time, or FAILED once out of attempts.
   */
  async claim(limit: number, maxAttempts: number, leaseSeconds: number): Promise<ClaimedEvent[]> {
    // SQL: the claim is a database function (FOR UPDATE SKIP LOCKED), committed on its own before the batch.
    return (
      await this.db.query<ClaimedEvent>(
        `select id, body, attempts, alone, gave_up as "gaveUp" from inbox_claim_events($1, $2, $3)`,
        [limit, maxAttempts, leaseSeconds],
      )
    ).rows;
  }

  /**
   * Locks claimed events in the batch transaction that applies them, and answers the ids still held
   * by that claim: an event whose lease ran out before may have been claimed again elsewhere (its
   * attempts moved on), and must not be applied twice.
   */
  async lockClaimed(tx: Tx, claims: ReadonlyArray<Pick<ClaimedEvent, 'id' | 'attempts'>>): Promise<string[]> {
    // SQL: a locking read in the batch transaction; the row locks keep other claims off until it ends.
    const rows = await tx.rows<{ id: string }>(
      `select e.id from webhook_event e join unnest($1::bigint[], $2::int[]) c(id, attempts) on e.id = c.id
       where e.status = 'PROCESSING' and e.attempts = c.attempts order by e.id for update of e skip locked`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts)],
    );
    return rows.map((r) => String(r.id));
  }

  /** Ends the lease of claimed events whose batch transaction failed: due again at once, each alone. */
  async release(claims: ReadonlyArray<Pick<ClaimedEvent, 'id' | 'attempts'>>): Promise<void> {
    // SQL: one statement on the pool after the batch's rollback; only rows this claim still holds.
    await this.db.query(
      `update webhook_event e set next_attempt_at = now(), locked_until = now() from unnest($1::bigint[], $2::int[]) c(id, attempts)
       where e.id = c.id and e.status = 'PROCESSING' and e.attempts = c.attempts`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts)],
    );
  }

  /** Marks events PROCESSED in the transaction that applied them (their claim counted the attempt). */
  async markProcessed(tx: Tx, ids: string[]): Promise<void> {
    // SQL: runs in the caller's batch transaction (a Tx), beside statements of other tables.
    await tx.rows(
      `update webhook_event set status = 'PROCESSED', processed_at = now(), locked_until = null, last_error = null
       where id = any($1::bigint[])`,
      [ids],
    );
  }

  /** Records a failed attempt under the batch's row lock: due again after a delay, or FAILED. */
  async recordFailure(tx: Tx, f: EventFailure): Promise<void> {
    // SQL: runs in the processor's batch transaction (a Tx), which holds the event's row lock.
    await tx.rows(
      `update webhook_event set status = $2, attempts = $5, locked_until = null, last_error = $3,
         next_attempt_at = now() + make_interval(secs => $4) where id = $1`,
      [f.id, f.final ? WebhookEventStatus.FAILED : WebhookEventStatus.PENDING, f.error, f.final ? 0 : f.retryInSeconds, f.attempts],
    );
  }

  /** The events not processed yet, counted by status. */
  async backlog(): Promise<Backlog> {
    // SQL: an aggregate read on the pool, no entities to load.
    return (await this.db.query(`select status, count(*)::int as n from webhook_event where status not in ('PROCESSED', 'DISMISSED') group by 1`)).rows;
  }

  /** The latest `first` events, newest first, of one status or all. */
  list(status: WebhookEventStatus | undefined, first: number): Promise<WebhookEvent[]> {
    return this.find(status ? { status } : {}, { orderBy: { id: 'desc' }, limit: first });
  }

  /** Makes a stored event (typically FAILED) due again with a fresh count of attempts. */
  async replay(id: string): Promise<WebhookEvent> {
    const ev = /^\d+$/.test(id) ? await this.findOne(id) : null;
    if (!ev) throw new AppError('NOT_FOUND', `no webhook event ${id}`);
    if (ev.status === WebhookEventStatus.PROCESSING) throw new AppError('BAD_USER_INPUT', 'the event is being processed right now');
    ev.status = WebhookEventStatus.PENDING;
    ev.attempts = 0;
    ev.nextAttemptAt = new Date();
    await this.em.flush();
    return ev;
  }

  /** Gives a FAILED event up: it is kept as DISMISSED and pruned like a processed one. */
  async dismiss(id: string): Promise<WebhookEvent> {
    const ev = /^\d{1,18}$/.test(id) ? await this.findOne(id) : null;
    if (!ev) throw new AppError('NOT_FOUND', `no webhook event ${id}`);
    if (ev.status !== WebhookEventStatus.FAILED) throw new AppError('BAD_USER_INPUT', `only a FAILED event can be dismissed; this one is ${ev.status}`);
    ev.status = WebhookEventStatus.DISMISSED;
    ev.processedAt = new Date();
    await this.em.flush();
    return ev;
  }

  /**
   * Deletes up to `limit` bodies PROCESSED or DISMISSED more than `days` ago, oldest first, in a short
   * transaction of its own; rows a claim holds are skipped. Null when another process is pruning (the
   * try advisory lock), else how many rows went.
   */
  async prune(days: number, limit: number): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      // SQL: a transaction-level try lock, so one process prunes at a time and none waits for another.
      const lock = await tx.one<{ won: boolean }>(`select pg_try_advisory_xact_lock(hashtext('inbox-webhook-retention')) as won`);
      if (!lock?.won) return null;
      // SQL: a LIMITed delete by primary key over the finished-events index; SKIP LOCKED never waits for the inbox.
      const { rowCount } = await tx.query(
        `with doomed as (select id from webhook_event where status in ('PROCESSED', 'DISMISSED') and processed_at < now() - make_interval(days => $1)
           order by processed_at limit $2 for update skip locked)
         delete from webhook_event e using doomed d where e.id = d.id`,
        [days, limit],
      );
      return rowCount ?? 0;
    });
  }

  /**
   * The events whose raw body names any of `identifiers` as a JSON string: every unfinished one, and the
   * finished ones that finished since `since` (an event naming a contact finishes after it appeared).
   */
  async naming(identifiers: readonly string[], since: Date): Promise<string[]> {
    if (identifiers.length === 0) return [];
    // SQL: candidates come from the status indexes first, and only their bodies are searched, byte-wise.
    const { rows } = await this.db.query<{ id: string }>(
      `with candidate as materialized (
         select id from webhook_event where status in ('PROCESSED', 'DISMISSED') and processed_at >= $2
         union all select id from webhook_event where status = 'FAILED'
         union all select id from webhook_event where status in ('PENDING', 'PROCESSING'))
       select e.id::text as id from candidate c join webhook_event e on e.id = c.id
       where exists (select 1 from unnest($1::text[]) i where position(convert_to(to_json(i)::text, 'UTF8') in e.body) > 0)`,
      [identifiers, since],
    );
    return rows.map((r) => r.id);
  }

  /** Deletes these events, a few hundred per statement; answers how many were there. */
  async erase(ids: readonly string[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 500) {
      // SQL: a delete by primary key, in chunks so no statement holds many rows for long.
      const { rowCount } = await this.db.query(`delete from webhook_event where id = any($1::bigint[])`, [ids.slice(i, i + 500)]);
      n += rowCount ?? 0;
    }
    return n;
  }
}
