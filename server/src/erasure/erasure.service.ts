import { Contact } from '../contacts/contact.entity.js';
import type { Services } from '../context.js';
import type { Tx } from '../db/tx.js';
import { AppError } from '../errors.js';
import { Media } from '../media/media.entity.js';
import { removeMediaFiles } from '../media/media.store.js';
import { MessageStatusEvent } from '../messages/message-status-event.entity.js';
import { Message } from '../messages/message.entity.js';
import { AccountEvent } from '../ops/account-event.entity.js';
import { contactWords, forgetWords } from '../search/word.erasure.js';
import { WebhookEvent } from '../webhook/webhook-event.entity.js';

/** What an erasure removed, per kind. */
export interface ErasureCounts {
  contactId: string;
  messages: number;
  statusEvents: number;
  mediaFiles: number;
  filesRemoved: number;
  webhookEvents: number;
  accountEvents: number;
  jobs: number;
  searchWords: number;
}

/** Events finished this long before the contact appeared may still name it (clocks of one database: a margin only). */
const SINCE_MARGIN_MS = 60_000;

/** Who the customer is: every identifier their rows name, and since when they may be named. */
interface Subject {
  identifiers: string[];
  since: Date;
}

/**
 * Erases a customer: every table's rows that hold their number, ids or texts go through that table's
 * owner, then their media files. The rows go in one transaction holding the contact's lock (a webhook
 * naming them meanwhile waits, and after the commit finds no contact: a customer who writes again is a
 * new contact). The raw webhook bodies naming them go before it, so an erasure that fails can be run
 * again while the contact still exists, and once more after it for those processed meanwhile.
 */
export async function eraseContact(s: Services, id: string): Promise<ErasureCounts> {
  const em = s.orm.em.fork();
  const contacts = em.getRepository(Contact);
  const messages = em.getRepository(Message);
  const media = em.getRepository(Media);
  const statusEvents = em.getRepository(MessageStatusEvent);
  const accountEvents = em.getRepository(AccountEvent);
  const webhookEvents = em.getRepository(WebhookEvent);
  const eraseBodies = async (who: Subject) => webhookEvents.erase(await webhookEvents.naming(who.identifiers, who.since));
  const subject = async (tx: Tx) => {
    const contact = await contacts.lockForErasure(tx, id);
    if (!contact) return undefined;
    const of = await messages.ofContactForErasure(tx, id);
    const who: Subject = {
      identifiers: [...new Set([...contact.identifiers, ...of.identifiers])],
      since: new Date(Math.min(contact.createdAt.getTime(), of.since?.getTime() ?? Infinity) - SINCE_MARGIN_MS),
    };
    return { who, of };
  };

  const first = await s.pool.transaction(subject);
  if (!first) throw new AppError('NOT_FOUND', `no contact ${id}`);
  let bodies = await eraseBodies(first.who);
  const found = await retryDeadlocks(() => s.pool.transaction(async (tx) => {
    const found = await subject(tx);
    if (!found) return undefined;
    const { who, of } = found;
    const words = await contactWords(tx, id);
    const files = await media.eraseOfMessages(tx, of.ids);
    const counts = {
      statusEvents: await statusEvents.eraseOf(tx, of.wamids, who.identifiers),
      jobs: await s.outbound.eraseJobs(tx, id, of.ids),
      messages: await messages.eraseOfContact(tx, id),
      searchWords: await forgetWords(tx, words),
      accountEvents: await accountEvents.eraseNaming(tx, who.identifiers),
    };
    await contacts.remove(tx, id);
    return { counts, who, files, messageIds: of.ids };
  }));
  if (!found) throw new AppError('NOT_FOUND', `no contact ${id}`);
  bodies += await eraseBodies(found.who);
  const filesRemoved = await removeMediaFiles(s.media.dir, found.files.filter((f): f is string => !!f), found.messageIds);
  const counts: ErasureCounts = { contactId: id, ...found.counts, mediaFiles: found.files.length, filesRemoved, webhookEvents: bodies };
  s.log.info(counts, 'contact erased');
  return counts;
}

/**
 * Runs `fn` again when PostgreSQL aborted it for a deadlock: an inbox batch that locked one of the
 * customer's messages first and then waits for the contact the erasure holds. The batch goes on; the
 * erasure, rolled back whole, starts over.
 */
async function retryDeadlocks<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || (err as { code?: string }).code !== '40P01') throw err;
    }
  }
}
