import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import type { Tx } from '../db/tx.js';
import { notifyMany, type Notification } from '../pubsub/topics.js';
import { Message } from './message.entity.js';
import type { OutcomeRow } from './message.repository.js';

/** The notifications of messages whose outcome changed: each message, and the progress of their bulk sends. */
export function outcomeNotifications(rows: OutcomeRow[]): Notification[] {
  const bulks = [...new Set(rows.flatMap((r) => (r.bulk_send_id ? [r.bulk_send_id] : [])))];
  return [
    ...rows.map((r): Notification => ({ topic: 'MESSAGE_STATUS_CHANGED', payload: { id: r.id, contactId: r.contact_id } })),
    ...bulks.map((id): Notification => ({ topic: 'BULK_SEND_PROGRESS', payload: { id } })),
  ];
}

/** Queues UNKNOWN messages (one, or a bulk send's) to be sent once more, with their jobs; returns those queued. */
export async function requeueUnknown(tx: Tx, { services }: Pick<Context, 'services'>, by: { id: string } | { bulkSendId: string }): Promise<OutcomeRow[]> {
  const rows = await services.repos.messages.requeueUnknown(tx, by, services.config.outbound.reconcileSeconds);
  await services.outbound.enqueue(tx, rows.map((r) => ({ messageId: r.id, contactId: r.contact_id, ...(r.bulk_send_id ? { bulkSendId: r.bulk_send_id } : {}) })));
  await notifyMany(tx, outcomeNotifications(rows));
  return rows;
}

/** The UNKNOWN message `id`; NOT_FOUND or BAD_USER_INPUT saying why it is not one. */
async function unknownMessage({ em }: Pick<Context, 'em'>, id: string): Promise<Message> {
  const m = /^\d+$/.test(id) ? await em.findOne(Message, id) : null;
  if (!m) throw new AppError('NOT_FOUND', `no message ${id}`);
  if (m.status !== 'UNKNOWN') throw new AppError('BAD_USER_INPUT', `message ${id} is ${m.status}, not UNKNOWN: only a message whose outcome is unknown can be resent or dismissed`);
  return m;
}

/**
 * Sends an UNKNOWN message once more, because a person asked: the new attempt may deliver it twice,
 * so it is refused until the message has waited OUTBOUND_RECONCILE_SECONDS for Meta's status webhook.
 */
export async function resendMessage(ctx: Context, id: string): Promise<Message> {
  const { services } = ctx;
  const m = await unknownMessage(ctx, id);
  const rows = await services.pool.transaction((tx) => requeueUnknown(tx, ctx, { id }));
  if (rows.length === 0) {
    const at = resendableAt(m, services.config.outbound.reconcileSeconds);
    if (at && at > new Date()) throw new AppError('BAD_USER_INPUT', `still waiting for WhatsApp's status of message ${id}; it can be resent from ${at.toISOString()}`, { resendableAt: at.toISOString() });
    throw new AppError('BAD_USER_INPUT', `message ${id} cannot be resent (its bulk send was cancelled, or it is no longer UNKNOWN)`);
  }
  services.outbound.wake();
  return ctx.em.fork().findOneOrFail(Message, id);
}

/** Settles an UNKNOWN message without sending it again: FAILED, "Not confirmed by WhatsApp" (a later status webhook still applies). */
export async function dismissMessage(ctx: Context, id: string): Promise<Message> {
  const { services } = ctx;
  await unknownMessage(ctx, id);
  const row = await services.pool.transaction(async (tx) => {
    const r = await services.repos.messages.dismissUnknown(tx, id);
    if (r) await notifyMany(tx, outcomeNotifications([r]));
    return r;
  });
  if (!row) throw new AppError('BAD_USER_INPUT', `message ${id} is no longer UNKNOWN`);
  return ctx.em.fork().findOneOrFail(Message, id);
}

/** When an UNKNOWN message has waited long enough for a status webhook to be offered for a resend; null for any other. */
export function resendableAt(m: Pick<Message, 'status' | 'sendAttemptedAt'>, reconcileSeconds: number): Date | null {
  if (m.status !== 'UNKNOWN' || !m.sendAttemptedAt) return null;
  return new Date(new Date(m.sendAttemptedAt).getTime() + reconcileSeconds * 1000);
}
