import { Contact } from '../contacts/contact.entity.js';
import { upsertContact } from './contact.merge.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { compose, type ComposeLookups } from './message.compose.js';
import { Message } from './message.entity.js';
import type { MessageRepository } from './message.repository.js';
import type { SendMessageInput } from './send.input.js';
import { templateLookup } from './template.lookup.js';
import { notify } from '../pubsub/topics.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Template } from '../templates/template.entity.js';
import { actorIds } from '../identity/principal.js';

const BSUID = /^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$/;

/** `to` as a phone number (digits) or a BSUID; BAD_USER_INPUT otherwise. */
export function parseRecipient(to: string): { waId?: string; userId?: string } {
  const t = to.trim();
  if (BSUID.test(t)) return { userId: t };
  const digits = t.replace(/[\s()+-]/g, '');
  if (/^\d{6,15}$/.test(digits)) return { waId: digits };
  throw new AppError('BAD_USER_INPUT', '`to` must be a phone number in international format or a BSUID like US.123', { field: 'to' });
}

/** What compose() needs from the database. */
export function composeLookups(em: EntityManager): ComposeLookups {
  const messages = em.getRepository(Message);
  return {
    waMessageIdOf: (messageId) => messages.waMessageIdOf(messageId),
    template: templateLookup(em.getRepository(Template)),
  };
}

/** Polls until the dispatcher settled the first attempt (accepted, failed or unknown), or `waitMs` passed. */
async function firstOutcome(messages: MessageRepository, id: string, waitMs: number) {
  const end = Date.now() + waitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const m = await messages.sendOutcome(id);
    if (!m || m.status === 'FAILED' || m.status === 'UNKNOWN' || m.send_state === 'ACCEPTED' || Date.now() + delay > end) return m;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/**
 * Sends one message: validated against Meta's rules, stored PENDING with its send job in one
 * transaction (visible at once, never lost), then dispatched through the Graph API at Meta's limits;
 * Meta's answer gives the wamid, later webhooks the status. A refusal marks it FAILED and, within
 * SEND_WAIT_MS, raises WHATSAPP_ERROR.
 */
export async function sendMessage({ em, services, principal }: Context, input: SendMessageInput): Promise<Message> {
  const { pool, repos, whatsapp, outbound, config } = services;
  const messages = em.getRepository(Message);
  if (input.clientMessageId) {
    const earlier = await messages.byClientMessageId(input.clientMessageId);
    if (earlier) return earlier;
  }
  if (!input.contactId === !input.to) throw new AppError('BAD_USER_INPUT', 'give exactly one of contactId or to');
  const composed = await compose(input, composeLookups(em));
  const recipient = input.to ? parseRecipient(input.to) : null;

  const contactId = recipient ? (await pool.transaction((tx) => upsertContact(tx, repos, recipient)))!.id : input.contactId!;
  const contact = /^\d+$/.test(contactId) ? await em.findOne(Contact, contactId) : null;
  if (!contact) throw new AppError('NOT_FOUND', `no contact ${contactId}`);
  if (contact.isBlocked) throw new AppError('CONTACT_BLOCKED', 'this contact is blocked; unblock it to send');
  if (composed.needsWindow && !contact.windowExpiresAt) {
    throw new AppError('OUTSIDE_SERVICE_WINDOW', 'the 24-hour customer-service window is closed; only templates can be sent');
  }
  let contextWaMessageId: string | null = null;
  if (input.replyToMessageId) {
    const quoted = /^\d+$/.test(input.replyToMessageId) ? await em.findOne(Message, input.replyToMessageId) : null;
    if (!quoted?.waMessageId) throw new AppError('NOT_FOUND', `no sent message ${input.replyToMessageId} to reply to`);
    contextWaMessageId = quoted.waMessageId;
  }

  // Answer through the business number the customer wrote to; the configured one otherwise.
  const phoneNumberId = (await messages.lastBusinessNumber(contact.id)) ?? whatsapp.phoneNumberId;
  const { agentId, apiKeyId } = actorIds(principal);
  const sentBy = { sentByAgentId: agentId, sentByApiKeyId: apiKeyId };
  const stored = await pool.transaction(async (tx) => {
    const row = await repos.messages.insertOutbound(tx, {
      clientMessageId: input.clientMessageId ?? null, contactId: contact.id, type: composed.type, waType: composed.waType, text: composed.text,
      phoneNumberId, contextWaMessageId, payload: composed.payload,
      ...sentBy,
    });
    if (!row) return null;
    await repos.contacts.sentTo(tx, contact.id, row.id, row.timestamp);
    await outbound.enqueue(tx, [{ messageId: row.id, contactId: contact.id }]);
    await notify(tx, 'MESSAGE_ADDED', { id: row.id, contactId: contact.id });
    await notify(tx, 'CONTACT_UPDATED', { id: contact.id });
    return row.id;
  });
  if (!stored) return (await messages.byClientMessageId(input.clientMessageId!))!; // a concurrent retry won
  outbound.wake();

  // Give Meta a moment to answer, so a refusal reaches the caller as WHATSAPP_ERROR.
  const outcome = await firstOutcome(messages, stored, config.outbound.sendWaitMs);
  if (outcome?.status === 'FAILED') {
    throw new AppError('WHATSAPP_ERROR', `WhatsApp refused the message: ${outcome.error_message ?? outcome.error_title ?? 'unknown error'}`, {
      whatsappCode: outcome.error_code,
      messageId: stored,
      details: outcome.error_details,
    });
  }
  return em.fork().findOneOrFail(Message, stored);
}
