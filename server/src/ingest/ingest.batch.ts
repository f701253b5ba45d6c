import { clean, identityFromWebhookContact, type ContactIdentity } from '../contacts/contact.identity.js';
import type { ConversationAdvance, IdentityRow } from '../contacts/contact.repository.js';
import { conversationAdvance, mediaOf, messageRow, type IngestRepos, type MessageRow } from '../messages/message.ingest.js';
import { isRecordable } from '../messages/message.status.js';
import { recordStatuses } from '../messages/status.batch.js';
import { type Notification, notifyMany } from '../pubsub/topics.js';
import type { WebhookEnvelope } from '../webhook/webhook.payload.js';
import type { WebhookEventRepository } from '../webhook/webhook-event.repository.js';
import type { EnvelopeRepos, IngestHooks } from './ingest.js';
import type { Tx } from '../db/tx.js';

type Value = Record<string, any>;
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** Message types whose ingest changes other rows (an original message, a contact's number): always per event. */
const PER_EVENT_TYPES = new Set(['edit', 'revoke', 'system']);

/** A claimed webhook event with its parsed body. */
export interface ParsedEvent {
  id: string;
  envelope: WebhookEnvelope;
}

type Shape = 'messages' | 'statuses';
type Classified = ParsedEvent & { shape: Shape };

/** An identity an event names (its values already cleaned, as `clean` does). */
interface Request extends ContactIdentity {
  event: string;
}

type ContactRow = IdentityRow;

interface Pending {
  event: string;
  message: Value;
  sender: Request;
  phoneNumberId: string | null;
}

const IDENTITY_FIELDS = ['wa_id', 'user_id', 'parent_user_id', 'profile_name', 'username'] as const;
const fromRequest = (r: ContactIdentity): Omit<ContactRow, 'id'> => ({
  wa_id: r.waId ?? null, user_id: r.userId ?? null, parent_user_id: r.parentUserId ?? null, profile_name: r.profileName ?? null, username: r.username ?? null,
});
/** The key a person's contact is found by: the phone number, else the BSUID. */
const personKey = (waId: string | null | undefined, userId: string | null | undefined) => (waId ? `w:${waId}` : `u:${userId}`);

/** The owners of what a batch changes. */
export interface IngestBatchRepos extends EnvelopeRepos {
  webhookEvents: WebhookEventRepository;
}

/**
 * The common cases of a batch, applied set-wise, with the same result as applying the events one by
 * one with `ingestEnvelope`:
 * - events that only carry customers' messages (any type but edits, revokes and system notices) and
 *   their `contacts[]`: one locking read of the contacts involved, one insert of the new ones, one
 *   update of the changed ones, one insert of every message, one update of the contacts' last message,
 *   unread count and window;
 * - events that only carry statuses (recordStatuses);
 * then one NOTIFY batch and one update marking the events processed. A few statements for the whole
 * batch replace several round trips per event.
 *
 * Events of any other shape, events whose identifiers would merge contacts or move an identifier from
 * one contact to another, and events after those about the same people are left for the per-event
 * path: their ids are not in the returned set. The caller wraps this in a savepoint and falls back to
 * the per-event path for all events when it throws.
 */
export async function ingestBatch(tx: Tx, repos: IngestBatchRepos, events: readonly ParsedEvent[], hooks: IngestHooks = {}): Promise<Set<string>> {
  const safe = inOrderSafe(events);
  const notifications: Notification[] = [];
  const done = [
    ...(await ingestMessageEvents(tx, repos, safe.filter((e) => e.shape === 'messages'), hooks, notifications)),
    ...(await recordStatuses(
      tx,
      repos,
      safe.filter((e) => e.shape === 'statuses').map((e) => ({ id: e.id, statuses: [...changesOf(e)].flatMap((v) => arr(v.statuses)) })),
      notifications,
    )),
  ];
  if (done.length === 0) return new Set();
  await notifyMany(tx, notifications);
  await repos.webhookEvents.markProcessed(tx, done);
  return new Set(done);
}

async function ingestMessageEvents(tx: Tx, repos: IngestRepos, events: ParsedEvent[], hooks: IngestHooks, notifications: Notification[]): Promise<string[]> {
  let candidates: ParsedEvent[] = events;
  if (candidates.length === 0) return [];
  const messagesByEvent = new Map(candidates.map((e) => [e.id, messagesOf(e)]));
  const requests = candidates.flatMap((e) => contactRequests(e, messagesByEvent.get(e.id)!));
  const existing = await repos.contacts.lockByIdentifiers(tx, unique(requests.map((r) => r.waId)), unique(requests.map((r) => r.userId)));
  // Leave out every event touching a contact that the per-event path must merge or re-key; repeat,
  // since leaving out an event changes the groups of the others.
  let groups: Map<string, Group>;
  for (;;) {
    const ids = new Set(candidates.map((e) => e.id));
    groups = groupRequests(requests.filter((r) => ids.has(r.event)), existing);
    const unsafe = new Set<string>();
    for (const g of groups.values()) if (!g.safe) for (const r of g.requests) unsafe.add(r.event);
    if (unsafe.size === 0) break;
    candidates = candidates.filter((e) => !unsafe.has(e.id));
    if (candidates.length === 0) return [];
  }

  const touched = new Set<string>();
  const contactOf = await applyContacts(tx, repos, [...new Set(groups.values())], touched);

  const pending = candidates.flatMap((e) => messagesByEvent.get(e.id)!);
  const rows = pending.map((p) =>
    messageRow(p.message, { contactId: contactOf(p.sender)!, direction: 'INBOUND', source: 'CUSTOMER', phoneNumberId: p.phoneNumberId }),
  );
  const inserted = await repos.messages.insertManyReceived(tx, rows);
  const idOf = new Map(inserted.map((r) => [r.wa_message_id, r.id]));
  const added: Array<{ id: string; row: MessageRow; message: Value }> = [];
  for (const [i, row] of rows.entries()) {
    const id = idOf.get(row.wa_message_id as string);
    if (id === undefined) continue; // Meta delivered it before
    idOf.delete(row.wa_message_id as string); // a second copy in this batch is a duplicate too
    added.push({ id, row, message: pending[i]!.message });
  }

  for (const a of added) {
    const media = mediaOf(a.message);
    if (hooks.mediaAdded && media) await hooks.mediaAdded(tx, a.id, media);
  }
  const opened = await repos.contacts.advanceConversations(tx, conversations(added), !!hooks.assignOpened);
  if (opened.length) await hooks.assignOpened!(tx, opened);
  for (const a of added) {
    notifications.push({ topic: 'MESSAGE_ADDED', payload: { id: a.id, contactId: String(a.row.contact_id) } });
    touched.add(String(a.row.contact_id));
  }
  for (const id of touched) notifications.push({ topic: 'CONTACT_UPDATED', payload: { id } });
  return candidates.map((e) => e.id);
}

/**
 * The events the batch path may take ahead of the others: of simple shape, and naming no phone number
 * or BSUID that a preceding event left to the per-event path names too (that one must be applied
 * first; events about other people commute with it).
 */
function inOrderSafe(events: readonly ParsedEvent[]): Classified[] {
  const later = new Set<string>();
  const taken: Classified[] = [];
  for (const e of events) {
    const keys = identityKeys(e.envelope);
    const shape = shapeOf(e.envelope);
    if (shape && !keys.some((k) => later.has(k))) taken.push({ ...e, shape });
    else for (const k of keys) later.add(k);
  }
  return taken;
}

const KEY_FIELDS = new Set(['wa_id', 'new_wa_id', 'user_id', 'parent_user_id', 'from', 'to', 'from_user_id', 'to_user_id', 'from_parent_user_id', 'to_parent_user_id']);

/** Every phone number or BSUID in the contacts, messages and echoes of an envelope (statuses don't touch contacts). */
function identityKeys(env: WebhookEnvelope): string[] {
  const keys: string[] = [];
  const scan = (v: unknown, depth: number) => {
    if (depth > 6 || v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') {
        if (KEY_FIELDS.has(k) && x.trim() !== '') keys.push(x.trim());
      } else scan(x, depth + 1);
    }
  };
  for (const entry of env.entry) {
    for (const change of entry.changes) {
      const value: Value = change.value ?? {};
      scan(value.contacts, 0);
      scan(value.messages, 0);
      scan(value.message_echoes, 0);
    }
  }
  return keys;
}

