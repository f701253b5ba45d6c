import type { EntityManager } from '@mikro-orm/postgresql';
import type { Repositories } from './context.js';
import { BulkSend } from './bulk/bulk-send.entity.js';
import { Contact } from './contacts/contact.entity.js';
import { Media } from './media/media.entity.js';
import { MessageStatusEventRepository } from './messages/message-status-event.repository.js';
import { Message } from './messages/message.entity.js';
import { Template } from './templates/template.entity.js';
import { AccountEvent, MessageStatusEvent, WebhookEvent } from './webhook/webhook-event.entity.js';

/** Every table's entity; db/orm.ts maps them and the migrations create their tables. */
export const entities = [Contact, Message, WebhookEvent, MessageStatusEvent, AccountEvent, Template, Media, BulkSend];

/** The repositories of a fork of the entity manager. */
export function repositories(em: EntityManager): Repositories {
  return {
    contacts: em.getRepository(Contact),
    messages: em.getRepository(Message),
    statusEvents: new MessageStatusEventRepository(em, MessageStatusEvent),
  };
}
