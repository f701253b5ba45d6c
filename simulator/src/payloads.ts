import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SimulatorError } from './meta-errors.js';
import type { InboundInput } from './types.js';

/** A fresh message id shaped like Meta's: `wamid.SIM` + random base64url. */
export function newWamid(): string {
  return `wamid.SIM${randomBytes(18).toString('base64url')}`;
}

/** The `X-Hub-Signature-256` header value for these exact bytes. */
export function signBody(appSecret: string, raw: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/** A stable BSUID for a phone number, so repeated injections name the same user. */
export function userIdForPhone(phone: string): string {
  const n = BigInt(`0x${createHash('sha256').update(phone).digest('hex').slice(0, 15)}`);
  return `US.${n.toString().padStart(19, '1').slice(0, 19)}`;
}

/** Metadata and envelope context every webhook carries. */
export interface EnvelopeContext {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

/** Wraps a `value` in Meta's `whatsapp_business_account` envelope. */
export function envelope(ctx: EnvelopeContext, value: Record<string, unknown>, field = 'messages'): object {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: ctx.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: ctx.displayPhoneNumber, phone_number_id: ctx.phoneNumberId },
              ...value,
            },
            field,
          },
        ],
      },
    ],
  };
}

/** A webhook of a WABA-level field (templates, account alerts, quality): no messaging metadata, like Meta's. */
export function templateWebhook(wabaId: string, field: string, value: Record<string, unknown>): object {
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ value, field }] }] };
}

const TYPE_KEYS = [
  'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive',
  'button', 'reaction', 'order', 'system', 'unsupported',
];

/** Builds the inbound `messages` webhook body for an injection. */
export function inboundWebhook(ctx: EnvelopeContext, input: InboundInput): { waMessageId: string; body: object } {
  const extra = input.message ?? {};
  const type =
    input.type ??
    (typeof extra.type === 'string' ? extra.type : undefined) ??
    (input.text !== undefined ? 'text' : TYPE_KEYS.find((k) => k in extra));
  if (!type) throw new SimulatorError(400, 'inbound message needs `text`, `type` or a typed `message` object');
  const from = input.from ?? (input.userId ? undefined : '16505551234');
  const userId = input.userId === null ? undefined : (input.userId ?? (from ? userIdForPhone(from) : undefined));
  const waMessageId = typeof extra.id === 'string' ? extra.id : newWamid();
  const message: Record<string, unknown> = {
    ...(from ? { from } : {}),
    ...(userId ? { from_user_id: userId } : {}),
    id: waMessageId,
    timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
    type,
    ...(input.text !== undefined ? { text: { body: input.text } } : {}),
    ...(input.contextMessageId ? { context: { from: ctx.displayPhoneNumber, id: input.contextMessageId } } : {}),
    ...extra,
  };
  const contact = {
    profile: { name: input.name ?? 'Sim User' },
    ...(from ? { wa_id: from } : {}),
    ...(userId ? { user_id: userId } : {}),
  };
  const value = { contacts: [contact], messages: [message] };
  const body = envelope({ ...ctx, phoneNumberId: input.phoneNumberId ?? ctx.phoneNumberId }, value);
  return { waMessageId, body };
}

/** What a status webhook needs to know about the send it reports on. */
export interface StatusSubject {
  waMessageId: string;
  /** Digits of `to`, absent when sent to a BSUID. */
  recipientId?: string;
  recipientUserId?: string;
  bizOpaqueCallbackData?: string;
  pricing: { pricing_model: 'PMP'; type: string; category: string };
}

/** Builds one status webhook (`sent`, `delivered`, `read`, ...). */
export function statusWebhook(ctx: EnvelopeContext, s: StatusSubject, status: string): object {
  const nowSec = Math.floor(Date.now() / 1000);
  const entry: Record<string, unknown> = {
    id: s.waMessageId,
    status,
    timestamp: String(nowSec),
    ...(s.recipientId ? { recipient_id: s.recipientId } : {}),
    ...(s.recipientUserId ? { recipient_user_id: s.recipientUserId } : {}),
    ...(s.bizOpaqueCallbackData !== undefined ? { biz_opaque_callback_data: s.bizOpaqueCallbackData } : {}),
    conversation: {
      id: createHash('sha1').update(`${s.recipientId ?? s.recipientUserId}`).digest('hex').slice(0, 32),
      ...(status === 'sent' ? { expiration_timestamp: String(nowSec + 24 * 3600) } : {}),
      origin: { type: s.pricing.category },
    },
    pricing: s.pricing,
  };
  return envelope(ctx, { statuses: [entry] });
}