/**
 * `messages` when the envelope only carries customers' messages of ordinary types (each with an id and
 * a sender) and their contacts; `statuses` when it only carries statuses naming wamid and status;
 * otherwise undefined (the per-event path).
 */
function shapeOf(env: WebhookEnvelope): Shape | undefined {
  let messages = false;
  let statuses = false;
  for (const entry of env.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') return undefined;
      const value: Value = change.value ?? {};
      if (arr(value.errors).length || arr(value.message_echoes).length) return undefined;
      for (const m of arr(value.messages)) {
        if (typeof m?.id !== 'string' || m.id === '' || typeof m.type !== 'string' || PER_EVENT_TYPES.has(m.type)) return undefined;
        if (!clean(m.from) && !clean(m.from_user_id)) return undefined;
        messages = true;
      }
      for (const s of arr(value.statuses)) {
        if (!isRecordable(s) || arr(value.contacts).length) return undefined;
        statuses = true;
      }
    }
  }
  if (messages && statuses) return undefined;
  return statuses ? 'statuses' : 'messages';
}

function* changesOf(e: ParsedEvent): Generator<Value> {
  for (const entry of e.envelope.entry) for (const change of entry.changes) yield change.value ?? {};
}

/** The profile a change's `contacts[]` gives for a sender, looked up by phone or BSUID. */
function profiles(value: Value): Map<string, ContactIdentity> {
  const byKey = new Map<string, ContactIdentity>();
  for (const c of arr(value.contacts)) {
    const who = identityFromWebhookContact(c);
    for (const key of [who.waId, who.userId, who.parentUserId]) if (key) byKey.set(key, who);
  }
  return byKey;
}

