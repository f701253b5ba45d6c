import { Contact } from '../contacts/contact.entity.js';
import { upsertContact } from '../contacts/contact.ingest.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { inTransaction } from '../inbox/tx.js';
import { WhatsAppApiError } from '../whatsapp/whatsapp.client.js';
import { Message } from './message.entity.js';
import { applyPendingStatuses, OPAQUE_PREFIX } from './message.status.js';

export const MAX_TEXT = 4096;
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$/;

export interface SendTextInput {
  contactId?: string;
  to?: string;
  text: string;
  previewUrl?: boolean;
  replyToMessageId?: string;
  clientMessageId?: string;
}

/** `to` as a phone number (digits) or a BSUID; BAD_USER_INPUT otherwise. */
export function parseRecipient(to: string): { waId?: string; userId?: string } {
  const t = to.trim();
  if (BSUID.test(t)) return { userId: t };
  const digits = t.replace(/[\s()+-]/g, '');
  if (/^\d{6,15}$/.test(digits)) return { waId: digits };
  throw new AppError('BAD_USER_INPUT', '`to` must be a phone number in international format or a BSUID like US.123');
}

/**
 * Sends a text: stored PENDING (visible at once), then the Graph API call; Meta's answer gives
 * the wamid, later webhooks the status. Meta's refusal marks it FAILED and raises WHATSAPP_ERROR.
 */
export async function sendMessage({ em, services }: Context, input: SendTextInput): Promise<Message> {
  const { pool, whatsapp, metrics, log } = services;
  const text = input.text ?? '';
  if (!text.trim()) throw new AppError('BAD_USER_INPUT', 'text must not be empty');
  if (text.length > MAX_TEXT) throw new AppError('BAD_USER_INPUT', `text is longer than ${MAX_TEXT} characters`, { maxLength: MAX_TEXT });
  if (input.clientMessageId) {
    const earlier = await em.findOne(Message, { clientMessageId: input.clientMessageId });
    if (earlier) return earlier;
  }
  if (!input.contactId === !input.to) throw new AppError('BAD_USER_INPUT', 'give exactly one of contactId or to');

  const contactId = input.contactId ?? (await inTransaction(pool, (tx) => upsertContact(tx, parseRecipient(input.to!))))!.id;
  const contact = /^\d+$/.test(contactId) ? await em.findOne(Contact, contactId) : null;
  if (!contact) throw new AppError('NOT_FOUND', `no contact ${contactId}`);
  if (contact.isBlocked) throw new AppError('CONTACT_BLOCKED', 'this contact is blocked; unblock it to send');
  if (!contact.windowExpiresAt) {
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
  const stored = await inTransaction(pool, async (tx) => {
    const row = await tx.one(
      `insert into message (client_message_id, contact_id, direction, type, wa_type, text, status, source, business_phone_number_id, context_wa_message_id, payload)
       values ($1, $2, 'OUTBOUND', 'TEXT', 'text', $3, 'PENDING', 'API', $4, $5, $6)
       on conflict (client_message_id) do nothing returning id, timestamp`,
      [input.clientMessageId ?? null, contact.id, text, phoneNumberId, contextWaMessageId, { text: { body: text, preview_url: !!input.previewUrl } }],
    );
    if (!row) return null;
    await tx.rows(
      `update contact set last_message_id = $2, last_message_at = greatest(coalesce(last_message_at, '-infinity'), $3), updated_at = now() where id = $1`,
      [contact.id, row.id, row.timestamp],
    );
    await tx.notify('MESSAGE_ADDED', { id: String(row.id), contactId: contact.id });
    await tx.notify('CONTACT_UPDATED', { id: contact.id });
    return String(row.id);
  });
  if (!stored) return em.findOneOrFail(Message, { clientMessageId: input.clientMessageId! }); // a concurrent retry won

  const to = contact.waId ? { to: contact.waId } : { recipient: contact.userId };
  const started = process.hrtime.bigint();
  try {
    const result = await whatsapp.sendMessage({
      ...to,
      type: 'text',
      text: { body: text, preview_url: !!input.previewUrl },
      ...(contextWaMessageId ? { context: { message_id: contextWaMessageId } } : {}),
      biz_opaque_callback_data: `${OPAQUE_PREFIX}${stored}`,
    }, phoneNumberId);
    metrics.sendLatency.observe({ outcome: 'accepted' }, Number(process.hrtime.bigint() - started) / 1e9);
    await inTransaction(pool, async (tx) => {
      // A status webhook may have found the message through biz_opaque_callback_data already.
      await tx.rows(`update message set wa_message_id = $2, updated_at = now() where id = $1 and wa_message_id is null`, [stored, result.waMessageId]);
      await applyPendingStatuses(tx, stored, result.waMessageId);
      await tx.notify('MESSAGE_STATUS_CHANGED', { id: stored, contactId: contact.id });
    });
  } catch (err) {
    metrics.sendLatency.observe({ outcome: 'error' }, Number(process.hrtime.bigint() - started) / 1e9);
    if (!(err instanceof WhatsAppApiError)) throw err;
    log.warn({ messageId: stored, code: err.code, status: err.httpStatus, err: err.message }, 'send refused by the Graph API');
    await inTransaction(pool, async (tx) => {
      await tx.rows(
        `update message set status = 'FAILED', failed_at = now(), error_code = $2, error_title = $3, error_message = $4, error_details = $5, updated_at = now()
         where id = $1`,
        [stored, err.code, err.title, err.message, err.details],
      );
      await tx.notify('MESSAGE_STATUS_CHANGED', { id: stored, contactId: contact.id });
    });
    throw new AppError('WHATSAPP_ERROR', `WhatsApp refused the message: ${err.message}`, {
      whatsappCode: err.code,
      messageId: stored,
      details: err.details,
    });
  }
  return em.fork().findOneOrFail(Message, stored);
}
