import { LockMode } from '@mikro-orm/core';
import { columnDefs } from '../db/columns.js';
import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import { AppError } from '../errors.js';
import { Agent } from '../identity/agent.entity.js';
import { SERVICE_WINDOW_MS, type Contact } from './contact.entity.js';
import { ConversationEvent, ConversationEventKind } from './conversation-event.entity.js';

/** A contact's identifiers and profile, as the webhook path reads and writes them. */
export interface IdentityRow {
  id: string;
  wa_id: string | null;
  user_id: string | null;
  parent_user_id: string | null;
  profile_name: string | null;
  username: string | null;
}

/** What new messages do to a contact's conversation: its last message, unread count and window. */
export interface ConversationAdvance {
  id: string;
  /** The newest of the messages' times, and that message's id. */
  ts: Date;
  msg_id: string;
  /** Messages that raise the unread count. */
  unread: number;
  /** The newest customer message's time, if any (opens the window, reopens the conversation). */
  inbound_at: Date | null;
}

/** What an agent may change about a contact. */
export interface ContactEdit {
  displayName?: string | null;
  tags?: string[] | null;
  isPinned?: boolean | null;
  isBlocked?: boolean | null;
  conversationClosed?: boolean | null;
}

const IDENTITY = ['wa_id', 'user_id', 'parent_user_id', 'profile_name', 'username'] as const;

/** The owner of `contact`: the only code that writes it. */
export class ContactRepository extends SqlRepository<Contact> {
  /** The conversations' history, written in the same transaction as the change it records. */
  private get events() {
    return this.em.getRepository(ConversationEvent);
  }

  /** The contact with this id, or NOT_FOUND. */
  async byId(id: string): Promise<Contact> {
    const c = /^\d+$/.test(id) ? await this.findOne(id) : null;
    if (!c) throw new AppError('NOT_FOUND', `no contact ${id}`);
    return c;
  }

  /**
   * Renames, tags, pins, blocks, closes or reopens a conversation; BAD_USER_INPUT for names or tags
   * past their limits. A close or reopen is recorded in the conversation's history with `byAgentId`.
   */
  async edit(id: string, input: ContactEdit, byAgentId: string | null = null): Promise<Contact> {
    const c = await this.byId(id);
    if (input.displayName !== undefined) {
      if (input.displayName !== null && input.displayName.length > 200) throw new AppError('BAD_USER_INPUT', 'displayName is longer than 200 characters');
      c.displayName = input.displayName?.trim() || null;
    }
    if (input.tags != null) {
      const tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
      if (tags.length > 50 || tags.some((t) => t.length > 50)) throw new AppError('BAD_USER_INPUT', 'at most 50 tags of at most 50 characters');
      c.tags = tags;
    }
    if (input.isPinned != null) c.isPinned = input.isPinned;
    if (input.isBlocked != null) c.isBlocked = input.isBlocked;
    if (input.conversationClosed != null && input.conversationClosed !== c.conversationClosed) {
      c.conversationClosed = input.conversationClosed;
      this.events.add(c.id, byAgentId, c.conversationClosed ? ConversationEventKind.CLOSED : ConversationEventKind.REOPENED);
    }
    await this.em.flush();
    return c;
  }

  /** The wamid and business number of the contact's newest customer message, which a read receipt names. */
  async latestReceived(contactId: string): Promise<{ waMessageId: string; phoneNumberId: string | null } | undefined> {
    // SQL: two columns of another table's newest row (message), read on the pool.
    const { rows } = await this.db.query(
      `select wa_message_id, business_phone_number_id from message
       where contact_id = $1 and direction = 'INBOUND' and wa_message_id is not null order by timestamp desc, id desc limit 1`,
      [contactId],
    );
    return rows[0] && { waMessageId: rows[0].wa_message_id, phoneNumberId: rows[0].business_phone_number_id };
  }

  /** Zeroes the unread count; true when it was not zero. */
  async markRead(c: Contact): Promise<boolean> {
    if (c.unreadCount === 0) return false;
    c.unreadCount = 0;
    await this.em.flush();
    return true;
  }

  /** Locks the contacts any of these phone numbers or BSUIDs name, in id order. */
  lockByIdentifiers(tx: Tx, waIds: string[], userIds: string[]): Promise<IdentityRow[]> {
    // SQL: a locking read in the caller's webhook transaction, for a whole batch at once.
    return tx.rows<IdentityRow>(
      `select id::text as id, wa_id, user_id, parent_user_id, profile_name, username from contact
       where wa_id = any($1::text[]) or user_id = any($2::text[]) order by id for update`,
      [waIds, userIds],
    );
  }

