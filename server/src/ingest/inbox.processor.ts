import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { ClaimedEvent } from '../webhook/webhook-event.repository.js';
import { parseWebhookBody, PermanentWebhookError } from '../webhook/webhook.payload.js';
import { ingestEnvelope, type IngestHooks } from './ingest.js';
import { ingestBatch, type ParsedEvent } from './ingest.batch.js';
import type { Tx } from '../db/tx.js';
import type { Db } from '../db/db.js';
import type { IngestBatchRepos } from './ingest.batch.js';

/** How the inbox processor retries, batches and polls. */
export interface InboxOptions {
  maxAttempts: number;
  retryBaseMs: number;
  /** How long a committed claim holds its events; after that they count as left by a dead process. */
  claimLeaseMs?: number;
  batchSize?: number;
  /** How often to look for due retries and events left by other processes. */
  pollMs?: number;
  /** After a partial batch of several events, how long to let more gather before claiming again. */
  lingerMs?: number;
}

/**
 * Processes stored webhook events off the request path, in batches. A claim (`FOR UPDATE SKIP LOCKED`,
 * several processes share the work) counts each event an attempt and commits at once, holding the
 * events for a lease; then one transaction locks them again, applies them (the usual events set-wise
 * through ingestBatch, the rest one at a time, each in a savepoint) and marks them processed or
 * records their failure, so each event is applied exactly once. Failures are retried with exponential
 * backoff up to `maxAttempts`, after which the event stays FAILED with its error until replayed.
 * A process that dies mid-batch has applied nothing of it, but the attempts stay counted: once the
 * lease runs out its events are claimed again one at a time, so an event that kills the process every
 * time (a poison event) ends FAILED after `maxAttempts` while its neighbours are processed.
 */
export class InboxProcessor {
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private get batchSize(): number {
    return this.opts.batchSize ?? 250;
  }

  constructor(
    private readonly pool: Db,
    private readonly repos: IngestBatchRepos,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly opts: InboxOptions,
    /** What a batch calls out to (media downloads, template syncs, AUTO_ASSIGN); a second processor takes the same. */
    readonly hooks: IngestHooks = {},
  ) {}

