import { Contact } from '../contacts/contact.entity.js';
import { upsertContact } from '../contacts/contact.ingest.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { compose, type ComposeLookups } from './message.compose.js';
import { Message } from './message.entity.js';
import type { SendMessageInput } from './send.input.js';
import { templateLookup } from './template.lookup.js';
import { notify } from '../pubsub/topics.js';
import type { Db } from '../db/db.js';

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
export function composeLookups(pool: Db): ComposeLookups {
  return {
    async waMessageIdOf(messageId) {
      if (!/^\d+$/.test(messageId)) return null;
      const { rows } = await pool.query(`select wa_message_id from message where id = $1`, [messageId]);
      return rows[0]?.wa_message_id ?? null;
    },
    template: templateLookup(pool),
  };
}

/** Polls until the dispatcher settled the first attempt (accepted or failed), or `waitMs` passed. */
async function firstOutcome(pool: Db, id: string, waitMs: number) {
  const end = Date.now() + waitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const { rows } = await pool.query(
      `select status, send_state, error_code, error_title, error_message, error_details from message where id = $1`,
      [id],
    );
    const m = rows[0];
    if (!m || m.status === 'FAILED' || m.send_state === 'ACCEPTED' || Date.now() + delay > end) return m;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/**
 * Sends one message: validated against Meta's rules, stored PENDING with its send job in one
 * transaction (visible at once, never lost), then dispatched through the Graph API at Meta's limits;
 * Meta's answer gives the wamid, later webhooks the status. A refusal marks it FAILED and, within
 * SEND_WAIT_MS, raises WHATSAPP_ERROR.
 */
export async function sendMessage({ em, services }: Context, input: SendMessageInput): Promise<Message> {
  const { pool, whatsapp, outbound, config } = services;
  if (input.clientMessageId) {
    const earlier = await em.findOne(Message, { clientMessageId: input.clientMessageId });
    if (earlier) return earlier;
  }
  if (!input.contactId === !input.to) throw new AppError('BAD_USER_INPUT', 'give exactly one of contactId or to');
  const composed = await compose(input, composeLookups(pool));
  const recipient = input.to ? parseRecipient(input.to) : null;

  const contactId = recipient ? (await pool.transaction((tx) => upsertContact(tx, recipient)))!.id : input.contactId!;
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
  const via = await pool.query(
    `select business_phone_number_id from message where contact_id = $1 and direction = 'INBOUND' and business_phone_number_id is not null
     order by timestamp desc limit 1`,
    [contact.id],
  );
  const phoneNumberId: string = via.rows[0]?.business_phone_number_id ?? whatsapp.phoneNumberId;
  const stored = await pool.transaction(async (tx) => {
    const row = await tx.one(
      `insert into message (client_message_id, contact_id, direction, type, wa_type, text, status, source, business_phone_number_id,
         context_wa_message_id, payload, send_state)
       values ($1, $2, 'OUTBOUND', $3, $4, $5, 'PENDING', 'API', $6, $7, $8, 'QUEUED')
       on conflict (client_message_id) do nothing returning id, timestamp`,
      [input.clientMessageId ?? null, contact.id, composed.type, composed.waType, composed.text, phoneNumberId, contextWaMessageId, composed.payload],
    );
    if (!row) return null;
    await tx.rows(
      `update contact set last_message_id = $2, last_message_at = greatest(coalesce(last_message_at, '-infinity'), $3), updated_at = now() where id = $1`,
      [contact.id, row.id, row.timestamp],
    );
    await outbound.enqueue(tx, [{ messageId: String(row.id), contactId: contact.id }]);
    await notify(tx, 'MESSAGE_ADDED', { id: String(row.id), contactId: contact.id });
    await notify(tx, 'CONTACT_UPDATED', { id: contact.id });
    return String(row.id);
  });
  if (!stored) return em.findOneOrFail(Message, { clientMessageId: input.clientMessageId! }); // a concurrent retry won
  outbound.wake();

  // Give Meta a moment to answer, so a refusal reaches the caller as WHATSAPP_ERROR.
  const outcome = await firstOutcome(pool, stored, config.outbound.sendWaitMs);
  if (outcome?.status === 'FAILED') {
    throw new AppError('WHATSAPP_ERROR', `WhatsApp refused the message: ${outcome.error_message ?? outcome.error_title ?? 'unknown error'}`, {
      whatsappCode: outcome.error_code,
      messageId: stored,
      details: outcome.error_details,
    });
  }
  return em.fork().findOneOrFail(Message, stored);
}
