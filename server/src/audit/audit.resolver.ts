import { Args, ArgsType, Authorized, Ctx, Field, ID, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { checkPageSize, Connection, decodeCursor, toPage } from '../graphql/connection.js';
import { Scope } from '../identity/principal.js';
import { AuditEntry, AuditOutcome, AuditPrincipalKind } from './audit-entry.entity.js';

/** A page of the audit log. */
export const AuditEntryConnection = Connection(AuditEntry, 'AuditEntry');

@ArgsType()
class AuditLogArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50 }) first!: number;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => ID, { nullable: true, description: "Only this agent's or key's entries (with principalKind when an agent and a key share the number)" })
  principalId?: string | null;
  @Field(() => AuditPrincipalKind, { nullable: true }) principalKind?: AuditPrincipalKind | null;
  @Field(() => String, { nullable: true, description: 'Only this mutation, e.g. sendMessage' }) action?: string | null;
  @Field(() => AuditOutcome, { nullable: true }) outcome?: AuditOutcome | null;
}

/** The audit log, for admins. */
@Resolver()
export class AuditResolver {
  @Authorized(Scope.ADMIN)
  @Query(() => AuditEntryConnection, { description: 'Recorded mutations (allowed, refused and failed), newest first' })
  async auditLog(@Args(() => AuditLogArgs) a: AuditLogArgs, @Ctx() { em, services: { config } }: Context) {
    checkPageSize(a.first, config.graphql.maxPageSize);
    const afterId = a.after ? (decodeCursor(a.after, (p) => p.length === 1 && typeof p[0] === 'string' && /^\d{1,19}$/.test(p[0]))[0] as string) : null;
    // An id that is no number matches no entry (rather than a database error).
    if (a.principalId != null && !/^\d{1,18}$/.test(a.principalId)) return toPage([], a.first, (e: AuditEntry) => e, (e) => [e.id], async () => 0);
    const filter = { principalId: a.principalId, principalKind: a.principalKind, action: a.action, outcome: a.outcome, afterId };
    const repo = em.getRepository(AuditEntry);
    const rows = await repo.page(filter, a.first);
    return toPage(rows, a.first, (e) => e, (e) => [e.id], () => repo.total(filter));
  }
}
