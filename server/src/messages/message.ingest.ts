import type { Tx } from '../db/tx.js';
import { applyPendingStatuses, metaTime } from './message.status.js';
import { notify } from '../pubsub/topics.js';

const TYPE_MAP: Record<string, string> = {
  text: 'TEXT', image: 'IMAGE', video: 'VIDEO', audio: 'AUDIO', document: 'DOCUMENT', sticker: 'STICKER',
  location: 'LOCATION', contacts: 'CONTACTS', interactive: 'INTERACTIVE', button: 'BUTTON', reaction: 'REACTION',
  order: 'ORDER', system: 'SYSTEM', request_welcome: 'SYSTEM', revoke: 'SYSTEM', template: 'TEMPLATE',
};
const NOT_UNREAD = new Set(['SYSTEM', 'REACTION']);
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The text an agent reads for a message: body, caption, reply title, button text, ... */
export function textOf(type: string, data: Record<string, any> | undefined): string | null {
  if (!data) return null;
  switch (type) {
    case 'text': return str(data.body);
    case 'image': case 'video': case 'document': return str(data.caption);
    case 'interactive': {
      const r = data.button_reply ?? data.list_reply ?? data.nfm_reply;
      return str(r?.title) ?? str(r?.body) ?? null;
    }
    case 'button': return str(data.text);
    case 'order': return str(data.text);
    case 'system': return str(data.body);
    case 'location': return str(data.name) ?? str(data.address);
    default: return null;
  }
}

export interface MessageContext {
  contactId: string;
  direction: 'INBOUND' | 'OUTBOUND';
  source: 'CUSTOMER' | 'BUSINESS_APP';
  phoneNumberId: string | null;
  /** Value-level errors of the webhook, kept on its messages that carry none of their own. */
  errors?: Array<Record<string, any>>;
  /** Called in the transaction for a new image/video/audio/document/sticker message with Meta's media object. */
  mediaAdded?: (tx: Tx, messageId: string, media: Record<string, any>) => Promise<void>;
}

/**
 * Stores one message from a webhook (`messages[]` or `message_echoes[]`). Edits and revokes change
 * their original; everything else becomes a Message, unknown types as UNSUPPORTED with the raw JSON.
 * Idempotent on the wamid.
 */
export async function ingestMessage(tx: Tx, m: Record<string, any>, ctx: MessageContext): Promise<void> {
  const waType = str(m.type) ?? 'unknown';
  if ((waType === 'edit' || waType === 'revoke') && (await changeOriginal(tx, m, waType))) return;
  const row = messageRow(m, ctx);
  const inserted = await tx.one(
    `insert into message (${MESSAGE_COLUMNS.join(', ')}) values (${MESSAGE_COLUMNS.map((_, i) => `$${i + 1}`).join(',')})
     on conflict (wa_message_id) do nothing returning id`,
    MESSAGE_COLUMNS.map((c) => row[c]),
  );
  if (!inserted) return; // duplicate delivery
  const id = String(inserted.id);
  const media = mediaOf(m);
  if (ctx.mediaAdded && media) await ctx.mediaAdded(tx, id, media);
  const inbound = countsAsInbound(row);
  await tx.rows(
    `update contact set
       last_message_id = case when $2 >= coalesce(last_message_at, '-infinity') then $3 else last_message_id end,
       last_message_at = greatest(coalesce(last_message_at, '-infinity'), $2),
       unread_count = unread_count + $4,
       last_inbound_at = case when $5 then greatest(coalesce(last_inbound_at, '-infinity'), $2) else last_inbound_at end,
       conversation_closed = case when $5 then false else conversation_closed end,
       updated_at = now()
     where id = $1`,
    [ctx.contactId, row.timestamp, id, countsAsUnread(row) ? 1 : 0, inbound],
  );
  if (ctx.direction === 'OUTBOUND' && m.id) await applyPendingStatuses(tx, id, m.id);
  await notify(tx, 'MESSAGE_ADDED', { id, contactId: ctx.contactId });
  await notify(tx, 'CONTACT_UPDATED', { id: ctx.contactId });
}

/** The columns a webhook message fills, in insert order, with their PostgreSQL types. */
export const MESSAGE_COLUMN_TYPES = {
  wa_message_id: 'text', contact_id: 'bigint', direction: 'text', type: 'text', wa_type: 'text', text: 'text',
  status: 'text', source: 'text', business_phone_number_id: 'text', timestamp: 'timestamptz', payload: 'jsonb',
  raw: 'jsonb', context_wa_message_id: 'text', forwarded: 'boolean', frequently_forwarded: 'boolean',
  referral: 'jsonb', error_code: 'int', error_title: 'text', error_message: 'text', error_details: 'text',
  sent_at: 'timestamptz', deleted_at: 'timestamptz',
} as const;
export const MESSAGE_COLUMNS = Object.keys(MESSAGE_COLUMN_TYPES) as Array<keyof typeof MESSAGE_COLUMN_TYPES>;
export type MessageRow = Record<keyof typeof MESSAGE_COLUMN_TYPES, unknown> & { timestamp: Date; type: string; direction: string };

