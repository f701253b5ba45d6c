import { BigIntType, Entity, EntityRepositoryType, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { BulkSend } from '../bulk/bulk-send.entity.js';
import { Contact } from '../contacts/contact.entity.js';
import { Agent } from '../identity/agent.entity.js';
import { ApiKey } from '../identity/api-key.entity.js';
import { MessageDirection, MessageSource, MessageStatus, MessageType } from './message.enums.js';
import { MessageRepository } from './message.repository.js';

/** Meta's error for a failed message. */
@ObjectType({ description: "Meta's error for a failed message." })
export class MessageError {
  @Field(() => Int, { nullable: true }) code?: number | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) message?: string | null;
  @Field(() => String, { nullable: true }) details?: string | null;
}

/** The media object of an image, video, audio, document or sticker message. */
@ObjectType()
export class MessageMedia {
  @Field(() => String, { nullable: true, description: "Meta's media id" }) id?: string | null;
  @Field(() => String, { nullable: true }) mimeType?: string | null;
  @Field(() => String, { nullable: true }) sha256?: string | null;
  @Field(() => String, { nullable: true }) filename?: string | null;
  @Field(() => String, { nullable: true, description: 'Link for media sent by URL' }) link?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Audio recorded as a voice note' }) voice?: boolean | null;
  @Field(() => Boolean, { nullable: true }) animated?: boolean | null;
}

/** The location a location message carries. */
@ObjectType()
export class MessageLocation {
  @Field(() => Float) latitude!: number;
  @Field(() => Float) longitude!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => String, { nullable: true }) url?: string | null;
}

/** A reaction message: the message reacted to and the emoji. */
@ObjectType()
export class MessageReaction {
  @Field(() => String, { description: 'wamid of the message reacted to' }) messageId!: string;
  @Field(() => String, { nullable: true, description: 'null when the reaction was removed' }) emoji?: string | null;
}

