import { BigIntType, Entity, EntityRepositoryType, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AuditRepository } from './audit.repository.js';

/** How a recorded operation ended. */
export enum AuditOutcome {
  /** It ran and succeeded. */
  ALLOWED = 'ALLOWED',
  /** The caller was not allowed (FORBIDDEN or UNAUTHENTICATED); nothing ran. */
  REFUSED = 'REFUSED',
  /** It was allowed and failed: errorCode says how. */
  FAILED = 'FAILED',
}
registerEnumType(AuditOutcome, { name: 'AuditOutcome' });

/** What kind of caller an entry names. */
export enum AuditPrincipalKind {
  /** An agent, through a session token. */
  AGENT = 'AGENT',
  /** An API key; a bootstrap key from AUTH_TOKENS has no id, only its name. */
  KEY = 'KEY',
  /** The admin command (`npm run admin`) on the server's machine; the name is the shell user. */
  CLI = 'CLI',
  /** No credential could be read; the operation was refused. */
  NONE = 'NONE',
}
registerEnumType(AuditPrincipalKind, { name: 'AuditPrincipalKind' });

/**
 * One recorded operation: who, what, on which ids, when, and how it ended. Only ids, names of callers
 * and error codes are kept, never a message's text, a phone number or other customer data.
 */
@ObjectType({ description: 'One recorded mutation: who, what (the mutation), on which ids, when, and how it ended' })
@Entity({ tableName: 'audit_log', repository: () => AuditRepository })
export class AuditEntry {
  [EntityRepositoryType]?: AuditRepository;

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => Date, { description: 'When the operation was called' })
  @Property({ type: 'timestamptz' })
  at!: Date;

  @Field(() => AuditPrincipalKind) @Enum({ items: () => AuditPrincipalKind, type: 'text' }) principalKind!: AuditPrincipalKind;

  @Field(() => ID, { nullable: true, description: "The agent's or API key's id; null for a bootstrap key, the admin command and no credential" })
  @Property({ type: new BigIntType('string'), nullable: true })
  principalId?: string | null;

  @Field(() => String, { description: "The agent's or key's name when it acted" })
  @Property({ type: 'text' })
  principalName!: string;

  @Field(() => String, { description: 'The mutation (e.g. sendMessage), or the admin command\'s equivalent' })
  @Property({ type: 'text' })
  action!: string;

  @Field(() => [String], {
    description: 'The ids involved, at most 50: `Type:id` for the result (Message:12, or ApiKey:4 of a created key), `argument:id` for ID arguments (contactId:3)',
  })
  @Property({ type: 'text[]' })
  targetIds!: string[];

  @Field(() => AuditOutcome) @Enum({ items: () => AuditOutcome, type: 'text' }) outcome!: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'The error code a refused or failed call got (FORBIDDEN, BAD_USER_INPUT, ...)' })
  @Property({ type: 'text', nullable: true })
  errorCode?: string | null;
}
