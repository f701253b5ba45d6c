import { GraphQLJSONObject } from 'graphql-scalars';
import { Authorized, Arg, Ctx, Field, Float, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context, Services } from '../context.js';
import { checkPageSize } from '../graphql/connection.js';
import { MessageDirection, MessageStatus } from '../messages/message.enums.js';
import { WebhookEvent, WebhookEventStatus } from '../webhook/webhook-event.entity.js';
import { AccountAlert, accountHealth, PhoneNumberQuality } from './account.health.js';
import { readStats } from '../search/stats.js';
import { Scope } from '../identity/principal.js';

@ObjectType()
class StatusCount {
  @Field(() => MessageDirection) direction!: MessageDirection;
  @Field(() => MessageStatus) status!: MessageStatus;
  @Field(() => Int) count!: number;
}

@ObjectType()
class DayCount {
  @Field(() => String, { description: 'UTC date, YYYY-MM-DD' }) date!: string;
  @Field(() => Int) inbound!: number;
  @Field(() => Int) outbound!: number;
}

@ObjectType()
class FailureCount {
  @Field(() => Int, { nullable: true }) code?: number | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => Int) count!: number;
}

/** Message and contact counts of the whole inbox, and delivery rates. */
@ObjectType()
export class Stats {
  @Field(() => Int) totalMessages!: number;
  @Field(() => Int) inbound!: number;
  @Field(() => Int) outbound!: number;
  @Field(() => [StatusCount]) byStatus!: StatusCount[];
  @Field(() => Int) contacts!: number;
  @Field(() => Int, { description: 'Sum of unread counts over all contacts' }) unreadTotal!: number;
  @Field(() => [DayCount], { description: 'The last 30 days, oldest first, days without messages included' }) perDay!: DayCount[];
  @Field(() => Float, { nullable: true, description: 'Outbound messages delivered or read / outbound messages that left PENDING' }) deliveryRate?: number | null;
  @Field(() => Float, { nullable: true, description: 'Outbound messages read / outbound messages that left PENDING' }) readRate?: number | null;
  @Field(() => [FailureCount]) failuresByCode!: FailureCount[];
}

/** Whether the inbox works: database, backlog, account and template state. */
@ObjectType()
export class Health {
  @Field(() => String, { description: 'ok | degraded' }) status!: string;
  @Field(() => String, { description: 'up | down' }) database!: string;
  @Field(() => String, { description: 'demo (the built-in simulator plays Meta) | configured' }) whatsapp!: string;
  @Field(() => String) version!: string;
  @Field(() => Int) uptimeSeconds!: number;
  @Field(() => Int, { nullable: true, description: 'Webhook events stored but not processed yet' }) webhookBacklog?: number | null;
  @Field(() => Int, { nullable: true, description: 'Webhook events that failed after all retries' }) failedWebhookEvents?: number | null;
  @Field(() => PhoneNumberQuality, { nullable: true, description: 'Latest quality / throughput / messaging-limit change of the number' })
  phoneNumberQuality?: PhoneNumberQuality | null;
  @Field(() => AccountAlert, { nullable: true }) lastAccountAlert?: AccountAlert | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Latest business_capability_update value (limits of the portfolio)' })
  businessCapability?: Record<string, unknown> | null;
  @Field(() => Date, { nullable: true, description: 'Last successful template sync of this server process' }) templatesSyncedAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last template sync failed; null after a success' }) templateSyncError?: string | null;
  @Field(() => Int, { nullable: true, description: 'Inbound media files waiting to be downloaded (or retried)' }) mediaBacklog?: number | null;
}

/** Health as served by GraphQL and by GET /api/whatsapp/health. */
export async function checkHealth(s: Services): Promise<Health> {
  const account = accountHealth(s);
  let counts: { pending: number; failed: number } | null = null;
  try {
    const backlog = await s.orm.em.fork().getRepository(WebhookEvent).backlog();
    const count = (...statuses: WebhookEventStatus[]) => backlog.filter((b) => statuses.includes(b.status)).reduce((n, b) => n + b.n, 0);
    counts = { pending: count(WebhookEventStatus.PENDING, WebhookEventStatus.PROCESSING), failed: count(WebhookEventStatus.FAILED) };
  } catch {
    counts = null;
  }
  return {
    status: counts ? 'ok' : 'degraded',
    database: counts ? 'up' : 'down',
    whatsapp: s.config.demoMode ? 'demo' : 'configured',
    version: s.version,
    uptimeSeconds: Math.floor((Date.now() - s.startedAt) / 1000),
    webhookBacklog: counts?.pending ?? null,
    failedWebhookEvents: counts?.failed ?? null,
    ...(await account),
  };
}

/** Operations: stats, health, and the stored webhook events. */
@Resolver()
export class OpsResolver {
  @Authorized(Scope.READ)
  @Query(() => Stats)
  async stats(@Ctx() { services: { pool } }: Context): Promise<Stats> {
    const { byStatus, perDay, failures, contacts } = await readStats(pool);
    const rows = byStatus as StatusCount[];
    const sum = (f: (r: StatusCount) => boolean) => rows.filter(f).reduce((n, r) => n + r.count, 0);
    const out = (...s: string[]) => sum((r) => r.direction === 'OUTBOUND' && s.includes(r.status));
    const left = out('SENT', 'DELIVERED', 'READ', 'FAILED');
    return {
      totalMessages: sum(() => true),
      inbound: sum((r) => r.direction === 'INBOUND'),
      outbound: sum((r) => r.direction === 'OUTBOUND'),
      byStatus: rows,
      contacts: contacts.n,
      unreadTotal: contacts.unread,
      perDay,
      deliveryRate: left ? out('DELIVERED', 'READ') / left : null,
      readRate: left ? out('READ') / left : null,
      failuresByCode: failures,
    };
  }

  @Authorized(Scope.READ)
  @Query(() => Health)
  health(@Ctx() { services }: Context) {
    return checkHealth(services);
  }

  @Authorized(Scope.ADMIN)
  @Query(() => [WebhookEvent], { description: 'Stored webhook events, newest first' })
  webhookEvents(
    @Arg('status', () => WebhookEventStatus, { nullable: true }) status: WebhookEventStatus | undefined,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Ctx() { em, services }: Context,
  ) {
    checkPageSize(first, services.config.graphql.maxPageSize);
    return em.getRepository(WebhookEvent).list(status, first);
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => WebhookEvent, { description: 'Queues a stored webhook event (typically FAILED) to be processed again' })
  async replayWebhookEvent(@Arg('id', () => ID) id: string, @Ctx() { em, services }: Context) {
    const ev = await em.getRepository(WebhookEvent).replay(id);
    services.inbox.kick();
    return ev;
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => WebhookEvent, { description: 'Gives a FAILED webhook event up: kept as DISMISSED, its body pruned after WEBHOOK_RETENTION_DAYS' })
  dismissWebhookEvent(@Arg('id', () => ID) id: string, @Ctx() { em }: Context) {
    return em.getRepository(WebhookEvent).dismiss(id);
  }
}