function messagesOf(e: ParsedEvent): Pending[] {
  const out: Pending[] = [];
  for (const value of changesOf(e)) {
    const known = profiles(value);
    for (const m of arr(value.messages)) {
      const who = known.get(m.from) ?? known.get(m.from_user_id);
      out.push({
        event: e.id,
        message: m,
        phoneNumberId: value.metadata?.phone_number_id ?? null,
        sender: { event: e.id, waId: clean(m.from), userId: clean(m.from_user_id), parentUserId: clean(m.from_parent_user_id), profileName: who?.profileName, username: who?.username },
      });
    }
  }
  return out;
}

/** Every identity the event names (its `contacts[]`, then the senders of `messages`), in the order the per-event path upserts them. */
function contactRequests(e: ParsedEvent, messages: Pending[]): Request[] {
  const out: Request[] = [];
  for (const value of changesOf(e)) {
    for (const c of arr(value.contacts)) {
      const who = { event: e.id, ...identityFromWebhookContact(c) };
      if (who.waId || who.userId) out.push(who);
    }
  }
  return [...out, ...messages.map((p) => p.sender)];
}

interface Group {
  requests: Request[];
  contact?: ContactRow;
  /** One existing contact at most, and at most one phone number and one BSUID among everything named. */
  safe: boolean;
}

