import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit.log.js';
import type { BulkSendRepository } from './bulk/bulk-send.repository.js';
import type { Config } from './config.js';
import type { Authenticator } from './identity/authenticator.js';
import type { Principal } from './identity/principal.js';
import type { ContactRepository } from './contacts/contact.repository.js';
import type { MessageStatusEventRepository } from './messages/message-status-event.repository.js';
import type { MessageRepository } from './messages/message.repository.js';
import type { NoteRepository } from './notes/note.repository.js';
import type { AccountEventRepository } from './ops/account-event.repository.js';
import type { TemplateRepository } from './templates/template.repository.js';
import type { WebhookEventRepository } from './webhook/webhook-event.repository.js';
import type { InboxProcessor } from './ingest/inbox.processor.js';
import type { MediaService } from './media/media.service.js';
import type { Metrics } from './metrics.js';
import type { OutboundQueue } from './outbound/outbound.queue.js';
import { type PgPubSub } from './pubsub/pg.pubsub.js';
import type { TemplateService } from './templates/template.service.js';
import type { WhatsAppClient } from './whatsapp/whatsapp.client.js';
import type { Db } from './db/db.js';
import type { PresenceRegistry } from './presence/presence.registry.js';

/** Long-lived parts of one app instance, shared by resolvers and routes. */
export interface Services {
  config: Config;
  /** Fork its `em` for a unit of work: repositories come from a fork (`em.getRepository(Entity)`). */
  orm: MikroORM;
  /** MikroORM's pool, for SQL that is not a repository's (transactions that span several). */
  pool: Db;
  pubsub: PgPubSub;
  whatsapp: WhatsAppClient;
  metrics: Metrics;
  inbox: InboxProcessor;
  outbound: OutboundQueue;
  templates: TemplateService;
  media: MediaService;
  /** Who views and types in which conversation (memory and NOTIFY only). */
  presence: PresenceRegistry;
  /** Records every mutation (audit/audit.hook.ts); `flush` and `prune` are also what tests call. */
  audit: AuditLog;
  repos: Repositories;
  /** The one credential check: bearer token → caller. */
  auth: Authenticator;
  log: Logger;
  startedAt: number;
  version: string;
}

/** The tables' owners, for SQL in transactions of the app's own (their entity-manager methods want a request's fork). */
export interface Repositories {
  contacts: ContactRepository;
  messages: MessageRepository;
  statusEvents: MessageStatusEventRepository;
  webhookEvents: WebhookEventRepository;
  accountEvents: AccountEventRepository;
  templates: TemplateRepository;
  bulkSends: BulkSendRepository;
  notes: NoteRepository;
}

/** Per HTTP request or websocket operation: the caller, and its own EntityManager fork. */
export interface Context {
  em: EntityManager;
  services: Services;
  principal: Principal;
}