/** A WhatsApp message, inbound or outbound, with its status, send state and Meta's payload. */
@ObjectType({ description: 'A WhatsApp message, inbound from a customer or outbound from the business.' })
@Entity({ tableName: 'message', repository: () => MessageRepository })
@Index({ name: 'message_contact_time_idx', properties: ['contact', 'timestamp', 'id'] })
@Index({ name: 'message_search_idx', expression: 'create index "message_search_idx" on "message" using gin ("search_vector")' })
@Index({ name: 'message_time_idx', properties: ['timestamp'] })
@Index({ name: 'message_bulk_send_idx', expression: `create index "message_bulk_send_idx" on "message" ("bulk_send_id", "status") where "bulk_send_id" is not null` })
@Index({ name: 'message_send_state_idx', expression: `create index "message_send_state_idx" on "message" ("send_state") where "send_state" in ('QUEUED', 'SENDING')` })
export class Message {
  [EntityRepositoryType]?: MessageRepository;
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'timestamp' | 'forwarded' | 'frequentlyForwarded' | 'source' | 'sendAttempts' | 'editHistory' | 'revision';

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => String, { nullable: true, description: "Meta's message id (wamid); null until Meta accepted an outbound message." })
  @Property({ type: 'text', nullable: true, unique: 'message_wa_message_id_unique' })
  waMessageId?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true, unique: 'message_client_message_id_unique' })
  clientMessageId?: string | null;

  @ManyToOne(() => Contact, { ref: true, deleteRule: 'cascade' })
  contact!: Ref<Contact>;

  @Field(() => MessageDirection)
  @Enum({ items: () => MessageDirection, type: 'text' })
  direction!: MessageDirection;

  @Field(() => MessageType)
  @Enum({ items: () => MessageType, type: 'text' })
  type!: MessageType;

  @Field(() => String, { nullable: true, description: 'Meta type name as received (e.g. "request_welcome", "poll")' })
  @Property({ type: 'text', nullable: true })
  waType?: string | null;

  @Field(() => String, { nullable: true, description: 'Text body, or the caption of media' })
  @Property({ type: 'text', nullable: true })
  text?: string | null;

  /** The text's words, for search (server/src/search/word.search.ts); kept by PostgreSQL, never read here. */
  @Property({ type: 'string', columnType: 'tsvector', generated: `(strip(to_tsvector('simple'::regconfig, COALESCE(text, ''::text)))) stored`, lazy: true, hidden: true, nullable: true })
  searchVector?: string & Opt;

  @Field(() => MessageStatus)
  @Enum({ items: () => MessageStatus, type: 'text' })
  status!: MessageStatus;

  @Field(() => MessageSource)
  @Enum({ items: () => MessageSource, type: 'text', default: MessageSource.CUSTOMER })
  source: MessageSource = MessageSource.CUSTOMER;

  @Field(() => String, { nullable: true, description: 'The business phone number id the message went through' })
  @Property({ type: 'text', nullable: true })
  businessPhoneNumberId?: string | null;

  @Field(() => Date, { description: "Meta's time for inbound messages; creation time for outbound" })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  timestamp: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) sentAt?: Date | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) deliveredAt?: Date | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) readAt?: Date | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) playedAt?: Date | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) failedAt?: Date | null;

  @Property({ type: 'integer', nullable: true }) errorCode?: number | null;
  @Property({ type: 'text', nullable: true }) errorTitle?: string | null;
  @Property({ type: 'text', nullable: true }) errorMessage?: string | null;
  @Property({ type: 'text', nullable: true }) errorDetails?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Type-specific data as Meta sent it (media, location, contacts, interactive, order, system, ...)' })
  @Property({ type: 'jsonb', nullable: true })
  payload?: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The whole message object as received, unknown fields included' })
  @Property({ type: 'jsonb', nullable: true })
  raw?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'wamid of the message this one replies to' })
  @Property({ type: 'text', nullable: true })
  contextWaMessageId?: string | null;

  @Field(() => Boolean) @Property({ type: 'boolean', default: false }) forwarded: boolean = false;
  @Field(() => Boolean) @Property({ type: 'boolean', default: false }) frequentlyForwarded: boolean = false;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Click-to-WhatsApp ad or post the customer came from' })
  @Property({ type: 'jsonb', nullable: true })
  referral?: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) editedAt?: Date | null;

  @Field(() => [String], { description: 'Earlier texts of an edited message, oldest first' })
  @Property({ type: 'jsonb', default: '[]' })
  editHistory: string[] = [];

  /** Outbound dispatch: QUEUED → SENDING → ACCEPTED (Meta took it) | FAILED | CANCELLED. */
  @Property({ type: 'text', nullable: true }) sendState?: string | null;
  @Field(() => Int, { description: 'Graph API calls made for this message' })
  @Property({ type: 'integer', default: 0 })
  sendAttempts: number = 0;
  @Property({ type: 'timestamptz', nullable: true }) sendAttemptedAt?: Date | null;

  @Field(() => ID, { name: 'bulkSendId', nullable: true, description: 'The bulk send this message belongs to' })
  @ManyToOne(() => BulkSend, { nullable: true, deleteRule: 'set null', mapToPk: true, type: new BigIntType('string') })
  bulkSend?: string | null;

  /** The agent whose session sent this message (null: someone else, or before senders were recorded). */
  @ManyToOne(() => Agent, { nullable: true, deleteRule: 'set null', mapToPk: true, type: new BigIntType('string') })
  sentByAgent?: string | null;

  /** The API key that sent this message (null for a bootstrap key, which has no row). */
  @ManyToOne(() => ApiKey, { nullable: true, deleteRule: 'set null', mapToPk: true, type: new BigIntType('string') })
  sentByApiKey?: string | null;

  @Field(() => Int, {
    description:
      'One more with every change to the message (a status, an edit, a send attempt). Of two copies of a message, the one with the higher revision is the newer.',
  })
  @Property({ type: 'integer', default: 0 })
  revision: number = 0;

  @Field(() => Date, { nullable: true, description: 'Set when the sender deleted the message for everyone' })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;

  @Field(() => Boolean)
  get isDeleted(): boolean {
    return !!this.deletedAt;
  }

  @Field(() => MessageError, { nullable: true })
  get error(): MessageError | null {
    if (this.errorCode == null && !this.errorTitle && !this.errorMessage) return null;
    return { code: this.errorCode, title: this.errorTitle, message: this.errorMessage, details: this.errorDetails };
  }
}
