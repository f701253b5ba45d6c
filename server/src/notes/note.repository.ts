import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import type { Note } from './note.entity.js';

/** A note about to be written. */
export interface NewNote {
  contactId: string;
  text: string;
  /** Who wrote it: an agent, or an API key (both null for a bootstrap key); its name is kept either way. */
  authorAgentId: string | null;
  authorApiKeyId: string | null;
  authorName: string;
  mentionedAgentIds: string[];
}

/** The owner of `note`: internal notes of conversations. Agents write one at a time, so the entity manager does. */
export class NoteRepository extends SqlRepository<Note> {
  /** Stores a note (committed when this returns). */
  async add(n: NewNote): Promise<Note> {
    const note = this.create({
      contact: n.contactId,
      text: n.text,
      authorAgent: n.authorAgentId,
      authorApiKey: n.authorApiKeyId,
      authorName: n.authorName,
      mentionedAgentIds: n.mentionedAgentIds,
    });
    await this.em.flush();
    return note;
  }

  /** A conversation's notes, newest first: `first + 1` of them after the note `afterId`, so the caller knows whether more follow. */
  page(contactId: string, first: number, afterId?: string): Promise<Note[]> {
    return this.find({ contact: contactId, ...(afterId ? { id: { $lt: afterId } } : {}) }, { orderBy: { id: 'desc' }, limit: first + 1 });
  }

  /** Moves a contact's notes onto the contact it is merged into (before it is deleted, which would delete them). */
  async moveToContact(tx: Tx, from: string, into: string): Promise<void> {
    // SQL: every note of a contact at once, in the merge's transaction.
    await tx.rows(`update note set contact_id = $1 where contact_id = $2`, [into, from]);
  }

  /** How many notes a conversation has. */
  countOf(contactId: string): Promise<number> {
    return this.count({ contact: contactId });
  }
}
