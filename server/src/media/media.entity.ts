import { BigIntType, Entity, EntityRepositoryType, Enum, Index, OneToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { Message } from '../messages/message.entity.js';
import { MediaRepository } from './media.repository.js';

/** How the download of an inbound media file stands. */
export enum MediaDownloadStatus {
  /** Queued or being retried. */
  PENDING = 'PENDING',
  DOWNLOADED = 'DOWNLOADED',
  /** Every attempt failed; `lastError` says why. The message itself is kept. */
  FAILED = 'FAILED',
}
registerEnumType(MediaDownloadStatus, { name: 'MediaDownloadStatus' });

/** The local copy of a media message's file (downloaded from Meta, stored under DATA_DIR/media). */
@Entity({ tableName: 'media', repository: () => MediaRepository })
@Index({ name: 'media_wa_media_id_idx', properties: ['waMediaId'] })
@Index({ name: 'media_pending_idx', expression: `create index "media_pending_idx" on "media" ("id") where "status" = 'PENDING'` })
export class Media {
  [OptionalProps]?: 'status' | 'attempts' | 'createdAt' | 'updatedAt';
  [EntityRepositoryType]?: MediaRepository;

  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @OneToOne(() => Message, { ref: true, owner: true, deleteRule: 'cascade', unique: 'media_message_id_unique' })
  message!: Ref<Message>;

  /** Meta's media id (valid 7 days for inbound media). */
  @Property({ type: 'text' }) waMediaId!: string;
  @Property({ type: 'text', nullable: true }) mimeType?: string | null;
  /** Hex sha256 of the stored bytes (Meta's, checked). */
  @Property({ type: 'text', nullable: true }) sha256?: string | null;
  @Property({ type: 'integer', nullable: true }) size?: number | null;
  /** Relative to DATA_DIR/media. */
  @Property({ type: 'text', nullable: true }) path?: string | null;
  @Property({ type: 'text', nullable: true }) filename?: string | null;

  @Enum({ items: () => MediaDownloadStatus, type: 'text', default: MediaDownloadStatus.PENDING })
  status: MediaDownloadStatus = MediaDownloadStatus.PENDING;

  @Property({ type: 'integer', default: 0 }) attempts: number = 0;
  @Property({ type: 'text', nullable: true }) lastError?: string | null;
  @Property({ type: 'timestamptz', nullable: true }) downloadedAt?: Date | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) updatedAt: Date = new Date();
}
