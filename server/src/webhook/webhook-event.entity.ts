import { BigIntType, Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum WebhookEventStatus {
  PENDING = 'PENDING',
  PROCESSING = 'PROCESSING',
  PROCESSED = 'PROCESSED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookEventStatus, { name: 'WebhookEventStatus' });

/** One webhook POST from Meta exactly as received: the durable inbox. */
@ObjectType()
@Entity({ tableName: 'webhook_event' })
@Index({ name: 'webhook_event_due_idx', expression: `create index "webhook_event_due_idx" on "webhook_event" ("next_attempt_at", "id") where "status" in ('PENDING', 'PROCESSING')` })
export class WebhookEvent {
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

/** Every status Meta reported, once per (wamid, status); applied to its message when that exists. */
@Entity({ tableName: 'message_status_event' })
@Unique({ name: 'message_status_event_wamid_status_unique', properties: ['waMessageId', 'status'] })
@Index({ name: 'message_status_event_unapplied_idx', expression: `create index "message_status_event_unapplied_idx" on "message_status_event" ("wa_message_id") where not "applied"` })
export class MessageStatusEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true }) id!: string;
  @Property({ type: 'text' }) waMessageId!: string;
  @Property({ type: 'text' }) status!: string;
  @Property({ type: 'timestamptz' }) timestamp!: Date;
  @Property({ type: 'text', nullable: true }) bizOpaqueCallbackData?: string | null;
  @Property({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Property({ type: 'boolean', default: false }) applied: boolean = false;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
}

/** Webhook fields other than messages (template status, account alerts, quality, value-level errors). */
@Entity({ tableName: 'account_event' })
export class AccountEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true }) id!: string;
  @Property({ type: 'text' }) field!: string;
  @Property({ type: 'text', nullable: true }) wabaId?: string | null;
  @Property({ type: 'text', nullable: true }) phoneNumberId?: string | null;
  @Property({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Property({ type: new BigIntType('string'), nullable: true }) webhookEventId?: string | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
}
