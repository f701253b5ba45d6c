import type { ContactRepository, ConversationAdvance } from '../contacts/contact.repository.js';
import type { NoteRepository } from '../notes/note.repository.js';
import type { Tx } from '../db/tx.js';
import { applyPendingStatuses, metaTime, type StatusRepos } from './message.status.js';
import { notify } from '../pubsub/topics.js';
import { nfmReplySummary, orderSummary } from './message.summary.js';

const TYPE_MAP: Record<string, string> = {
  text: 'TEXT', image: 'IMAGE', video: 'VIDEO', audio: 'AUDIO', document: 'DOCUMENT', sticker: 'STICKER',
  location: 'LOCATION', contacts: 'CONTACTS', interactive: 'INTERACTIVE', button: 'BUTTON', reaction: 'REACTION',
  order: 'ORDER', system: 'SYSTEM', request_welcome: 'SYSTEM', revoke: 'SYSTEM', template: 'TEMPLATE',
};
const NOT_UNREAD = new Set(['SYSTEM', 'REACTION']);
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The text an agent reads for a message: body, caption, reply title, button text, a Flow's answers, an order's items... */
export function textOf(type: string, data: Record<string, any> | undefined): string | null {
  if (!data) return null;
  switch (type) {
    case 'text': return str(data.body);
    case 'image': case 'video': case 'document': return str(data.caption);
    case 'interactive': {
      if (data.nfm_reply) return nfmReplySummary(data.nfm_reply);
      const r = data.button_reply ?? data.list_reply;
      return str(r?.title) ?? null;
    }
    case 'button': return str(data.text);
    case 'order': return orderSummary(data);
    case 'system': return str(data.body);
    case 'location': return str(data.name) ?? str(data.address);
    default: return null;
  }
}

/** Where a webhook message belongs: its contact, direction, source and business number. */
export interface MessageContext {
  contactId: string;
  direction: 'INBOUND' | 'OUTBOUND';
  source: 'CUSTOMER' | 'BUSINESS_APP';
  phoneNumberId: string | null;
  /** Value-level errors of the webhook, kept on its messages that carry none of their own. */
  errors?: Array<Record<string, any>>;
  /** Called in the transaction for a new image/video/audio/document/sticker message with Meta's media object. */
  mediaAdded?: (tx: Tx, messageId: string, media: Record<string, any>) => Promise<void>;
  /** AUTO_ASSIGN: called in the transaction with conversations that just opened and have nobody available on them. */
  assignOpened?: (tx: Tx, contactIds: string[]) => Promise<void>;
}

/**
 * Stores one message from a webhook (`messages[]` or `message_echoes[]`). Edits and revokes change
 * their original; everything else becomes a Message, unknown types as UNSUPPORTED with the raw JSON.
 * Idempotent on the wamid.
 */
export async function ingestMessage(tx: Tx, repos: IngestRepos, m: Record<string, any>, ctx: MessageContext): Promise<void> {
  const waType = str(m.type) ?? 'unknown';
  if ((waType === 'edit' || waType === 'revoke') && (await changeOriginal(tx, repos, m, waType))) return;
  const row = messageRow(m, ctx);
  const id = await repos.messages.insertReceived(tx, row);
  if (id === undefined) return; // duplicate delivery
  const media = mediaOf(m);
  if (ctx.mediaAdded && media) await ctx.mediaAdded(tx, id, media);
  const opened = await repos.contacts.advanceConversations(tx, [conversationAdvance(ctx.contactId, id, row)], !!ctx.assignOpened);
  if (opened.length) await ctx.assignOpened!(tx, opened);
  if (ctx.direction === 'OUTBOUND' && m.id) await applyPendingStatuses(tx, repos, id, m.id);
  await notify(tx, 'MESSAGE_ADDED', { id, contactId: ctx.contactId });
  await notify(tx, 'CONTACT_UPDATED', { id: ctx.contactId });
}

/** The owners of the tables a webhook message changes. */
export interface IngestRepos extends StatusRepos {
  contacts: ContactRepository;
  /** A merge of two contacts moves the notes too. */
  notes: NoteRepository;
}

/** The columns a webhook message fills. */
export interface MessageRow {
  [column: string]: unknown;
  wa_message_id: string | null;
  contact_id: string;
  direction: string;
  type: string;
  timestamp: Date;
}

/** What a new message does to its contact's conversation (ContactRepository.advanceConversations). */
export function conversationAdvance(contactId: string, messageId: string, row: MessageRow): ConversationAdvance {
  return { id: contactId, ts: row.timestamp, msg_id: messageId, unread: countsAsUnread(row) ? 1 : 0, inbound_at: countsAsInbound(row) ? row.timestamp : null };
}

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
async function changeOriginal(tx: Tx, repos: IngestRepos, m: Record<string, any>, kind: 'edit' | 'revoke'): Promise<boolean> {
  const originalId = str(m[kind]?.original_message_id);
  if (!originalId) return false;
  const original = await repos.messages.lockOriginal(tx, originalId);
  if (!original) return false;
  // Each change is applied once, even when Meta delivers it again.
  const first = await repos.statusEvents.record(tx, {
    wa_message_id: str(m.id) ?? `${originalId}:${kind}:${m.timestamp}`, status: kind, timestamp: metaTime(m.timestamp), biz_opaque_callback_data: null, payload: m,
  });
  if (!first) return true;
  if (kind === 'revoke') {
    await repos.messages.markRevoked(tx, String(original.id), metaTime(m.timestamp));
  } else {
    const inner = m.edit?.message ?? {};
    // Edits arrive out of order like everything else: an older one only joins the history.
    await repos.messages.applyEdit(tx, String(original.id), textOf(inner.type, inner[inner.type]), metaTime(m.timestamp), m.edit);
  }
  await notify(tx, 'MESSAGE_STATUS_CHANGED', { id: String(original.id), contactId: String(original.contact_id) });
  return true;
}
