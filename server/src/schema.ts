import 'reflect-metadata';
import { buildSchema, type PubSub } from 'type-graphql';
import { printSchema, type GraphQLSchema } from 'graphql';
import { auditMutations } from './audit/audit.hook.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { BulkSendResolver } from './bulk/bulk.resolver.js';
import { authChecker } from './graphql/authorization.js';
import { IdentityResolver } from './identity/identity.resolver.js';
import { AssignmentResolver } from './contacts/assignment.resolver.js';
import { ContactResolver } from './contacts/contact.resolver.js';
import { MediaResolver } from './media/media.resolver.js';
import { LastMessageResolver } from './messages/last-message.resolver.js';
import { MessageResolver } from './messages/message.resolver.js';
import { UnknownOutcomeResolver } from './messages/unknown.resolver.js';
import { OpsResolver } from './ops/ops.resolver.js';
import { PresenceResolver } from './presence/presence.resolver.js';
import { ErasureResolver } from './erasure/erasure.resolver.js';
import { TeamStatsResolver, WaitingResolver } from './ops/team.stats.resolver.js';
import { TemplateResolver } from './templates/template.resolver.js';
import { NoteResolver } from './notes/note.resolver.js';
import { CannedReplyResolver } from './canned/canned.resolver.js';

/** Every resolver class of the schema. */
export const resolvers = [IdentityResolver, MessageResolver, UnknownOutcomeResolver, ContactResolver, AssignmentResolver, LastMessageResolver, OpsResolver, TeamStatsResolver, WaitingResolver, TemplateResolver, MediaResolver, BulkSendResolver, NoteResolver, CannedReplyResolver, PresenceResolver, ErasureResolver, AuditResolver] as const;

/** The executable schema, every mutation recorded in the audit log; `pubSub` carries subscription events (PgPubSub in the app). */
export async function createSchema(pubSub?: PubSub): Promise<GraphQLSchema> {
  return auditMutations(await buildSchema({ resolvers, pubSub, authChecker, authMode: 'error', validate: false, emitSchemaFile: false }));
}

/** The schema as checked in at the repository root (`schema.graphql`). */
export async function printedSchema(): Promise<string> {
  const inert: PubSub = { publish: () => undefined, subscribe: () => ({ [Symbol.asyncIterator]: async function* () {} }) };
  return `${printSchema(await createSchema(inert)).trim()}\n`;
}
