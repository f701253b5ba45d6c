import { BigIntType, Entity, EntityRepositoryType, PrimaryKey, Property } from '@mikro-orm/core';
import { AccountEventRepository } from './account-event.repository.js';

/** Webhook fields other than messages (template status, account alerts, quality, value-level errors). */
@Entity({ tableName: 'account_event', repository: () => AccountEventRepository })
export class AccountEvent {
  [EntityRepositoryType]?: AccountEventRepository;

  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true }) id!: string;
  @Property({ type: 'text' }) field!: string;
  @Property({ type: 'text', nullable: true }) wabaId?: string | null;
  @Property({ type: 'text', nullable: true }) phoneNumberId?: string | null;
  @Property({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Property({ type: new BigIntType('string'), nullable: true }) webhookEventId?: string | null;
  /** Meta's time of the webhook entry (Unix seconds), part of the event's identity. */
  @Property({ type: new BigIntType('string'), nullable: true }) entryTime?: string | null;
  /** The event's identity (Migration20261206150000Retention): a redelivery of it adds no row. */
  @Property({ type: 'text', unique: 'account_event_identity_key_unique' }) identityKey!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
}
