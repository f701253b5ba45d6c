import { BigIntType, Entity, EntityRepositoryType, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WebhookEventRepository } from './webhook-event.repository.js';

/** Where a stored webhook event is on its way: due, claimed by a batch, applied, given up, or given up by an admin. */
export enum WebhookEventStatus {
  PENDING = 'PENDING',
  PROCESSING = 'PROCESSING',
  PROCESSED = 'PROCESSED',
  FAILED = 'FAILED',
  /** A FAILED event an admin gave up on (dismissWebhookEvent); pruned like a processed one. */
  DISMISSED = 'DISMISSED',
}
registerEnumType(WebhookEventStatus, { name: 'WebhookEventStatus' });

/** One webhook POST from Meta exactly as received: the durable inbox. */
@ObjectType()
@Entity({ tableName: 'webhook_event', repository: () => WebhookEventRepository })
@Index({ name: 'webhook_event_due_idx', expression: `create index "webhook_event_due_idx" on "webhook_event" ("next_attempt_at", "id") where "status" in ('PENDING', 'PROCESSING')` })
@Index({ name: 'webhook_event_processing_idx', expression: `create index "webhook_event_processing_idx" on "webhook_event" ("locked_until", "id") where "status" = 'PROCESSING'` })
@Index({ name: 'webhook_event_finished_idx', expression: `create index "webhook_event_finished_idx" on "webhook_event" ("status", "processed_at") where "status" in ('PROCESSED', 'FAILED', 'DISMISSED')` })
export class WebhookEvent {
  [EntityRepositoryType]?: WebhookEventRepository;
  [OptionalProps]?: 'receivedAt' | 'status' | 'attempts' | 'nextAttemptAt';

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  /** The raw request body bytes (the signature covers exactly these). */
  @Property({ type: 'blob', lazy: true })
  body!: Buffer;

  @Field(() => GraphQLJSONObject, { description: 'Headers that matter: signature, content type, user agent' })
  @Property({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Field(() => WebhookEventStatus)
  @Enum({ items: () => WebhookEventStatus, type: 'text', default: WebhookEventStatus.PENDING })
  status: WebhookEventStatus = WebhookEventStatus.PENDING;

  @Field(() => Date) @Property({ type: 'timestamptz', defaultRaw: 'now()' }) receivedAt: Date = new Date();
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) processedAt?: Date | null;
  @Field(() => Int) @Property({ type: 'integer', default: 0 }) attempts: number = 0;
  @Field(() => Date) @Property({ type: 'timestamptz', defaultRaw: 'now()' }) nextAttemptAt: Date = new Date();
  @Property({ type: 'timestamptz', nullable: true }) lockedUntil?: Date | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) lastError?: string | null;
}