  /** Inserts new contacts; returns the ones inserted (one another transaction created meanwhile is left out). */
  insertIdentities(tx: Tx, rows: Array<Omit<IdentityRow, 'id'>>): Promise<Array<Pick<IdentityRow, 'id' | 'wa_id' | 'user_id'>>> {
    // SQL: one statement for a batch's new contacts, in the caller's webhook transaction.
    return tx.rows(
      `insert into contact (${IDENTITY.join(', ')}) select ${IDENTITY.join(', ')}
       from jsonb_to_recordset($1::jsonb) as x(${columnDefs('Contact', IDENTITY)})
       on conflict do nothing returning id::text as id, wa_id, user_id`,
      [JSON.stringify(rows)],
    );
  }

  /** Sets the identifiers and profiles of locked contacts. */
  async updateIdentities(tx: Tx, rows: IdentityRow[]): Promise<void> {
    // SQL: one statement for a batch's changed contacts, in the caller's webhook transaction.
    await tx.rows(
      `update contact c set ${IDENTITY.map((f) => `${f} = x.${f}`).join(', ')}, updated_at = now()
       from jsonb_to_recordset($1::jsonb) as x(${columnDefs('Contact', ['id', ...IDENTITY])})
       where c.id = x.id`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Moves conversations forward for messages just stored (a later time wins; equal times, the later
   * message). With `reportOpened` (AUTO_ASSIGN), returns the conversations that just opened, new (the
   * contact's first customer message) or reopened (a customer message on a closed one), whose assignee
   * is not an available active agent: those to give an assignee. Conversations a customer's message
   * reopened (it was closed) are recorded in their history, with one insert for them all.
   */
  async advanceConversations(tx: Tx, rows: ConversationAdvance[], reportOpened = false): Promise<string[]> {
    if (rows.length === 0) return [];
    // `o` is the row as it was before this statement (the caller holds its lock): whether the
    // conversation was closed or had no customer message yet.
    const unattended = reportOpened
      ? `x.inbound_at is not null and (o.last_inbound_at is null or o.conversation_closed)
         and (o.assignee_id is null or not exists (select 1 from agent a where a.id = o.assignee_id and a.active and a.available))`
      : 'false';
    const opened = ` join contact o on o.id = x.id where c.id = x.id
       returning c.id::text as id, x.inbound_at is not null and o.conversation_closed as reopened, ${unattended} as unattended`;
    // SQL: one statement for every conversation a batch touched, in the caller's webhook transaction.
    const updated = await tx.rows<{ id: string; reopened: boolean; unattended: boolean }>(
      `update contact c set
         last_message_id = case when x.ts >= coalesce(c.last_message_at, '-infinity') then x.msg_id else c.last_message_id end,
         last_message_at = greatest(coalesce(c.last_message_at, '-infinity'), x.ts),
         unread_count = c.unread_count + x.unread,
         last_inbound_at = case when x.inbound_at is not null then greatest(coalesce(c.last_inbound_at, '-infinity'), x.inbound_at) else c.last_inbound_at end,
         conversation_closed = case when x.inbound_at is not null then false else c.conversation_closed end,
         updated_at = now()
       from jsonb_to_recordset($1::jsonb) as x(id bigint, ts timestamptz, msg_id bigint, unread int, inbound_at timestamptz)${opened}`,
      [JSON.stringify(rows)],
    );
    const reopened = updated.filter((r) => r.reopened).map((r) => r.id);
    await this.events.addMany(tx, ConversationEventKind.REOPENED, reopened, reopened.map(() => null));
    return reportOpened ? updated.filter((r) => r.unattended).map((r) => r.id).sort((a, b) => Number(a) - Number(b)) : [];
  }

  /** Gives conversations their assignees (`agentIds[i]` takes `contactIds[i]`), as AUTO_ASSIGN's turns fell. */
  async assignTurns(tx: Tx, contactIds: string[], agentIds: string[]): Promise<void> {
    // SQL: one statement for a batch's opened conversations, in the caller's webhook transaction.
    await tx.rows(
      `update contact c set assignee_id = x.agent_id, assigned_at = now(), updated_at = now()
       from unnest($1::bigint[], $2::bigint[]) as x(id, agent_id) where c.id = x.id`,
      [contactIds, agentIds],
    );
    await this.events.addMany(tx, ConversationEventKind.ASSIGNED, contactIds.slice(0, agentIds.length), agentIds);
  }

  /**
   * Gives a conversation to an agent (null: to nobody), under the contact's row lock so two agents
   * taking it at once cannot both win; `allow` sees the current assignee and throws to refuse.
   * Returns the contact and whether anything changed.
   */
  async assignTo(id: string, agentId: string | null, allow: (currentAssigneeId: string | null) => void): Promise<{ contact: Contact; changed: boolean }> {
    if (!/^\d+$/.test(id)) throw new AppError('NOT_FOUND', `no contact ${id}`);
    return this.em.transactional(async (em) => {
      const c = await em.findOne(this.entityName, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!c) throw new AppError('NOT_FOUND', `no contact ${id}`);
      const current = c.assignee?.id ?? null;
      allow(current);
      if (current === agentId) return { contact: c, changed: false };
      c.assignee = agentId ? em.getReference(Agent, agentId, { wrapped: true }) : null;
      c.assignedAt = agentId ? new Date() : null;
      em.getRepository(ConversationEvent).add(c.id, agentId ?? current, agentId ? ConversationEventKind.ASSIGNED : ConversationEventKind.UNASSIGNED);
      return { contact: c, changed: true };
    });
  }

  /** Makes the messages of a bulk send just stored their contacts' last messages (unless a later one is). */
  async sentInBulk(tx: Tx, bulkSendId: string): Promise<void> {
    // SQL: one statement for every recipient, in the bulk send's transaction.
    await tx.rows(
      `update contact c set last_message_id = m.id, last_message_at = greatest(coalesce(c.last_message_at, '-infinity'), m.timestamp), updated_at = now()
       from message m where m.bulk_send_id = $1 and c.id = m.contact_id`,
      [bulkSendId],
    );
  }

  /** Makes a message just queued to send the contact's last message (unless a later one is). */
  async sentTo(tx: Tx, contactId: string, messageId: string, at: Date): Promise<void> {
    // SQL: in the send's transaction, with the message's insert and its pg-boss job.
    await tx.rows(
      `update contact set last_message_id = $2, last_message_at = greatest(coalesce(last_message_at, '-infinity'), $3), updated_at = now() where id = $1`,
      [contactId, messageId, at],
    );
  }

  /** Creates contacts for the phone numbers and BSUIDs of a bulk send's recipients that have none. */
  async ensureExist(tx: Tx, waIds: string[], userIds: string[]): Promise<void> {
    // SQL: two set-wise inserts for all recipients, in the bulk send's transaction.
    await tx.rows(`insert into contact (wa_id) select distinct unnest($1::text[]) on conflict do nothing`, [waIds]);
    await tx.rows(`insert into contact (user_id) select distinct unnest($1::text[]) on conflict do nothing`, [userIds]);
  }

  /** The contacts with these ids, phone numbers or BSUIDs, with whether each is blocked and its 24-hour window open. */
  recipients(tx: Tx, ids: string[], waIds: string[], userIds: string[]): Promise<Array<{ id: string; wa_id: string | null; user_id: string | null; is_blocked: boolean; window_open: boolean }>> {
    // SQL: one read for all recipients, in the bulk send's transaction.
    return tx.rows(
      `select id::text as id, wa_id, user_id, is_blocked, coalesce(last_inbound_at > now() - make_interval(secs => $4), false) as window_open
       from contact where id = any($1::bigint[]) or wa_id = any($2::text[]) or user_id = any($3::text[])`,
      [ids, waIds, userIds, SERVICE_WINDOW_MS / 1000],
    );
  }

  /** Locks the contacts with this phone number or BSUID, in id order. */
  async lockByIdentity(tx: Tx, waId: string | null, userId: string | null): Promise<string[]> {
    // SQL: a locking read in the caller's transaction (webhook or send).
    const rows = await tx.rows(`select id from contact where wa_id = $1 or user_id = $2 order by id for update`, [waId, userId]);
    return rows.map((r) => String(r.id));
  }

  /** Inserts a contact; undefined when another transaction inserted one with these identifiers first. */
  async insertIdentity(tx: Tx, row: Omit<IdentityRow, 'id'>): Promise<string | undefined> {
    // SQL: `on conflict do nothing` in the caller's transaction; the entity manager would raise instead.
    const inserted = await tx.one(
      `insert into contact (${IDENTITY.join(', ')}) values ($1, $2, $3, $4, $5) on conflict do nothing returning id`,
      IDENTITY.map((f) => row[f]),
    );
    return inserted ? String(inserted.id) : undefined;
  }

  /** Fills in the identifiers and profile given (null leaves one as it is); true when that changed anything. */
  async fillIdentity(tx: Tx, id: string, row: Omit<IdentityRow, 'id'>): Promise<boolean> {
    // SQL: an update that says whether it changed anything, in the caller's transaction.
    const updated = await tx.one(
      `update contact set ${IDENTITY.map((f, i) => `${f} = coalesce($${i + 2}, ${f})`).join(', ')}, updated_at = now()
       where id = $1 and (${IDENTITY.map((f, i) => `${f} is distinct from coalesce($${i + 2}, ${f})`).join(' or ')})
       returning id`,
      [id, ...IDENTITY.map((f) => row[f])],
    );
    return !!updated;
  }

  /** Deletes a contact (its messages moved elsewhere first, its history moved to `into`); returns its row, or undefined if it was gone. */
  async remove(tx: Tx, id: string, into?: string): Promise<Record<string, any> | undefined> {
    if (into) await this.events.move(tx, id, into);
    // SQL: in the merge's transaction (webhook or send), which moved the contact's messages first.
    return tx.one(`delete from contact where id = $1 returning *`, [id]);
  }

  /** Folds a removed contact's row into `into`: identifiers and names it lacks, unread count, pin, block, tags, window, an assignee it lacks. */
  async absorb(tx: Tx, into: string, gone: Record<string, any>): Promise<void> {
    // SQL: in the merge's transaction.
    await tx.rows(
      `update contact c set
         wa_id = coalesce(c.wa_id, $2), user_id = coalesce(c.user_id, $3), parent_user_id = coalesce(c.parent_user_id, $4),
         profile_name = coalesce(c.profile_name, $5), username = coalesce(c.username, $6), display_name = coalesce(c.display_name, $7),
         unread_count = c.unread_count + $8, is_pinned = c.is_pinned or $9, is_blocked = c.is_blocked or $10,
         tags = array(select distinct unnest(c.tags || $11::text[])),
         last_inbound_at = greatest(c.last_inbound_at, $12),
         assigned_at = case when c.assignee_id is null then $14::timestamptz else c.assigned_at end, assignee_id = coalesce(c.assignee_id, $13),
         updated_at = now()
       where c.id = $1`,
      [into, gone.wa_id, gone.user_id, gone.parent_user_id, gone.profile_name, gone.username, gone.display_name,
        gone.unread_count, gone.is_pinned, gone.is_blocked, gone.tags, gone.last_inbound_at, gone.assignee_id ?? null, gone.assigned_at ?? null],
    );
  }

  /** Recomputes a contact's last message from its messages. */
  async refreshLastMessage(tx: Tx, contactId: string): Promise<void> {
    // SQL: reads the contact's newest message in the merge's transaction.
    await tx.rows(
      `update contact c set last_message_id = m.id, last_message_at = m.timestamp
       from (select id, timestamp from message where contact_id = $1 order by timestamp desc, id desc limit 1) m
       where c.id = $1`,
      [contactId],
    );
  }

  /** The id of another contact with this phone number (or BSUID), if there is one. */
  async otherWith(tx: Tx, column: 'wa_id' | 'user_id', value: string, notId: string): Promise<string | undefined> {
    // SQL: in the webhook transaction applying a number or identity change.
    const row = await tx.one(`select id from contact where ${column} = $1 and id <> $2`, [value, notId]);
    return row ? String(row.id) : undefined;
  }

  /** Gives a contact a new phone number (or BSUID). */
  async setIdentifier(tx: Tx, id: string, column: 'wa_id' | 'user_id', value: string): Promise<void> {
    // SQL: in the webhook transaction applying a number or identity change.
    await tx.rows(`update contact set ${column} = $2, updated_at = now() where id = $1`, [id, value]);
  }

  /** Locks a contact for its erasure (new webhooks naming it wait) and answers its identifiers; undefined when there is none. */
  async lockForErasure(tx: Tx, id: string): Promise<{ identifiers: string[]; createdAt: Date } | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    // SQL: a row lock in the erasure's transaction, which the entity manager's fork would not share.
    const row = await tx.one(`select wa_id, user_id, parent_user_id, created_at from contact where id = $1 for update`, [id]);
    if (!row) return undefined;
    return { identifiers: [row.wa_id, row.user_id, row.parent_user_id].filter((v): v is string => !!v), createdAt: row.created_at };
  }
}
