import { BigIntType, Entity, EntityRepositoryType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { ApiKeyRepository } from './api-key.repository.js';
import { Scope } from './principal.js';

/** An integrator's key. Only its prefix (to recognise it) and a hash are stored; the key is shown once. */
@ObjectType()
@Entity({ tableName: 'api_key', repository: () => ApiKeyRepository })
export class ApiKey {
  [OptionalProps]?: 'createdAt';
  [EntityRepositoryType]?: ApiKeyRepository;

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => String) @Property({ type: 'text' }) name!: string;
  @Field(() => String, { description: 'The start of the key, to tell keys apart' }) @Property({ type: 'text' }) prefix!: string;
  @Property({ type: 'text', unique: 'api_key_hash_unique', hidden: true }) hash!: string;
  @Field(() => [Scope]) @Property({ type: 'text[]' }) scopes!: Scope[];
  @Field(() => Date) @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) lastUsedAt?: Date | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) expiresAt?: Date | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) revokedAt?: Date | null;
}