  /** Starts polling and processes what is due now. */
  start(): void {
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Asks for a run soon; runs never overlap, a kick during a run causes one more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Waits until every event claimed so far is finished. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops claiming new events and waits for the batch in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.idle();
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped) {
        const { claimed, more } = await this.processBatch();
        if (more) continue; // events left by a dead claim, taken one at a time: the next is due now
        // Nothing else was due: an event stored since kicks again, so a lone event is never held back.
        if (claimed <= 1) return;
        // Events are streaming in: let more gather, so a batch's fixed cost is shared by more events.
        if (claimed < this.batchSize) await new Promise((r) => setTimeout(r, this.opts.lingerMs ?? 40));
      }
    } catch (err) {
      // The database is gone or the commit failed: nothing of the batch was applied, its events are due again alone.
      this.log.warn({ err: (err as Error).message }, 'inbox: could not process events; will retry');
    }
  }

  /**
   * Claims up to `batchSize` due events (the claim commits, counting the attempt) and applies them in
   * one transaction, each event inside its own savepoint: one commit (one wait for the disk) for the
   * batch, while a failing event rolls back alone and is retried alone. Returns how many events it
   * took, and whether more events left by a dead claim may be due at once.
   */
  private async processBatch(): Promise<{ claimed: number; more: boolean }> {
    const claims = await this.repos.webhookEvents.claim(this.batchSize, this.opts.maxAttempts, (this.opts.claimLeaseMs ?? 10_000) / 1000);
    for (const ev of claims.filter((c) => c.gaveUp)) {
      this.log.error({ eventId: ev.id, attempts: ev.attempts }, 'webhook event failed: the process stopped while applying it every time');
      this.metrics.webhookFailed.inc();
    }
    const batch = claims.filter((c) => !c.gaveUp);
    const more = claims.length > batch.length || batch.some((c) => c.alone);
    if (batch.length === 0) return { claimed: claims.length, more };
    let processed = 0;
    try {
      processed = await this.pool.transaction((tx) => this.apply(tx, batch));
    } catch (err) {
      // Claimed but not applied: let the events be claimed again now rather than after the lease.
      await this.repos.webhookEvents.release(batch).catch(() => undefined);
      throw err;
    }
    if (processed) this.metrics.webhookProcessed.inc(processed);
    return { claimed: claims.length, more };
  }

  /** Applies claimed events in the caller's transaction; returns how many were processed. */
  private async apply(tx: Tx, claims: ClaimedEvent[]): Promise<number> {
    // Locked for this transaction; an event whose lease ran out and that was claimed again elsewhere is left to that claim.
    const mine = new Set(await this.repos.webhookEvents.lockClaimed(tx, claims));
    const batch = claims.filter((ev) => mine.has(String(ev.id)));
    batch.sort((a, b) => Number(a.id) - Number(b.id));
    const failures: Array<{ ev: ClaimedEvent; err: unknown }> = [];
    const parsed: Array<ParsedEvent & { ev: ClaimedEvent }> = [];
    for (const ev of batch) {
      try {
        parsed.push({ id: String(ev.id), envelope: parseWebhookBody(ev.body), ev });
      } catch (err) {
        failures.push({ ev, err });
      }
    }
    // The usual events set-wise; whatever that leaves (or all, if it fails) one at a time.
    let done = new Set<string>();
    try {
      done = await tx.savepoint(() => ingestBatch(tx, this.repos, parsed, this.hooks));
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'inbox: batch path failed; applying the events one at a time');
    }
    let processed = done.size;
    for (const { id, envelope, ev } of parsed) {
      if (done.has(id)) continue;
      try {
        await tx.savepoint(async () => {
          await ingestEnvelope(tx, this.repos, envelope, id, this.hooks);
          await this.repos.webhookEvents.markProcessed(tx, [id]);
        });
        processed++;
      } catch (err) {
        failures.push({ ev, err });
      }
    }
    // Still under the batch's row locks (a savepoint's rollback keeps locks taken before it).
    for (const { ev, err } of failures) await this.recordFailure(tx, ev, err);
    return processed;
  }

  private async recordFailure(tx: Tx, ev: ClaimedEvent, err: unknown): Promise<void> {
    const permanent = isPermanent(err);
    const final = permanent || ev.attempts >= this.opts.maxAttempts;
    const delayMs = Math.min(this.opts.retryBaseMs * 2 ** (ev.attempts - 1), 3_600_000);
    // PostgreSQL's text columns cannot hold NUL, which a parse error may quote from the body.
    const message = ((err as Error)?.message ?? String(err)).replaceAll('\u0000', '\\u0000');
    this.log[final ? 'error' : 'warn']({ eventId: ev.id, attempts: ev.attempts, err: message }, final ? 'webhook event failed' : 'webhook event will be retried');
    if (final) this.metrics.webhookFailed.inc();
    await this.repos.webhookEvents.recordFailure(tx, { id: ev.id, attempts: ev.attempts, final, error: message.slice(0, 2000), retryInSeconds: delayMs / 1000 });
  }
}

/**
 * A failure that the same event would hit again on every attempt: an unreadable body, a value our
 * code cannot take (TypeError, RangeError), or data PostgreSQL refuses (SQLSTATE class 22, and 23
 * except unique and foreign-key violations, which a concurrent writer can cause). Connection losses,
 * deadlocks, timeouts and unknown errors are retried.
 */
export function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentWebhookError || err instanceof TypeError || err instanceof RangeError) return true;
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return code.startsWith('22') || (code.startsWith('23') && code !== '23505' && code !== '23503');
}
