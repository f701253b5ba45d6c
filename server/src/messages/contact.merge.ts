import { clean, type ContactIdentity } from '../contacts/contact.identity.js';
import type { ContactRepository } from '../contacts/contact.repository.js';
import type { Tx } from '../db/tx.js';
import type { NoteRepository } from '../notes/note.repository.js';
import type { MessageRepository } from './message.repository.js';

/** The owners of what finding, creating and merging contacts changes. */
export interface ContactRepos {
  contacts: ContactRepository;
  messages: MessageRepository;
  notes: NoteRepository;
}

/**
 * Finds the contact for a phone number and/or BSUID, creating it when new. Both identifiers can
 * arrive for one person over time; when each matches a different contact they are merged into the
 * older one. Returns the contact id and whether anything about it changed.
 */
export async function upsertContact(tx: Tx, repos: ContactRepos, who: ContactIdentity): Promise<{ id: string; changed: boolean } | null> {
  const waId = clean(who.waId);
  const userId = clean(who.userId);
  if (!waId && !userId) return null;
  const identity = { wa_id: waId, user_id: userId, parent_user_id: clean(who.parentUserId), profile_name: clean(who.profileName), username: clean(who.username) };
  let found = await repos.contacts.lockByIdentity(tx, waId, userId);
  let changed = false;
  if (found.length === 0) {
    const inserted = await repos.contacts.insertIdentity(tx, identity);
    if (inserted) return { id: inserted, changed: true };
    found = await repos.contacts.lockByIdentity(tx, waId, userId);
  }
  const keep = found[0]!;
  for (const other of found.slice(1)) {
    await mergeContact(tx, repos, keep, other);
    changed = true;
  }
  return { id: keep, changed: (await repos.contacts.fillIdentity(tx, keep, identity)) || changed };
}

/** Moves everything of contact `from` onto `into` and deletes `from`. */
export async function mergeContact(tx: Tx, repos: ContactRepos, into: string, from: string): Promise<void> {
  await repos.messages.moveToContact(tx, from, into);
  await repos.notes.moveToContact(tx, from, into);
  const gone = await repos.contacts.remove(tx, from, into);
  if (!gone) return;
  await repos.contacts.absorb(tx, into, gone);
  await repos.contacts.refreshLastMessage(tx, into);
}
