import { BigIntType, Entity, EntityRepositoryType, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { TemplateRepository } from './template.repository.js';

/**
 * A message template as last seen at Meta (`GET /{waba}/message_templates`, then status, quality
 * and category webhooks). Templates Meta no longer lists are kept with status `DELETED`, so a
 * message sent with one still names something.
 */
@ObjectType({ description: 'A WhatsApp message template, synced from Meta.' })
@Entity({ tableName: 'template', repository: () => TemplateRepository })
@Unique({ name: 'template_name_language_unique', properties: ['name', 'language'] })
export class Template {
  [OptionalProps]?: 'components' | 'syncedAt' | 'updatedAt';
  [EntityRepositoryType]?: TemplateRepository;

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => String, { nullable: true, description: "Meta's template id" })
  @Property({ type: 'text', nullable: true })
  waId?: string | null;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'Language and locale code, e.g. en_US' })
  @Property({ type: 'text' })
  language!: string;

  @Field(() => String, { description: 'APPROVED | PENDING | REJECTED | PAUSED | DISABLED | IN_APPEAL | ARCHIVED | DELETED | …, as Meta says' })
  @Property({ type: 'text' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'MARKETING | UTILITY | AUTHENTICATION' })
  @Property({ type: 'text', nullable: true })
  category?: string | null;

  @Field(() => [GraphQLJSONObject], { description: "Meta's component objects (HEADER, BODY, FOOTER, BUTTONS) as listed" })
  @Property({ type: 'jsonb', default: '[]' })
  components: Array<Record<string, unknown>> = [];

  @Field(() => String, { nullable: true, description: 'POSITIONAL ({{1}}) or NAMED ({{first_name}})' })
  @Property({ type: 'text', nullable: true })
  parameterFormat?: string | null;

  @Field(() => String, { nullable: true, description: 'GREEN | YELLOW | RED | UNKNOWN' })
  @Property({ type: 'text', nullable: true })
  quality?: string | null;

  @Field(() => String, { nullable: true, description: "Meta's reason when rejected (NONE otherwise)" })
  @Property({ type: 'text', nullable: true })
  rejectedReason?: string | null;

  @Field(() => Date, { description: 'Last time a sync or a webhook changed this template' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  syncedAt: Date = new Date();
}
