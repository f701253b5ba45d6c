import { BigIntType, Entity, EntityRepositoryType, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Agent } from '../identity/agent.entity.js';
import { Contact } from './contact.entity.js';
import { ConversationEventRepository } from './conversation-event.repository.js';

/** What happened to a conversation. */
export enum ConversationEventKind {
  ASSIGNED = 'ASSIGNED',
  UNASSIGNED = 'UNASSIGNED',
  CLOSED = 'CLOSED',
  REOPENED = 'REOPENED',
}

/**
 * One step of a conversation's history, appended and never changed: the team figures count them per
 * period, which the contact's current state cannot tell. `agent` is the assignee (ASSIGNED), the agent
 * who gave it up or lost it (UNASSIGNED), the closer (CLOSED) or the agent who reopened it (REOPENED;
 * null when the customer's message did). A reassignment is one ASSIGNED, to the new assignee.
 */
@Entity({ tableName: 'conversation_event', repository: () => ConversationEventRepository })
@Index({ name: 'conversation_event_at_idx', properties: ['at'] })
@Index({ name: 'conversation_event_agent_at_idx', properties: ['agent', 'at'] })
@Index({ name: 'conversation_event_contact_at_idx', properties: ['contact', 'at'] })
export class ConversationEvent {
  [EntityRepositoryType]?: ConversationEventRepository;
  [OptionalProps]?: 'at';

  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @ManyToOne(() => Contact, { deleteRule: 'cascade', mapToPk: true, type: new BigIntType('string') })
  contact!: string;

  @ManyToOne(() => Agent, { nullable: true, deleteRule: 'set null', mapToPk: true, type: new BigIntType('string') })
  agent?: string | null;

  @Enum({ items: () => ConversationEventKind, type: 'text' })
  kind!: ConversationEventKind;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();
}
