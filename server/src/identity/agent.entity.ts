import { BigIntType, Entity, EntityRepositoryType, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { AgentRepository } from './agent.repository.js';
import { Role } from './principal.js';

/** A person who works the inbox, known by the host dashboard's id for them. */
@ObjectType()
@Entity({ tableName: 'agent', repository: () => AgentRepository })
export class Agent {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'active' | 'available';
  [EntityRepositoryType]?: AgentRepository;

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => String, { description: "The host dashboard's id for this person" })
  @Property({ type: 'text', unique: 'agent_external_id_unique' })
  externalId!: string;

  @Field(() => String) @Property({ type: 'text' }) name!: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) email?: string | null;
  @Field(() => Role) @Enum({ items: () => Role, type: 'text' }) role!: Role;
  @Field(() => Boolean, { description: 'False once deactivated: its sessions are refused' }) @Property({ type: 'boolean', default: true }) active: boolean = true;
  @Field(() => Boolean) @Property({ type: 'boolean', default: true }) available: boolean = true;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) lastSeenAt?: Date | null;
  /** The last conversation AUTO_ASSIGN gave this agent: the oldest turn goes next. */
  @Property({ type: 'timestamptz', nullable: true }) lastAutoAssignedAt?: Date | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
