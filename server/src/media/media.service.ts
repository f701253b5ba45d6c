import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Tx } from '../db/tx.js';
import type { WhatsAppClient } from '../whatsapp/whatsapp.client.js';
import { downloadToFile, mediaDir, PermanentMediaError } from './media.store.js';
import { notify } from '../pubsub/topics.js';
import type { Db } from '../db/db.js';

/** The pg-boss queue of inbound media downloads. */
export const MEDIA_QUEUE = 'media-download';

/** One download job: our message and Meta's media object as the webhook carried it. */
export interface MediaJob {
  messageId: string;
  waMediaId: string;
  sha256?: string | null;
  mimeType?: string | null;
}

const WORKERS = 2;

/**
 * Downloads inbound media soon after the webhook, into DATA_DIR/media. Each media message gets a
 * `media` row and a pg-boss job in the transaction that stores the message; failures (Meta down, an
 * expired URL, a sha256 mismatch) are retried by pg-boss with exponential backoff, and after
 * `config.media.downloadAttempts` the row is FAILED with the last error. The message never depends on it.
 * Uses the PgBoss instance of the outbound queue (no second one).
 */
export class MediaService {
  readonly dir: string;
  private readonly inFlight = new Set<Promise<unknown>>();
  private started = false;

  constructor(private readonly deps: { pool: Db; boss: PgBoss; whatsapp: WhatsAppClient; config: Config; log: Logger }) {
    this.dir = mediaDir(deps.config.dataDir);
  }

  private get retry() {
    const { downloadAttempts, retryDelaySeconds } = this.deps.config.media;
    return { retryLimit: downloadAttempts - 1, retryDelay: retryDelaySeconds, retryBackoff: true, expireInSeconds: 300 };
  }

  /** Creates (or updates) the queue and starts the download workers. Call after pg-boss started. */
  async start(): Promise<void> {
    const { boss } = this.deps;
    await boss.createQueue(MEDIA_QUEUE, { name: MEDIA_QUEUE, policy: 'standard', ...this.retry });
    await boss.updateQueue(MEDIA_QUEUE, { name: MEDIA_QUEUE, policy: 'standard', ...this.retry });
    for (let i = 0; i < WORKERS; i++) {
      await boss.work<MediaJob>(MEDIA_QUEUE, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: 1 }, (jobs) => this.track(this.handle(jobs)));
    }
    this.started = true;
  }

  /** Stops taking jobs and waits for the downloads in flight (before pg-boss stops). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.deps.boss.offWork(MEDIA_QUEUE).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Records a media message's file as PENDING and queues its download, inside the caller's transaction. */
  async enqueue(tx: Tx, messageId: string, media: Record<string, any>): Promise<void> {
    const job: MediaJob = { messageId, waMediaId: String(media.id), sha256: media.sha256 ?? null, mimeType: media.mime_type ?? null };
    const row = await tx.one(
      `insert into media (message_id, wa_media_id, mime_type, sha256, filename) values ($1, $2, $3, $4, $5)
       on conflict (message_id) do nothing returning id`,
      [messageId, job.waMediaId, job.mimeType, job.sha256, typeof media.filename === 'string' ? media.filename : null],
    );
    if (!row) return;
    const db = { executeSql: (text: string, values: unknown[]) => tx.client.query(text, values) };
    await this.deps.boss.send(MEDIA_QUEUE, job, { ...this.retry, db });
  }

  /** Media files queued or being retried. */
  async backlog(): Promise<number> {
    const { rows } = await this.deps.pool.query(`select count(*)::int as n from media where status = 'PENDING'`);
    return rows[0].n;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  private async handle([job]: PgBoss.JobWithMetadata<MediaJob>[]): Promise<void> {
    if (!job) return;
    const { messageId } = job.data;
    const { rows } = await this.deps.pool.query(`select status from media where message_id = $1`, [messageId]);
    if (!rows[0] || rows[0].status !== 'PENDING') return; // message deleted, or already settled
    try {
      const f = await downloadToFile(this.deps.whatsapp, job.data, this.dir);
      await this.settle(messageId, `status = 'DOWNLOADED', path = $2, size = $3, sha256 = $4, mime_type = $5, last_error = null, downloaded_at = now()`, [f.file, f.size, f.sha256, f.mimeType]);
      this.deps.log.debug({ messageId, size: f.size }, 'media downloaded');
    } catch (err) {
      const permanent = err instanceof PermanentMediaError;
      const final = permanent || job.retryCount >= job.retryLimit;
      const message = (err as Error).message ?? String(err);
      this.deps.log[final ? 'error' : 'warn']({ messageId, attempt: job.retryCount + 1, err: message }, final ? 'media download failed' : 'media download will be retried');
      await this.settle(messageId, `last_error = $2${final ? `, status = 'FAILED'` : ''}`, [message.slice(0, 2000)]);
      if (!permanent) throw err; // pg-boss retries (or marks the job failed after the last attempt)
    }
  }

  /** Updates the media row (one more attempt) and tells subscribers the message changed. */
  private async settle(messageId: string, set: string, params: unknown[]): Promise<void> {
    await this.deps.pool.transaction(async (tx) => {
      const row = await tx.one(
        `update media set ${set}, attempts = attempts + 1, updated_at = now() where message_id = $1
         returning status, (select contact_id from message where id = $1) as contact_id`,
        [messageId, ...params],
      );
      if (row && row.status !== 'PENDING') await notify(tx, 'MESSAGE_STATUS_CHANGED', { id: messageId, contactId: String(row.contact_id) });
    });
  }
}
