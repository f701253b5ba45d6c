import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import type { ConversationEvent, ConversationEventKind } from './conversation-event.entity.js';

/** The owner of `conversation_event`: appends a conversation's assignments, closes and reopenings. */
export class ConversationEventRepository extends SqlRepository<ConversationEvent> {
  /** Adds one event to the caller's unit of work (its flush or transaction writes it with the contact). */
  add(contactId: string, agentId: string | null, kind: ConversationEventKind): void {
    this.create({ contact: contactId, agent: agentId, kind });
  }

  /** Appends one event per contact (`agentIds[i]` for `contactIds[i]`; null: no agent). */
  async addMany(tx: Tx, kind: ConversationEventKind, contactIds: string[], agentIds: Array<string | null>): Promise<void> {
    if (contactIds.length === 0) return;
    // SQL: one insert for a webhook batch's conversations, in the caller's webhook transaction.
    await tx.rows(
      `insert into conversation_event (contact_id, agent_id, kind) select c, a, $1 from unnest($2::bigint[], $3::bigint[]) as x(c, a)`,
      [kind, contactIds, agentIds],
    );
  }

  /** Hands a contact's history to the contact it is merged into (before it is deleted, which would delete its events). */
  async move(tx: Tx, from: string, into: string): Promise<void> {
    // SQL: in the merge's transaction, which the entity manager is not part of.
    await tx.rows(`update conversation_event set contact_id = $2 where contact_id = $1`, [from, into]);
  }
}
