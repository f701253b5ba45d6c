import { BigIntType, Entity, EntityRepositoryType, Enum, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Agent } from '../identity/agent.entity.js';
import { ApiKey } from '../identity/api-key.entity.js';
import { BulkSendRepository } from './bulk-send.repository.js';

/** What an agent controls: RUNNING ⇄ PAUSED, either → CANCELLED. */
export enum BulkSendControl {
  RUNNING = 'RUNNING',
  PAUSED = 'PAUSED',
  CANCELLED = 'CANCELLED',
}

/** What an agent sees: the control state, or COMPLETED once nothing is left to send. */
export enum BulkSendStatus {
  RUNNING = 'RUNNING',
  PAUSED = 'PAUSED',
  CANCELLED = 'CANCELLED',
  COMPLETED = 'COMPLETED',
}
registerEnumType(BulkSendStatus, { name: 'BulkSendStatus' });

/** One message to many recipients (a campaign); each recipient gets its own Message. */
@ObjectType()
@Entity({ tableName: 'bulk_send', repository: () => BulkSendRepository })
export class BulkSend {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'status';
  [EntityRepositoryType]?: BulkSendRepository;

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) name?: string | null;
  @Property({ type: 'text', nullable: true, unique: 'bulk_send_client_bulk_id_unique' }) clientBulkId?: string | null;

  @Enum({ items: () => BulkSendControl, type: 'text', default: BulkSendControl.RUNNING })
  status: BulkSendControl = BulkSendControl.RUNNING;

  @Field(() => String, { description: 'TEXT or TEMPLATE' }) @Property({ type: 'text' }) kind!: string;
  @Field(() => Int, { description: 'Recipients' }) @Property({ type: 'integer' }) total!: number;
  /** The agent who launched it (null: an API key or a bootstrap key did, or before launchers were recorded). */
  @ManyToOne(() => Agent, { nullable: true, deleteRule: 'set null', mapToPk: true, type: new BigIntType('string') })
  launchedByAgent?: string | null;

  /** The API key that launched it. */
  @ManyToOne(() => ApiKey, { nullable: true, deleteRule: 'set null', mapToPk: true, type: new BigIntType('string') })
  launchedByApiKey?: string | null;

  @Field(() => Date) @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
  @Field(() => Date) @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
