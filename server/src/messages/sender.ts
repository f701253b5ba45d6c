import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { Authorized, Field, ObjectType, registerEnumType } from 'type-graphql';
import { BulkSend } from '../bulk/bulk-send.entity.js';
import { Agent } from '../identity/agent.entity.js';
import { ApiKey } from '../identity/api-key.entity.js';
import { Scope } from '../identity/principal.js';
import { MessageDirection, MessageSource } from './message.enums.js';
import type { Message } from './message.entity.js';

/** Who an outbound message came from. */
export enum SenderKind {
  AGENT = 'AGENT',
  API_KEY = 'API_KEY',
  BULK = 'BULK',
  PHONE = 'PHONE',
  SYSTEM = 'SYSTEM',
}
registerEnumType(SenderKind, {
  name: 'SenderKind',
  description: 'AGENT: an agent\'s session; API_KEY: an API key; BULK: a bulk send; PHONE: the WhatsApp Business app on the phone; SYSTEM: no known sender (a bootstrap key, or sent before senders were recorded)',
});

/** The agent, API key or bulk send behind an outbound message. */
@ObjectType({ description: 'The agent, API key or bulk send behind an outbound message' })
export class Sender {
  @Field(() => SenderKind) kind!: SenderKind;
  @Field(() => String, { description: 'What to show: the agent\'s or key\'s name, the bulk send\'s name "by" its launcher, or "Phone"' }) name!: string;
  @Field(() => Agent, { nullable: true }) agent?: Agent | null;
  // The key's record (scopes, dates) is an admin's business, like the apiKeys list; its name is in `name`.
  @Authorized(Scope.ADMIN)
  @Field(() => ApiKey, { nullable: true }) apiKey?: ApiKey | null;
  @Field(() => BulkSend, { nullable: true }) bulkSend?: BulkSend | null;
}

type Loaders = { agents: DataLoader<string, Agent | null>; keys: DataLoader<string, ApiKey | null>; bulks: DataLoader<string, BulkSend | null> };

const loadersOf = new WeakMap<EntityManager, Loaders>();

/**
 * Rows by id, read together for every message of a page (one query per table). Each batch reads in a
 * fork of its own, so a long-lived subscription's EntityManager neither grows nor serves stale names.
 */
function byIds<T extends Agent | ApiKey | BulkSend>(em: EntityManager, cls: new () => T): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      const found = await em.fork().find(cls, { id: { $in: [...new Set(ids)] } } as any);
      const byId = new Map(found.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false },
  );
}

function loaders(em: EntityManager): Loaders {
  let l = loadersOf.get(em);
  if (!l) loadersOf.set(em, (l = { agents: byIds(em, Agent), keys: byIds(em, ApiKey), bulks: byIds(em, BulkSend) }));
  return l;
}

async function who(l: Loaders, agentId: string | null | undefined, apiKeyId: string | null | undefined): Promise<{ agent?: Agent; apiKey?: ApiKey } | null> {
  const agent = agentId ? await l.agents.load(agentId) : null;
  if (agent) return { agent };
  const apiKey = apiKeyId ? await l.keys.load(apiKeyId) : null;
  return apiKey ? { apiKey } : null;
}

const senders = new WeakMap<object, Promise<Sender | null>>();

/**
 * Who sent a message; null for inbound ones. A subscription event's message is one object for every
 * subscriber, so its sender is read once.
 */
export function senderOf(m: Message, em: EntityManager): Promise<Sender | null> {
  let found = senders.get(m);
  if (!found) {
    found = resolve(m, loaders(em));
    senders.set(m, found);
  }
  return found;
}

async function resolve(m: Message, l: Loaders): Promise<Sender | null> {
  if (m.direction !== MessageDirection.OUTBOUND) return null;
  if (m.source === MessageSource.BUSINESS_APP) return { kind: SenderKind.PHONE, name: 'Phone' };
  if (m.bulkSend) {
    const bulkSend = await l.bulks.load(m.bulkSend);
    if (bulkSend) {
      const launcher = await who(l, bulkSend.launchedByAgent, bulkSend.launchedByApiKey);
      const by = launcher?.agent?.name ?? launcher?.apiKey?.name;
      const name = `${bulkSend.name || `Bulk send #${bulkSend.id}`}${by ? ` by ${by}` : ''}`;
      return { kind: SenderKind.BULK, name, bulkSend, agent: launcher?.agent ?? null, apiKey: launcher?.apiKey ?? null };
    }
  }
  const sender = await who(l, m.sentByAgent, m.sentByApiKey);
  if (sender?.agent) return { kind: SenderKind.AGENT, name: sender.agent.name, agent: sender.agent };
  if (sender?.apiKey) return { kind: SenderKind.API_KEY, name: sender.apiKey.name, apiKey: sender.apiKey };
  return { kind: SenderKind.SYSTEM, name: 'System' };
}
