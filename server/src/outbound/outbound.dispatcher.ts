import DataLoader from 'dataloader';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { BulkSendRepository } from '../bulk/bulk-send.repository.js';
import type { Config } from '../config.js';
import { applyPendingStatuses, OPAQUE_PREFIX, type StatusRepos } from '../messages/message.status.js';
import type { Metrics } from '../metrics.js';
import { WhatsAppApiError, type SendResult, type WhatsAppClient } from '../whatsapp/whatsapp.client.js';
import { classifySendError } from '../whatsapp/whatsapp.errors.js';
import { notify, notifyMany } from '../pubsub/topics.js';
import type { Db } from '../db/db.js';
import type { Tx } from '../db/tx.js';
import type { OutcomeRow } from '../messages/message.repository.js';
import { Gate, Throughput } from './outbound.throughput.js';

/** One message to send, as a pg-boss job. */
export interface SendJob {
  messageId: string;
  contactId: string;
  /** Set for messages of a bulk send, which may be paused or cancelled. */
  bulkSendId?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Deps {
  boss: PgBoss;
  queue: string;
  pool: Db;
  repos: StatusRepos & { bulkSends: BulkSendRepository };
  config: Config;
  whatsapp: WhatsAppClient;
  log: Logger;
  metrics: Metrics;
}

/**
 * Takes send jobs from pg-boss and calls the Graph API, never faster than the number's throughput
 * (sliding one-second window at Meta) nor twice within the pair interval to one recipient, in order per
 * recipient. Each message is claimed in the database before the call, so a job delivered twice
 * never sends twice. A send Meta may have taken without our hearing so (timeout, a gateway's 5xx, an
 * answer without a wamid, a dispatcher dying mid-call) becomes UNKNOWN: a status webhook settles it,
 * and only a person sends it again (resendMessage); errors that prove nothing was sent are retried here.
 */
export class OutboundDispatcher {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly nextSlot = new Map<string, number>();
  private pausedUntil = 0;
  private readonly throughput: Throughput;
  private readonly claimedAhead: Gate;
  private readonly maxInFlight: number;
  // Each message needs a claim, a result and a job completion; batching each over a few milliseconds
  // shares one commit (one wait for the disk) among many messages.
  private readonly claims = batcher<string, Record<string, any> | null>((ids) => this.claimMany(ids));
  private readonly accepts = batcher<Accepted, true>((items) => this.acceptMany(items));
  private readonly completions = batcher<string, true>(async (ids) => {
    await this.d.boss.complete(this.d.queue, [...ids]);
    return ids.map(() => true as const);
  });

  constructor(private readonly d: Deps) {
    const rate = d.config.whatsapp.maxMessagesPerSecond;
    this.throughput = new Throughput(rate);
    // A tenth of a second's sends: more than a claim batch's commit takes, so slots never wait for claims.
    this.claimedAhead = new Gate(Math.max(2, Math.ceil(rate / 10)));
    this.maxInFlight = Math.max(50, rate * 2);
  }

  /** Starts fetching (the queue has handed out a dead dispatcher's jobs first). */
  async start(): Promise<void> {
    this.running = true;
    this.loop = this.run();
  }

  /** Fetches now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops fetching and waits for the sends in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const room = this.maxInFlight - this.inFlight.size;
        const jobs = room > 0 ? await this.d.boss.fetch<SendJob>(this.d.queue, { batchSize: Math.min(room, 500) }) : [];
        if (jobs.length === 0) {
          await new Promise<void>((resolve) => {
            this.wakeUp = resolve;
            setTimeout(resolve, room > 0 ? 250 : 20);
          });
          continue;
        }
        for (const job of jobs) this.schedule(job);
      } catch (err) {
        this.d.log.warn({ err: (err as Error).message }, 'outbound: fetching jobs failed; retrying');
        await sleep(1000);
      }
    }
  }

  /** Runs the job after earlier ones to the same recipient. */
  private schedule(job: PgBoss.Job<SendJob>): void {
    const key = job.data.contactId;
    const task = (this.chains.get(key) ?? Promise.resolve()).then(() => this.process(job)).catch((err) => {
      this.d.log.error({ err, messageId: job.data.messageId }, 'outbound: job crashed; it will be retried at expiry');
    });
    this.chains.set(key, task);
    this.inFlight.add(task);
    void task.finally(() => {
      this.inFlight.delete(task);
      if (this.chains.get(key) === task) this.chains.delete(key);
    });
  }

