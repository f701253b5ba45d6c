import type { MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Tx } from '../db/tx.js';
import type { WhatsAppClient } from '../whatsapp/whatsapp.client.js';
import { Media, MediaDownloadStatus } from './media.entity.js';
import type { DownloadOutcome } from './media.repository.js';
import { downloadToFile, mediaDir, PermanentMediaError, removeMediaFiles } from './media.store.js';
import { MediaUrls } from './media.url.js';
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
  /** Signs the short-lived URLs of downloaded files (MessageMedia.url). */
  readonly urls: MediaUrls;
  private readonly inFlight = new Set<Promise<unknown>>();
  private started = false;

  constructor(private readonly deps: { orm: MikroORM; pool: Db; boss: PgBoss; whatsapp: WhatsAppClient; config: Config; log: Logger }) {
    this.dir = mediaDir(deps.config.dataDir);
    this.urls = new MediaUrls(deps.config.session.secrets);
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

  /** The media table's repository, on a fresh fork of the entity manager. */
  private media() {
    return this.deps.orm.em.fork().getRepository(Media);
  }

  /** Records a media message's file as PENDING and queues its download, inside the caller's transaction. */
  async enqueue(tx: Tx, messageId: string, media: Record<string, any>): Promise<void> {
    const job: MediaJob = { messageId, waMediaId: String(media.id), sha256: media.sha256 ?? null, mimeType: media.mime_type ?? null };
    const added = await this.media().add(tx, {
      messageId, waMediaId: job.waMediaId, mimeType: job.mimeType ?? null, sha256: job.sha256 ?? null,
      filename: typeof media.filename === 'string' ? media.filename : null,
    });
    if (!added) return;
    const db = { executeSql: (text: string, values: unknown[]) => tx.query(text, values) };
    await this.deps.boss.send(MEDIA_QUEUE, job, { ...this.retry, db });
  }

  /** Media files queued or being retried. */
  backlog(): Promise<number> {
    return this.media().pendingCount();
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  private async handle([job]: PgBoss.JobWithMetadata<MediaJob>[]): Promise<void> {
    if (!job) return;
    const { messageId } = job.data;
    const stored = await this.media().ofMessage(messageId);
    if (stored?.status !== MediaDownloadStatus.PENDING) return; // message deleted, or already settled
    try {
      const f = await downloadToFile(this.deps.whatsapp, job.data, this.dir);
      const kept = await this.settle(messageId, { downloaded: { path: f.file, size: f.size, sha256: f.sha256, mimeType: f.mimeType } });
      // The message was erased (or deleted) during the download: its file must not outlive it.
      if (!kept) await removeMediaFiles(this.dir, [f.file], []);
      this.deps.log.debug({ messageId, size: f.size }, 'media downloaded');
    } catch (err) {
      const permanent = err instanceof PermanentMediaError;
      const final = permanent || job.retryCount >= job.retryLimit;
      const message = (err as Error).message ?? String(err);
      this.deps.log[final ? 'error' : 'warn']({ messageId, attempt: job.retryCount + 1, err: message }, final ? 'media download failed' : 'media download will be retried');
      await this.settle(messageId, { error: message.slice(0, 2000), final });
      if (!permanent) throw err; // pg-boss retries (or marks the job failed after the last attempt)
    }
  }

  /** Updates the media row (one more attempt) and tells subscribers the message changed; false when the row is gone. */
  private async settle(messageId: string, outcome: DownloadOutcome): Promise<boolean> {
    const media = this.media();
    return this.deps.pool.transaction(async (tx) => {
      const row = await media.recordAttempt(tx, messageId, outcome);
      if (row && row.status !== MediaDownloadStatus.PENDING) await notify(tx, 'MESSAGE_STATUS_CHANGED', { id: messageId, contactId: row.contactId });
      return !!row;
    });
  }
}
