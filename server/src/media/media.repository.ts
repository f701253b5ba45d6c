import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import { Media, MediaDownloadStatus } from './media.entity.js';

/** A media message's file as the webhook described it. */
export interface NewMedia {
  messageId: string;
  waMediaId: string;
  mimeType: string | null;
  sha256: string | null;
  filename: string | null;
}

/** How one download attempt ended. */
export type DownloadOutcome =
  | { downloaded: { path: string; size: number; sha256: string; mimeType: string } }
  | { error: string; final: boolean };

/** How the download of a media id went, for the message fields that show it. */
export interface MediaDownload {
  messageId: string;
  status: MediaDownloadStatus;
  lastError: string | null;
  size: number | null;
}

/** The owner of the `media` table: inbound media files and how their downloads went. */
export class MediaRepository extends SqlRepository<Media> {
  /** Records a media message's file as PENDING in the caller's transaction; false when the message has one already. */
  async add(tx: Tx, m: NewMedia): Promise<boolean> {
    // SQL: runs in the caller's webhook-processing transaction (a Tx), beside the message's statements.
    const row = await tx.one(
      `insert into media (message_id, wa_media_id, mime_type, sha256, filename) values ($1, $2, $3, $4, $5)
       on conflict (message_id) do nothing returning id`,
      [m.messageId, m.waMediaId, m.mimeType, m.sha256, m.filename],
    );
    return row !== undefined;
  }

  /**
   * Counts one more download attempt of a message's file and stores how it ended (FAILED only when
   * `final`), in the caller's transaction. Answers the resulting status and the message's contact,
   * or null when the row is gone.
   */
  async recordAttempt(tx: Tx, messageId: string, outcome: DownloadOutcome): Promise<{ status: MediaDownloadStatus; contactId: string } | null> {
    const { set, params }: { set: string; params: unknown[] } = 'downloaded' in outcome
      ? {
          set: `status = 'DOWNLOADED', path = $2, size = $3, sha256 = $4, mime_type = $5, last_error = null, downloaded_at = now()`,
          params: [outcome.downloaded.path, outcome.downloaded.size, outcome.downloaded.sha256, outcome.downloaded.mimeType],
        }
      : { set: `last_error = $2${outcome.final ? `, status = 'FAILED'` : ''}`, params: [outcome.error] };
    // SQL: runs in the caller's transaction (a Tx), which queues the NOTIFY of the change; attempts count up in the statement.
    const row = await tx.one(
      `update media set ${set}, attempts = attempts + 1, updated_at = now() where message_id = $1
       returning status, (select contact_id from message where id = $1) as contact_id`,
      [messageId, ...params],
    );
    return row ? { status: row.status, contactId: String(row.contact_id) } : null;
  }

  /** The media row of a message, or null. */
  ofMessage(messageId: string): Promise<Media | null> {
    return this.findOne({ message: messageId });
  }

  /** Media files queued or being retried. */
  pendingCount(): Promise<number> {
    return this.count({ status: MediaDownloadStatus.PENDING });
  }

  /** The newest download of each of these Meta media ids (by id, the latest message carrying it). */
  async downloadsOf(waMediaIds: string[]): Promise<Map<string, MediaDownload>> {
    // SQL: one statement for a page of messages, keeping the newest row per media id (distinct on).
    const { rows } = await this.db.query(
      `select distinct on (wa_media_id) wa_media_id, message_id::text, status, last_error, size
       from media where wa_media_id = any($1) order by wa_media_id, id desc`,
      [waMediaIds],
    );
    return new Map(rows.map((r) => [r.wa_media_id, { messageId: r.message_id, status: r.status, lastError: r.last_error, size: r.size }]));
  }

  /** Deletes the media rows of these messages in the caller's transaction; answers their files (relative paths, null when not downloaded). */
  async eraseOfMessages(tx: Tx, messageIds: readonly string[]): Promise<Array<string | null>> {
    // SQL: by the unique message key, in the erasure's transaction, before the messages go.
    const rows = await tx.rows<{ path: string | null }>(`delete from media where message_id = any($1::bigint[]) returning path`, [messageIds]);
    return rows.map((r) => r.path);
  }
}
