import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import type { Services } from '../context.js';
import { AccountEvent } from './account-event.entity.js';

/** The latest quality or messaging-limit change of the business number. */
@ObjectType({ description: "The latest phone_number_quality_update: the number's throughput or messaging-limit change" })
export class PhoneNumberQuality {
  @Field(() => String, { nullable: true, description: 'e.g. FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE, THROUGHPUT_UPGRADE' }) event?: string | null;
  @Field(() => String, { nullable: true, description: 'max_daily_conversations_per_business, else current_limit (e.g. TIER_1K)' }) currentLimit?: string | null;
  @Field(() => String, { nullable: true }) previousLimit?: string | null;
  @Field(() => String, { nullable: true }) displayPhoneNumber?: string | null;
  @Field(() => Date, { description: 'When we received it' }) at!: Date;
  @Field(() => GraphQLJSONObject, { description: 'The webhook value as Meta sent it' }) payload!: Record<string, unknown>;
}

/** The latest account alert Meta sent. */
@ObjectType({ description: 'The latest account_alerts webhook' })
export class AccountAlert {
  @Field(() => String, { nullable: true }) type?: string | null;
  @Field(() => String, { nullable: true, description: 'CRITICAL | WARNING | INFORMATIONAL' }) severity?: string | null;
  @Field(() => String, { nullable: true, description: 'ACTIVE | NONE' }) status?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true, description: 'WABA | PHONE_NUMBER | BUSINESS, with entityId' }) entityType?: string | null;
  @Field(() => String, { nullable: true }) entityId?: string | null;
  @Field(() => Date) at!: Date;
  @Field(() => GraphQLJSONObject) payload!: Record<string, unknown>;
}

/** What health adds about sending: account webhooks, template sync, media backlog. */
export interface AccountHealth {
  phoneNumberQuality: PhoneNumberQuality | null;
  lastAccountAlert: AccountAlert | null;
  businessCapability: Record<string, unknown> | null;
  templatesSyncedAt: Date | null;
  templateSyncError: string | null;
  mediaBacklog: number | null;
}

const str = (v: unknown): string | null => (v == null || v === '' ? null : String(v));

/** The account events health shows the latest of. */
const HEALTH_FIELDS = ['phone_number_quality_update', 'account_alerts', 'business_capability_update'];

/** Reads the latest account events and the template/media state; database errors leave the fields null. */
export async function accountHealth(s: Services): Promise<AccountHealth> {
  const [events, backlog] = await Promise.all([
    s.orm.em.fork().getRepository(AccountEvent).latest(HEALTH_FIELDS).catch(() => []),
    s.media.backlog().catch(() => null),
  ]);
  const of = (field: string) => events.find((e) => e.field === field);
  const q = of('phone_number_quality_update');
  const a = of('account_alerts');
  const c = of('business_capability_update');
  return {
    phoneNumberQuality: q
      ? {
          event: str(q.payload.event), currentLimit: str(q.payload.max_daily_conversations_per_business ?? q.payload.current_limit),
          previousLimit: str(q.payload.old_limit), displayPhoneNumber: str(q.payload.display_phone_number), at: q.created_at, payload: q.payload,
        }
      : null,
    lastAccountAlert: a
      ? {
          type: str(a.payload.alert_type), severity: str(a.payload.alert_severity), status: str(a.payload.alert_status),
          description: str(a.payload.alert_description), entityType: str(a.payload.entity_type), entityId: str(a.payload.entity_id),
          at: a.created_at, payload: a.payload,
        }
      : null,
    businessCapability: c ? c.payload : null,
    templatesSyncedAt: s.templates.lastSyncedAt,
    templateSyncError: s.templates.lastError,
    mediaBacklog: backlog,
  };
}