/** Groups the requests by the person they name (linked by shared phone numbers or BSUIDs, directly or through a stored contact). */
function groupRequests(requests: Request[], existing: ContactRow[]): Map<string, Group> {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  const union = (keys: string[]) => {
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of keys.slice(1)) parent.set(find(k), find(keys[0]!));
  };
  const keysOf = (waId: string | null | undefined, userId: string | null | undefined) =>
    [waId ? `w:${waId}` : null, userId ? `u:${userId}` : null].filter((k): k is string => k !== null);
  for (const r of requests) union(keysOf(r.waId, r.userId));
  const relevant = existing.filter((c) => keysOf(c.wa_id, c.user_id).some((k) => parent.has(k)));
  for (const c of relevant) union(keysOf(c.wa_id, c.user_id));

  const byRoot = new Map<string, Group>();
  const groupOf = (key: string) => {
    const root = find(key);
    let g = byRoot.get(root);
    if (!g) byRoot.set(root, (g = { requests: [], safe: true }));
    return g;
  };
  for (const c of relevant) {
    const g = groupOf(keysOf(c.wa_id, c.user_id)[0]!);
    if (g.contact) g.safe = false; // two stored contacts are one person: a merge
    g.contact = c;
  }
  for (const r of requests) groupOf(keysOf(r.waId, r.userId)[0]!).requests.push(r);
  for (const g of byRoot.values()) {
    const waIds = new Set([g.contact?.wa_id, ...g.requests.map((r) => r.waId)].filter(Boolean));
    const userIds = new Set([g.contact?.user_id, ...g.requests.map((r) => r.userId)].filter(Boolean));
    if (waIds.size > 1 || userIds.size > 1) g.safe = false;
  }
  const byKey = new Map<string, Group>();
  for (const key of parent.keys()) byKey.set(key, byRoot.get(find(key))!);
  return byKey;
}

/**
 * Inserts the new contacts and updates the changed ones (later non-empty values win, as upserting
 * the requests in order would); returns the contact id of a request. Adds changed contacts to `touched`.
 */
async function applyContacts(tx: Tx, repos: IngestRepos, groups: Group[], touched: Set<string>): Promise<(r: ContactIdentity) => string | undefined> {
  const fold = (g: Group) => {
    const acc: Omit<ContactRow, 'id'> = g.contact ? { ...g.contact } : { wa_id: null, user_id: null, parent_user_id: null, profile_name: null, username: null };
    for (const r of g.requests) {
      const v = fromRequest(r);
      for (const f of IDENTITY_FIELDS) acc[f] = v[f] ?? acc[f];
    }
    return acc;
  };
  const fresh = groups.filter((g) => !g.contact);
  const changed: ContactRow[] = [];
  for (const g of groups) {
    if (!g.contact) continue;
    const row = { ...fold(g), id: g.contact.id };
    if (IDENTITY_FIELDS.some((f) => row[f] !== g.contact![f])) changed.push(row);
  }
  if (fresh.length) {
    const rows = fresh.map(fold);
    const created = await repos.contacts.insertIdentities(tx, rows);
    // Another process created one of them since the locking read: the per-event path sorts that out.
    if (created.length !== rows.length) throw new Error('a contact was created concurrently');
    const byKey = new Map<string, string>();
    for (const c of created) {
      if (c.wa_id) byKey.set(`w:${c.wa_id}`, c.id);
      if (c.user_id) byKey.set(`u:${c.user_id}`, c.id);
    }
    for (const [i, g] of fresh.entries()) {
      const r = rows[i]!;
      const id = byKey.get(personKey(r.wa_id, r.user_id))!;
      g.contact = { ...r, id };
      touched.add(id);
    }
  }
  if (changed.length) {
    await repos.contacts.updateIdentities(tx, changed);
    for (const c of changed) touched.add(c.id);
  }
  const byKey = new Map<string, string>();
  for (const g of groups) for (const r of g.requests) byKey.set(personKey(r.waId, r.userId), g.contact!.id);
  return (r) => byKey.get(personKey(r.waId, r.userId));
}

/** What the messages just stored do to their contacts' conversations, one row per contact (as one at a time would). */
function conversations(added: Array<{ id: string; row: MessageRow }>): ConversationAdvance[] {
  const byContact = new Map<string, ConversationAdvance>();
  for (const { id, row } of added) {
    const one = conversationAdvance(String(row.contact_id), id, row);
    const c = byContact.get(one.id);
    if (!c) {
      byContact.set(one.id, one);
      continue;
    }
    // Equal times: the later message wins, as it would one at a time.
    if (one.ts.getTime() >= c.ts.getTime()) Object.assign(c, { ts: one.ts, msg_id: id });
    c.unread += one.unread;
    if (one.inbound_at && (c.inbound_at === null || one.inbound_at.getTime() > c.inbound_at.getTime())) c.inbound_at = one.inbound_at;
  }
  return [...byContact.values()];
}

function unique(values: Array<string | null | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string'))];
}
