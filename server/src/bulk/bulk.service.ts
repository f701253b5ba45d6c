import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import type { Tx } from '../db/tx.js';
import { compose, type Composed, type ComposeLookups } from '../messages/message.compose.js';
import { composeLookups, parseRecipient } from '../messages/message.send.js';
import { requeueUnknown } from '../messages/message.unknown.js';
import { type Notification, notify, notifyMany } from '../pubsub/topics.js';
import { BulkSend, BulkSendControl } from './bulk-send.entity.js';
import type { BulkRecipientInput, SendBulkMessageInput } from './bulk.input.js';
import type { ContactRepository } from '../contacts/contact.repository.js';
import { actorIds } from '../identity/principal.js';

/** Most recipients one bulk send takes. */
export const MAX_RECIPIENTS = 100_000;

/** Memoizes template lookups: one query per template and language, not one per recipient. */
function cached(lookups: ComposeLookups): ComposeLookups {
  const templates = new Map<string, ReturnType<ComposeLookups['template']>>();
  return {
    waMessageIdOf: lookups.waMessageIdOf,
    template: (name, language) => {
      const key = `${name}\u0000${language}`;
      if (!templates.has(key)) templates.set(key, lookups.template(name, language));
      return templates.get(key)!;
    },
  };
}

async function composeEach(input: SendBulkMessageInput, lookups: ComposeLookups): Promise<Composed[]> {
  if (!input.text === !input.template) throw new AppError('BAD_USER_INPUT', 'give exactly one of text or template');
  if (input.text != null) {
    const one = await compose({ text: input.text }, lookups);
    return input.recipients.map(() => one);
  }
  const out: Composed[] = [];
  for (const [i, r] of input.recipients.entries()) {
    const t = input.template!;
    try {
      out.push(await compose({ template: { ...t, parameters: r.parameters ?? t.parameters, namedParameters: r.namedParameters ?? t.namedParameters } }, lookups));
    } catch (err) {
      if (err instanceof AppError) throw new AppError('BAD_USER_INPUT', `recipient ${i}: ${err.message}`, { recipient: i });
      throw err;
    }
  }
  return out;
}

/** Each recipient's contact (created for new phone numbers / BSUIDs), deduplicated by contact. */
async function resolveContacts(tx: Tx, contacts: ContactRepository, recipients: BulkRecipientInput[]) {
  const parsed = recipients.map((r, i) => {
    if (!r.contactId === !r.to) throw new AppError('BAD_USER_INPUT', `recipient ${i}: give exactly one of contactId or to`, { recipient: i });
    if (r.contactId && !/^\d+$/.test(r.contactId)) throw new AppError('BAD_USER_INPUT', `recipient ${i}: no contact ${r.contactId}`, { recipient: i });
    try {
      return r.to ? parseRecipient(r.to) : { contactId: r.contactId! };
    } catch {
      throw new AppError('BAD_USER_INPUT', `recipient ${i}: ${r.to} is neither a phone number nor a BSUID`, { recipient: i });
    }
  });
  const waIds = parsed.flatMap((p) => ('waId' in p && p.waId ? [p.waId] : []));
  const userIds = parsed.flatMap((p) => ('userId' in p && p.userId ? [p.userId] : []));
  const ids = parsed.flatMap((p) => ('contactId' in p ? [p.contactId] : []));
  await contacts.ensureExist(tx, waIds, userIds);
  const rows = await contacts.recipients(tx, ids, waIds, userIds);
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const byWa = new Map(rows.filter((r) => r.wa_id).map((r) => [r.wa_id, r]));
  const byUser = new Map(rows.filter((r) => r.user_id).map((r) => [r.user_id, r]));
  return parsed.map((p, i) => {
    const c = 'contactId' in p ? byId.get(p.contactId) : p.waId ? byWa.get(p.waId) : byUser.get(p.userId!);
    if (!c) throw new AppError('BAD_USER_INPUT', `recipient ${i}: no contact ${'contactId' in p ? p.contactId : ''}`, { recipient: i });
    return c;
  });
}

/**
 * Creates a bulk send: one message per distinct recipient, all stored with their send jobs in one
 * transaction. Recipients that are blocked, or outside their window for a text, get a FAILED message
 * saying why, and no send.
 */
