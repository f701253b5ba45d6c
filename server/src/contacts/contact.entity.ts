import { BigIntType, Entity, EntityRepositoryType, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Agent } from '../identity/agent.entity.js';
import type { Message } from '../messages/message.entity.js';
import { CONTACT_SEARCH_SQL } from '../search/contact.search.js';
import { ContactRepository } from './contact.repository.js';

/** 24 hours: the customer-service window opened by each customer message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A customer and their conversation: identifiers, profile, agent settings, last message and window. */
@ObjectType({ description: 'A customer, found by phone (waId) or business-scoped user id (userId).' })
@Entity({ tableName: 'contact', repository: () => ContactRepository })
// A tab's page (Mine, Unassigned, one agent's) in list order, and its open conversations' count.
@Index({ name: 'contact_assignee_order_idx', expression: 'create index "contact_assignee_order_idx" on "contact" ("assignee_id", "is_pinned", coalesce("last_message_at", \'-infinity\'::timestamptz), "id") where "assignee_id" is not null' })
@Index({ name: 'contact_unassigned_order_idx', expression: 'create index "contact_unassigned_order_idx" on "contact" ("is_pinned", coalesce("last_message_at", \'-infinity\'::timestamptz), "id") where "assignee_id" is null' })
@Index({ name: 'contact_open_assignee_idx', expression: 'create index "contact_open_assignee_idx" on "contact" ("assignee_id") where not "conversation_closed"' })
// With the search document, so a name search reading the list in order reads only the index (Migration20261206190000ContactListCovers).
@Index({ name: 'contact_list_order_idx', expression: 'create index "contact_list_order_idx" on "contact" ("is_pinned", coalesce("last_message_at", \'-infinity\'::timestamptz), "id") include ("last_message_at", "search_text")' })
// The trigram index of what a contact search matches, the generated `search_text` (Migration20261206170000ContactSearchText).
@Index({ name: 'contact_search_text_idx', expression: `create index "contact_search_text_idx" on "contact" using gin (${CONTACT_SEARCH_SQL} gin_trgm_ops) with (gin_pending_list_limit = 256)` })
export class Contact {
  [EntityRepositoryType]?: ContactRepository;
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'isPinned' | 'isBlocked' | 'tags' | 'unreadCount' | 'conversationClosed';

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Phone number as Meta sends it (digits); null for username-only users.' })
  @Property({ type: 'text', nullable: true, unique: 'contact_wa_id_unique' })
  waId?: string | null;

  @Field(() => String, { nullable: true, description: "Meta's business-scoped user id (BSUID)." })
  @Property({ type: 'text', nullable: true, unique: 'contact_user_id_unique' })
  userId?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  parentUserId?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  username?: string | null;

  @Field(() => String, { nullable: true, description: 'Name set by an agent; shown instead of the profile name.' })
  @Property({ type: 'text', nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: "The customer's WhatsApp profile name." })
  @Property({ type: 'text', nullable: true })
  profileName?: string | null;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: false })
  isPinned: boolean = false;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: false })
  isBlocked: boolean = false;

  @Field(() => [String])
  @Property({ type: 'text[]', default: '{}' })
  tags: string[] = [];

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  unreadCount: number = 0;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastMessageAt?: Date | null;

  @ManyToOne({ entity: 'Message', nullable: true, ref: true, deleteRule: 'set null' })
  lastMessage?: Ref<Message> | null;

  /** Time of the last customer message; the service window runs 24 h from it. */
  @Field(() => Date, { nullable: true, description: "The customer's latest message (system notices aside); the service window runs 24 h from it" })
  @Property({ type: 'timestamptz', nullable: true })
  lastInboundAt?: Date | null;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: false })
  conversationClosed: boolean = false;

  /** The agent handling the conversation (Contact.assignee resolves it). */
  @ManyToOne({ entity: 'Agent', nullable: true, ref: true, deleteRule: 'set null' })
  assignee?: Ref<Agent> | null;

  @Field(() => Date, { nullable: true, description: 'When the current assignee was given the conversation; null when unassigned' })
  @Property({ type: 'timestamptz', nullable: true })
  assignedAt?: Date | null;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'End of the 24-hour customer-service window; null when it is closed.' })
  get windowExpiresAt(): Date | null {
    if (!this.lastInboundAt) return null;
    const end = new Date(this.lastInboundAt.getTime() + SERVICE_WINDOW_MS);
    return end.getTime() > Date.now() ? end : null;
  }

  @Field(() => String, { description: 'displayName, else profileName, else username, else the phone number.' })
  get name(): string {
    return this.displayName || this.profileName || this.username || this.waId || this.userId || `#${this.id}`;
  }
}