  private async process(job: PgBoss.Job<SendJob>): Promise<void> {
    const { messageId, contactId } = job.data;
    const { outbound } = this.d.config;
    const waitPair = (this.nextSlot.get(contactId) ?? 0) - Date.now();
    if (waitPair > 0) await sleep(waitPair);
    while (this.pausedUntil > Date.now()) await sleep(this.pausedUntil - Date.now());
    if (!this.running) return; // left active; the next dispatcher takes it over at once
    if (job.data.bulkSendId && (await this.bulkStatus(job.data.bulkSendId)) !== 'RUNNING') {
      // Paused or cancelled: the message stays QUEUED (resume queues it again) or was cancelled.
      await this.completions.load(job.id);
      return;
    }
    // Claim, then take the throughput slot: a slot held over the claim's commit would count that time
    // against the rate. The gate keeps only a few claimed messages waiting for their slot, so SENDING
    // still nearly means "on the wire" and a crash leaves few with an unknown outcome.
    const ahead = await this.claimedAhead.enter();
    if (!this.running) return ahead(); // as above: jobs waiting at the gate when the dispatcher stops are left
    let free: (() => void) | undefined;
    let row: Record<string, any> | null;
    let sent: SendResult | WhatsAppApiError | undefined;
    try {
      row = await this.claims.load(messageId);
      if (row && !row.to_blocked) {
        free = await this.throughput.take();
        ahead();
        sent = await this.send(row);
      }
    } finally {
      ahead();
      free?.();
    }
    if (!row) {
      const recheckIn = await this.abandoned(messageId);
      if (recheckIn) await this.d.boss.send(this.d.queue, job.data, { startAfter: recheckIn });
      await this.completions.load(job.id);
      return;
    }
    if (row.to_blocked) {
      await this.fail(row, { code: null, title: 'Contact blocked', message: 'the contact was blocked before the message was sent', details: null });
      await this.completions.load(job.id);
      return;
    }
    if (sent instanceof WhatsAppApiError) await this.failed(row, sent, job.data);
    else await this.accepts.load({ messageId, contactId, waMessageId: sent!.waMessageId });
    // Counted from Meta's answer, so the next message to this recipient arrives a full interval
    // after this one did, however the network delayed either.
    this.spaceRecipient(contactId, outbound.pairIntervalMs);
    await this.completions.load(job.id);
  }

  /** One Graph API call; Meta's error as a value, anything else thrown. */
  private async send(row: Record<string, any>): Promise<SendResult | WhatsAppApiError> {
    const started = process.hrtime.bigint();
    try {
      const result = await this.d.whatsapp.sendMessage(graphBody(row), row.business_phone_number_id ?? undefined);
      this.d.metrics.sendLatency.observe({ outcome: 'accepted' }, Number(process.hrtime.bigint() - started) / 1e9);
      return result;
    } catch (err) {
      this.d.metrics.sendLatency.observe({ outcome: 'error' }, Number(process.hrtime.bigint() - started) / 1e9);
      if (!(err instanceof WhatsAppApiError)) throw err;
      return err;
    }
  }

  private readonly bulkCache = new Map<string, { status: Promise<string>; at: number }>();

  /**
   * A bulk send's control state, re-read at most twice a second. The pending read is shared: jobs come
   * in batches of hundreds, which would otherwise each ask before the first answer is cached.
   */
  private bulkStatus(id: string): Promise<string> {
    const hit = this.bulkCache.get(id);
    if (hit && Date.now() - hit.at < 500) return hit.status;
    const status = this.d.repos.bulkSends.controlStatus(id).then(
      (control): string => control ?? 'CANCELLED',
      (err: unknown) => {
        if (this.bulkCache.get(id)?.status === status) this.bulkCache.delete(id);
        throw err;
      },
    );
    this.bulkCache.set(id, { status, at: Date.now() });
    return status;
  }

  private spaceRecipient(contactId: string, ms: number): void {
    this.nextSlot.set(contactId, Math.max(this.nextSlot.get(contactId) ?? 0, Date.now() + ms));
  }