/** The row a webhook message (not an edit or revoke of a stored one) becomes. */
export function messageRow(m: Record<string, any>, ctx: Pick<MessageContext, 'contactId' | 'direction' | 'source' | 'phoneNumberId' | 'errors'>): MessageRow {
  const waType = str(m.type) ?? 'unknown';
  const inner = waType === 'edit' ? m.edit?.message : undefined;
  const data = inner ? inner[inner.type] : m[waType];
  const err = Array.isArray(m.errors) ? m.errors[0] : ctx.errors?.[0];
  const ts = metaTime(m.timestamp);
  return {
    wa_message_id: str(m.id),
    contact_id: ctx.contactId,
    direction: ctx.direction,
    type: inner ? (TYPE_MAP[inner.type] ?? 'UNSUPPORTED') : (TYPE_MAP[waType] ?? 'UNSUPPORTED'),
    wa_type: waType,
    text: textOf(inner ? inner.type : waType, data),
    status: ctx.direction === 'INBOUND' ? 'RECEIVED' : 'SENT',
    source: ctx.source,
    business_phone_number_id: ctx.phoneNumberId,
    timestamp: ts,
    payload: payloadOf(m, waType, ctx),
    raw: m,
    context_wa_message_id: str(m.context?.id),
    forwarded: m.context?.forwarded === true,
    frequently_forwarded: m.context?.frequently_forwarded === true,
    referral: m.referral ?? null,
    error_code: err?.code ?? null,
    error_title: err?.title ?? null,
    error_message: err?.message ?? null,
    error_details: err?.error_data?.details ?? null,
    sent_at: ctx.direction === 'OUTBOUND' ? ts : null,
    deleted_at: waType === 'revoke' ? ts : null,
  };
}

/** A customer wrote (system notices don't open the window or reopen the conversation). */
export const countsAsInbound = (row: MessageRow): boolean => row.direction === 'INBOUND' && row.type !== 'SYSTEM';

/** The message raises the contact's unread count. */
export const countsAsUnread = (row: MessageRow): boolean => countsAsInbound(row) && !NOT_UNREAD.has(row.type);

/** Meta's media object of an image/video/audio/document/sticker message, to download. */
export function mediaOf(m: Record<string, any>): Record<string, any> | undefined {
  const waType = str(m.type);
  const data = waType ? m[waType] : undefined;
  return waType && MEDIA_TYPES.has(waType) && typeof data?.id === 'string' ? data : undefined;
}

function payloadOf(m: Record<string, any>, waType: string, ctx: Pick<MessageContext, 'errors'>): Record<string, unknown> | null {
  const p: Record<string, unknown> = {};
  if (m[waType] !== undefined) p[waType] = m[waType];
  if (m.errors) p.errors = m.errors;
  else if (ctx.errors?.length) p.errors = ctx.errors;
  if (m.identity) p.identity = m.identity;
  return Object.keys(p).length ? p : null;
}

/** Applies an edit or revoke to its original message. False when the original is not stored. */
async function changeOriginal(tx: Tx, m: Record<string, any>, kind: 'edit' | 'revoke'): Promise<boolean> {
  const originalId = str(m[kind]?.original_message_id);
  if (!originalId) return false;
  const original = await tx.one(`select id, contact_id, text from message where wa_message_id = $1 for update`, [originalId]);
  if (!original) return false;
  // Each change is applied once, even when Meta delivers it again.
  const first = await tx.one(
    `insert into message_status_event (wa_message_id, status, timestamp, payload) values ($1, $2, $3, $4)
     on conflict do nothing returning id`,
    [str(m.id) ?? `${originalId}:${kind}:${m.timestamp}`, kind, metaTime(m.timestamp), m],
  );
  if (!first) return true;
  if (kind === 'revoke') {
    await tx.rows(`update message set deleted_at = $2, updated_at = now() where id = $1`, [original.id, metaTime(m.timestamp)]);
  } else {
    const inner = m.edit?.message ?? {};
    const text = textOf(inner.type, inner[inner.type]);
    await tx.rows(
      `update message set text = $2, edited_at = $3,
         edit_history = edit_history || jsonb_build_array(coalesce(text, '')),
         payload = coalesce(payload, '{}'::jsonb) || jsonb_build_object('edit', $4::jsonb), updated_at = now()
       where id = $1`,
      [original.id, text, metaTime(m.timestamp), JSON.stringify(m.edit ?? {})],
    );
  }
  await notify(tx, 'MESSAGE_STATUS_CHANGED', { id: String(original.id), contactId: String(original.contact_id) });
  return true;
}
