import { BigIntType, Entity, EntityRepositoryType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { CannedReplyRepository } from './canned-reply.repository.js';

/** A shared answer agents insert by its shortcut; `{{contact.name}}` and `{{agent.name}}` are filled in by the widget. */
@ObjectType({ description: 'A shared answer, inserted by its shortcut ("/shortcut" in the composer)' })
@Entity({ tableName: 'canned_reply', repository: () => CannedReplyRepository })
export class CannedReply {
  [OptionalProps]?: 'createdAt' | 'updatedAt';
  [EntityRepositoryType]?: CannedReplyRepository;

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => String, { description: 'Lowercase letters, digits, - and _; unique' })
  @Property({ type: 'text', unique: 'canned_reply_shortcut_unique' })
  shortcut!: string;

  @Field(() => String, { description: 'May hold {{contact.name}} and {{agent.name}}, filled in when inserted' })
  @Property({ type: 'text' })
  text!: string;

  @Field(() => Date) @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Date = new Date();
  @Field(() => Date) @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