  private async failed(row: Record<string, any>, err: WhatsAppApiError, data: SendJob): Promise<void> {
    const { outbound } = this.d.config;
    const verdict = classifySendError(err, row.send_attempts, outbound.pairIntervalMs);
    this.d.log.warn({ messageId: row.id, code: err.code, status: err.httpStatus, verdict: verdict.kind, err: err.message }, 'send failed');
    if (verdict.kind === 'unknown') {
      // Never sent again from here: a status webhook (biz_opaque_callback_data) settles it, else a person decides.
      await this.unknown((tx) => this.d.repos.messages.markUnknown(tx, String(row.id)));
      return;
    }
    if (verdict.kind === 'permanent' || row.send_attempts >= outbound.maxAttempts) {
      await this.fail(row, { code: err.code, title: err.title, message: err.message, details: err.details });
      return;
    }
    if (verdict.scope === 'number') this.pausedUntil = Math.max(this.pausedUntil, Date.now() + verdict.delayMs);
    if (verdict.scope === 'recipient') this.spaceRecipient(data.contactId, verdict.delayMs);
    await this.d.repos.messages.requeue(String(row.id));
    await this.d.boss.send(this.d.queue, data, { startAfter: Math.max(1, Math.ceil(verdict.delayMs / 1000)) });
  }

  private async fail(row: Record<string, any>, e: { code: number | null; title: string | null; message: string | null; details: string | null }) {
    await this.d.pool.transaction(async (tx) => {
      await this.d.repos.messages.markFailed(tx, String(row.id), e);
      await notify(tx, 'MESSAGE_STATUS_CHANGED', { id: String(row.id), contactId: String(row.contact_id) });
      if (row.bulk_send_id) await notify(tx, 'BULK_SEND_PROGRESS', { id: String(row.bulk_send_id) });
    });
  }

  /** Marks QUEUED messages SENDING, unless their bulk send is paused or cancelled. */
  private async claimMany(ids: readonly string[]): Promise<Array<Record<string, any> | null>> {
    return this.d.repos.messages.claimForSend(ids);
  }

  /** Applies a change to UNKNOWN and, when it happened, tells subscribers. */
  private async unknown(mark: (tx: Tx) => Promise<OutcomeRow | undefined>): Promise<boolean> {
    return this.d.pool.transaction(async (tx) => {
      const m = await mark(tx);
      if (!m) return false;
      await notify(tx, 'MESSAGE_STATUS_CHANGED', { id: m.id, contactId: m.contact_id });
      if (m.bulk_send_id) await notify(tx, 'BULK_SEND_PROGRESS', { id: m.bulk_send_id });
      return true;
    });
  }

  /** Records Meta's wamids, applies statuses that arrived first, and tells subscribers. */
  private async acceptMany(items: readonly Accepted[]): Promise<true[]> {
    await this.d.pool.transaction(async (tx) => {
      await this.d.repos.messages.markAccepted(tx, items);
      const waiting = await this.d.repos.statusEvents.waiting(tx, items.map((i) => i.waMessageId));
      for (const i of items) if (waiting.has(i.waMessageId)) await applyPendingStatuses(tx, this.d.repos, i.messageId, i.waMessageId);
      await notifyMany(tx, items.map((i) => ({ topic: 'MESSAGE_STATUS_CHANGED', payload: { id: i.messageId, contactId: i.contactId } })));
    });
    return items.map(() => true as const);
  }

  /**
   * A job whose message could not be claimed: when it is SENDING longer than a call can last, the
   * dispatcher that claimed it died mid-call, and it becomes UNKNOWN. Returns the seconds after which to
   * look again (a call may still be on the wire), 0 when nothing is left to do.
   */
  private async abandoned(messageId: string): Promise<number> {
    const callSeconds = Math.ceil(this.d.config.whatsapp.apiTimeoutMs / 1000) + ABANDON_MARGIN_SECONDS;
    if (await this.unknown((tx) => this.d.repos.messages.markAbandoned(tx, messageId, callSeconds))) return 0;
    return this.d.repos.messages.abandonWait(messageId, callSeconds);
  }
}

interface Accepted {
  messageId: string;
  contactId: string;
  waMessageId: string;
}

/** Beyond the API timeout, for a claim's commit and a busy event loop, before a SENDING message counts as abandoned. */
const ABANDON_MARGIN_SECONDS = 5;

/** Collects calls over a few milliseconds into one batch call. */
function batcher<K, V>(fn: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(fn, { cache: false, maxBatchSize: 500, batchScheduleFn: (run) => setTimeout(run, 10) });
}

/** The Graph API body of a stored outbound message. */
export function graphBody(row: Record<string, any>): Record<string, unknown> {
  const type = row.wa_type as string;
  return {
    ...(row.to_wa_id ? { to: row.to_wa_id } : { recipient: row.to_user_id }),
    type,
    [type]: row.payload?.[type],
    ...(row.context_wa_message_id ? { context: { message_id: row.context_wa_message_id } } : {}),
    biz_opaque_callback_data: `${OPAQUE_PREFIX}${row.id}`,
  };
}
