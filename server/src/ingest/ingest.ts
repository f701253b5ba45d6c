import { identityFromWebhookContact, type ContactIdentity } from '../contacts/contact.identity.js';
import { mergeContact, upsertContact } from '../messages/contact.merge.js';
import { ingestMessage, type IngestRepos, type MessageContext } from '../messages/message.ingest.js';
import { recordStatus } from '../messages/message.status.js';
import { applyTemplateWebhook, TEMPLATE_FIELDS } from '../templates/template.webhook.js';
import type { WebhookEnvelope } from '../webhook/webhook.payload.js';
import type { AccountEventRepository } from '../ops/account-event.repository.js';
import type { TemplateRepository } from '../templates/template.repository.js';
import type { Tx } from '../db/tx.js';
import { notify } from '../pubsub/topics.js';

type Value = Record<string, any>;
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** Work ingest hands on beyond its own tables (all optional: tools and tests ingest without them). */
export interface IngestHooks {
  /** A new media message was stored: queue its download in the same transaction. */
  mediaAdded?: MessageContext['mediaAdded'];
  /** AUTO_ASSIGN is on: give conversations that just opened an assignee, in the same transaction. */
  assignOpened?: MessageContext['assignOpened'];
  /** A template webhook named a template we do not have (or left its status open): sync soon. */
  templatesStale?: () => void;
}

/** The owners of what a webhook body changes. */
export interface EnvelopeRepos extends IngestRepos {
  accountEvents: AccountEventRepository;
  templates: TemplateRepository;
}

/** Applies one parsed webhook body inside the caller's transaction: every entry, change, message and status. */
export async function ingestEnvelope(tx: Tx, repos: EnvelopeRepos, env: WebhookEnvelope, webhookEventId: string, hooks: IngestHooks = {}): Promise<void> {
  for (const entry of env.entry) {
    for (const change of entry.changes) {
      const value: Value = change.value ?? {};
      const wabaId = entry.id != null ? String(entry.id) : null;
      if (change.field === 'messages' || change.field === 'smb_message_echoes') {
        await ingestMessagesChange(tx, repos, value, change.field === 'smb_message_echoes', hooks);
        // Out-of-band errors about the number or the app, not tied to one message.
        if (arr(value.errors).length) await recordAccountEvent(tx, repos, 'errors', wabaId, value, webhookEventId);
      } else {
        await recordAccountEvent(tx, repos, change.field, wabaId, value, webhookEventId);
        if (TEMPLATE_FIELDS.has(change.field) && !(await applyTemplateWebhook(tx, repos.templates, change.field, value))) hooks.templatesStale?.();
      }
    }
  }
}

async function recordAccountEvent(tx: Tx, repos: EnvelopeRepos, field: string, wabaId: string | null, value: Value, eventId: string) {
  await repos.accountEvents.record(tx, { field, wabaId, phoneNumberId: value.metadata?.phone_number_id ?? null, payload: value, webhookEventId: eventId });
}

async function ingestMessagesChange(tx: Tx, repos: IngestRepos, value: Value, echoes: boolean, hooks: IngestHooks): Promise<void> {
  const phoneNumberId: string | null = value.metadata?.phone_number_id ?? null;
  const profiles = new Map<string, ContactIdentity>();
  /** Identifier → contact id, for the contacts this change's contacts[] already upserted. */
  const resolved = new Map<string, string>();
  for (const c of arr(value.contacts)) {
    const who = identityFromWebhookContact(c);
    const res = await upsertContact(tx, repos, who);
    if (res?.changed) await notify(tx, 'CONTACT_UPDATED', { id: res.id });
    for (const key of [who.waId, who.userId, who.parentUserId]) {
      if (key) profiles.set(key, who);
      if (key && res) resolved.set(key, res.id);
    }
  }
  for (const m of arr(echoes ? value.message_echoes : value.messages)) {
    const waId = echoes ? m.to : m.from;
    const userId = echoes ? m.to_user_id : m.from_user_id;
    const parentUserId = echoes ? m.to_parent_user_id : m.from_parent_user_id;
    const known = profiles.get(waId) ?? profiles.get(userId);
    // The usual case: the sender was just upserted from contacts[] with every identifier the message names.
    const sameId = alreadyResolved(resolved, [waId, userId, parentUserId]);
    const contact = sameId
      ? { id: sameId, changed: false }
      : await upsertContact(tx, repos, { waId, userId, parentUserId, profileName: known?.profileName, username: known?.username });
    if (!contact) throw new Error(`message ${m.id ?? '(no id)'} names no sender or recipient`);
    if (contact.changed) await notify(tx, 'CONTACT_UPDATED', { id: contact.id });
    if (!echoes && m.type === 'system') {
      await applySystemChange(tx, repos, contact.id, m.system ?? {});
      resolved.clear(); // identifiers may have moved
    }
    await ingestMessage(tx, repos, m, {
      contactId: contact.id,
      direction: echoes ? 'OUTBOUND' : 'INBOUND',
      source: echoes ? 'BUSINESS_APP' : 'CUSTOMER',
      phoneNumberId,
      errors: arr(value.errors),
      mediaAdded: hooks.mediaAdded,
      assignOpened: hooks.assignOpened,
    });
  }
  for (const s of arr(value.statuses)) await recordStatus(tx, repos, s);
}

/** The contact id all of the given identifiers already resolved to in this change, if they all did. */
function alreadyResolved(resolved: Map<string, string>, ids: unknown[]): string | undefined {
  const given = ids.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const found = given.map((v) => resolved.get(v.trim()));
  return given.length > 0 && found.every((id) => id !== undefined && id === found[0]) ? found[0] : undefined;
}

/** A customer changed number or identity: the contact follows. */
async function applySystemChange(tx: Tx, repos: IngestRepos, contactId: string, system: Value): Promise<void> {
  const newWaId = system.wa_id ?? system.new_wa_id;
  const kind = String(system.type ?? '');
  if ((kind === 'user_changed_number' || kind === 'customer_changed_number') && typeof newWaId === 'string') {
    const taken = await repos.contacts.otherWith(tx, 'wa_id', newWaId, contactId);
    if (taken) await mergeContact(tx, repos, contactId, taken);
    await repos.contacts.setIdentifier(tx, contactId, 'wa_id', newWaId);
  } else if (kind === 'user_changed_user_id' && typeof system.user_id === 'string') {
    const taken = await repos.contacts.otherWith(tx, 'user_id', system.user_id, contactId);
    if (!taken) await repos.contacts.setIdentifier(tx, contactId, 'user_id', system.user_id);
  } else {
    return;
  }
  await notify(tx, 'CONTACT_UPDATED', { id: contactId });
}
