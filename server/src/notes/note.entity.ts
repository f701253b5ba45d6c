import { ArrayType, BigIntType, Entity, EntityRepositoryType, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Contact } from '../contacts/contact.entity.js';
import { Agent } from '../identity/agent.entity.js';
import { ApiKey } from '../identity/api-key.entity.js';
import { NoteRepository } from './note.repository.js';

/** Longest note text, as long as a WhatsApp text message. */
export const MAX_NOTE_LENGTH = 4096;

/** An internal note in a conversation: for the team only, never sent to WhatsApp. */
@ObjectType({ description: 'An internal note in a conversation: seen by the team only, never sent to WhatsApp' })
@Entity({ tableName: 'note', repository: () => NoteRepository })
export class Note {
  [OptionalProps]?: 'createdAt' | 'mentionedAgentIds';
  [EntityRepositoryType]?: NoteRepository;

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  /** The conversation; its notes go when the contact is erased. */
  @ManyToOne(() => Contact, { deleteRule: 'cascade', ref: true })
  contact!: Ref<Contact>;

  @Field(() => String) @Property({ type: 'text' }) text!: string;

  /** The agent who wrote it (null: an API key did). */
  @ManyToOne(() => Agent, { nullable: true, deleteRule: 'set null', ref: true })
  authorAgent?: Ref<Agent> | null;

  /** The API key that wrote it (null for an agent or a bootstrap key). */
  @ManyToOne(() => ApiKey, { nullable: true, deleteRule: 'set null', ref: true })
  authorApiKey?: Ref<ApiKey> | null;

  @Field(() => String, { description: "The agent's or key's name when it was written" })
  @Property({ type: 'text' })
  authorName!: string;

  @Field(() => [ID], { description: 'The agents the text mentions (@Name)' })
  @Property({ type: ArrayType, columnType: 'bigint[]', default: '{}' })
  mentionedAgentIds: string[] = [];

  @Field(() => Date) @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
}