export async function createBulkSend({ em, services, principal }: Context, input: SendBulkMessageInput): Promise<BulkSend> {
  const { pool, repos, outbound, whatsapp } = services;
  const bulkSends = em.getRepository(BulkSend);
  if (input.clientBulkId) {
    const earlier = await bulkSends.byClientBulkId(input.clientBulkId);
    if (earlier) return earlier;
  }
  if (input.recipients.length === 0 || input.recipients.length > MAX_RECIPIENTS) {
    throw new AppError('BAD_USER_INPUT', `between 1 and ${MAX_RECIPIENTS} recipients`);
  }
  const composed = await composeEach(input, cached(composeLookups(em)));
  const launcher = actorIds(principal);
  const id = await pool.transaction(async (tx) => {
    const contacts = await resolveContacts(tx, repos.contacts, input.recipients);
    const seen = new Set<string>();
    const rows: Array<{ contact: any; c: Composed }> = [];
    contacts.forEach((contact, i) => {
      if (seen.has(String(contact.id))) return;
      seen.add(String(contact.id));
      rows.push({ contact, c: composed[i]! });
    });
    const bulkId = await bulkSends.add(tx, {
      name: input.name ?? null, clientBulkId: input.clientBulkId ?? null, kind: input.template ? 'TEMPLATE' : 'TEXT', total: rows.length,
      launchedByAgentId: launcher.agentId, launchedByApiKeyId: launcher.apiKeyId,
    });
    if (!bulkId) return null;
    const refusal = ({ contact, c }: (typeof rows)[number]) =>
      contact.is_blocked ? 'Contact blocked' : c.needsWindow && !contact.window_open ? 'Outside the 24-hour customer-service window' : null;
    const inserted = await repos.messages.insertBulk(
      tx,
      bulkId,
      whatsapp.phoneNumberId,
      rows.map((r) => ({ contactId: r.contact.id, type: r.c.type, waType: r.c.waType, text: r.c.text, payload: r.c.payload, refusal: refusal(r) })),
    );
    await repos.contacts.sentInBulk(tx, bulkId);
    const queued = inserted.filter((m) => m.status === 'PENDING');
    await outbound.enqueue(tx, queued.map((m) => ({ messageId: String(m.id), contactId: String(m.contact_id), bulkSendId: bulkId })));
    const notes: Notification[] = inserted.flatMap((m) => [
      { topic: 'MESSAGE_ADDED', payload: { id: String(m.id), contactId: String(m.contact_id) } } as Notification,
      { topic: 'CONTACT_UPDATED', payload: { id: String(m.contact_id) } } as Notification,
    ]);
    await notifyMany(tx, [...notes, { topic: 'BULK_SEND_PROGRESS', payload: { id: bulkId } }]);
    return bulkId;
  });
  if (!id) return bulkSends.findOneOrFail({ clientBulkId: input.clientBulkId! }); // a concurrent retry won
  outbound.wake();
  return em.fork().getRepository(BulkSend).findOneOrFail(id);
}

/** Pauses, resumes or cancels a bulk send. */
export async function controlBulkSend({ em, services }: Context, id: string, to: BulkSendControl): Promise<BulkSend> {
  const bulkSends = em.getRepository(BulkSend);
  const bulk = /^\d+$/.test(id) ? await bulkSends.findOne(id) : null;
  if (!bulk) throw new AppError('NOT_FOUND', `no bulk send ${id}`);
  if (bulk.status === BulkSendControl.CANCELLED) throw new AppError('BAD_USER_INPUT', 'this bulk send was cancelled');
  await services.pool.transaction(async (tx) => {
    await bulkSends.setStatus(tx, id, to);
    if (to === BulkSendControl.CANCELLED) {
      const gone = await services.repos.messages.cancelQueued(tx, id);
      await notifyMany(tx, gone.map((m) => ({ topic: 'MESSAGE_STATUS_CHANGED', payload: { id: String(m.id), contactId: String(m.contact_id) } })));
    }
    if (to === BulkSendControl.RUNNING) {
      // Jobs of messages skipped while paused are gone; queue them again (a duplicate job is harmless).
      const waiting = await services.repos.messages.queuedOf(tx, id);
      await services.outbound.enqueue(tx, waiting.map((m) => ({ messageId: String(m.id), contactId: String(m.contact_id), bulkSendId: id })));
    }
    await notify(tx, 'BULK_SEND_PROGRESS', { id });
  });
  services.outbound.wake();
  return em.fork().getRepository(BulkSend).findOneOrFail(id);
}

/**
 * Sends once more the bulk send's messages whose outcome is UNKNOWN and that waited
 * OUTBOUND_RECONCILE_SECONDS for a status webhook, because a person asked (each may then arrive twice).
 */
export async function resendBulkUnknown(ctx: Context, id: string): Promise<BulkSend> {
  const { em, services } = ctx;
  const bulk = /^\d+$/.test(id) ? await em.getRepository(BulkSend).findOne(id) : null;
  if (!bulk) throw new AppError('NOT_FOUND', `no bulk send ${id}`);
  if (bulk.status === BulkSendControl.CANCELLED) throw new AppError('BAD_USER_INPUT', 'this bulk send was cancelled');
  await services.pool.transaction((tx) => requeueUnknown(tx, ctx, { bulkSendId: id }));
  services.outbound.wake();
  return em.fork().getRepository(BulkSend).findOneOrFail(id);
}
