import type { EntityManager } from '@mikro-orm/postgresql';
import type { Repositories } from './context.js';
import { BulkSend } from './bulk/bulk-send.entity.js';
import { Contact } from './contacts/contact.entity.js';
import { ConversationEvent } from './contacts/conversation-event.entity.js';
import { Media } from './media/media.entity.js';
import { Message } from './messages/message.entity.js';
import { MessageStatusEvent } from './messages/message-status-event.entity.js';
import { AccountEvent } from './ops/account-event.entity.js';
import { Template } from './templates/template.entity.js';
import { WebhookEvent } from './webhook/webhook-event.entity.js';
import { Agent } from './identity/agent.entity.js';
import { ApiKey } from './identity/api-key.entity.js';
import { Note } from './notes/note.entity.js';
import { CannedReply } from './canned/canned-reply.entity.js';
import { AuditEntry } from './audit/audit-entry.entity.js';

/** Every table's entity; db/orm.ts maps them and the migrations create their tables. */
export const entities = [Contact, Message, WebhookEvent, MessageStatusEvent, AccountEvent, Template, Media, BulkSend, Agent, ApiKey, Note, CannedReply, ConversationEvent, AuditEntry];

/** The repositories of a fork of the entity manager. */
export function repositories(em: EntityManager): Repositories {
  return {
    contacts: em.getRepository(Contact),
    messages: em.getRepository(Message),
    statusEvents: em.getRepository(MessageStatusEvent),
    webhookEvents: em.getRepository(WebhookEvent),
    accountEvents: em.getRepository(AccountEvent),
    templates: em.getRepository(Template),
    bulkSends: em.getRepository(BulkSend),
    notes: em.getRepository(Note),
  };
}
