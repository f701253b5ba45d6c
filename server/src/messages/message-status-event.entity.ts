import { BigIntType, Entity, EntityRepositoryType, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

import { MessageStatusEventRepository } from './message-status-event.repository.js';

/** Every status Meta reported, once per (wamid, status); applied to its message when that exists. */
@Entity({ tableName: 'message_status_event', repository: () => MessageStatusEventRepository })
@Unique({ name: 'message_status_event_wamid_status_unique', properties: ['waMessageId', 'status'] })
@Index({ name: 'message_status_event_unapplied_idx', expression: `create index "message_status_event_unapplied_idx" on "message_status_event" ("wa_message_id") where not "applied"` })
export class MessageStatusEvent {
  [EntityRepositoryType]?: MessageStatusEventRepository;
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true }) id!: string;
  @Property({ type: 'text' }) waMessageId!: string;
  @Property({ type: 'text' }) status!: string;
  @Property({ type: 'timestamptz' }) timestamp!: Date;
  @Property({ type: 'text', nullable: true }) bizOpaqueCallbackData?: string | null;
  @Property({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Property({ type: 'boolean', default: false }) applied: boolean = false;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
}
