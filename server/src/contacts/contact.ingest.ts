import type { Tx } from '../db/tx.js';

export interface ContactIdentity {
  waId?: string | null;
  userId?: string | null;
  parentUserId?: string | null;
  profileName?: string | null;
  username?: string | null;
}

/** A non-empty trimmed string, else null. */
export const clean = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Reads the identity of a `contacts[]` entry of a webhook. */
export function identityFromWebhookContact(c: Record<string, any>): ContactIdentity {
  return {
    waId: clean(c?.wa_id),
    userId: clean(c?.user_id),
    parentUserId: clean(c?.parent_user_id),
    profileName: clean(c?.profile?.name),
    username: clean(c?.profile?.username),
  };
}

/**
 * Finds the contact for a phone number and/or BSUID, creating it when new. Both identifiers can
 * arrive for one person over time; when each matches a different contact they are merged into the
 * older one. Returns the contact id and whether anything about it changed.
 */
export async function upsertContact(tx: Tx, who: ContactIdentity): Promise<{ id: string; changed: boolean } | null> {
  const waId = clean(who.waId);
  const userId = clean(who.userId);
  if (!waId && !userId) return null;
  let found = await tx.rows(
    `select id from contact where wa_id = $1 or user_id = $2 order by id for update`,
    [waId, userId],
  );
  let changed = false;
  if (found.length === 0) {
    const inserted = await tx.one(
      `insert into contact (wa_id, user_id, parent_user_id, profile_name, username) values ($1, $2, $3, $4, $5)
       on conflict do nothing returning id`,
      [waId, userId, clean(who.parentUserId), clean(who.profileName), clean(who.username)],
    );
    if (inserted) return { id: String(inserted.id), changed: true };
    found = await tx.rows(`select id from contact where wa_id = $1 or user_id = $2 order by id for update`, [waId, userId]);
  }
  const keep = String(found[0]!.id);
  for (const other of found.slice(1)) {
    await mergeContact(tx, keep, String(other.id));
    changed = true;
  }
  const updated = await tx.one(
    `update contact set
       wa_id = coalesce($2, wa_id), user_id = coalesce($3, user_id), parent_user_id = coalesce($4, parent_user_id),
       profile_name = coalesce($5, profile_name), username = coalesce($6, username), updated_at = now()
     where id = $1 and (
       wa_id is distinct from coalesce($2, wa_id) or user_id is distinct from coalesce($3, user_id)
       or parent_user_id is distinct from coalesce($4, parent_user_id) or profile_name is distinct from coalesce($5, profile_name)
       or username is distinct from coalesce($6, username))
     returning id`,
    [keep, waId, userId, clean(who.parentUserId), clean(who.profileName), clean(who.username)],
  );
  return { id: keep, changed: changed || !!updated };
}

/** Moves everything of contact `from` onto `into` and deletes `from`. */
export async function mergeContact(tx: Tx, into: string, from: string): Promise<void> {
  await tx.rows(`update message set contact_id = $1 where contact_id = $2`, [into, from]);
  const gone = await tx.one(`delete from contact where id = $1 returning *`, [from]);
  if (!gone) return;
  await tx.rows(
    `update contact c set
       wa_id = coalesce(c.wa_id, $2), user_id = coalesce(c.user_id, $3), parent_user_id = coalesce(c.parent_user_id, $4),
       profile_name = coalesce(c.profile_name, $5), username = coalesce(c.username, $6), display_name = coalesce(c.display_name, $7),
       unread_count = c.unread_count + $8, is_pinned = c.is_pinned or $9, is_blocked = c.is_blocked or $10,
       tags = array(select distinct unnest(c.tags || $11::text[])),
       last_inbound_at = greatest(c.last_inbound_at, $12), updated_at = now()
     where c.id = $1`,
    [into, gone.wa_id, gone.user_id, gone.parent_user_id, gone.profile_name, gone.username, gone.display_name,
      gone.unread_count, gone.is_pinned, gone.is_blocked, gone.tags, gone.last_inbound_at],
  );
  await refreshLastMessage(tx, into);
}

/** Recomputes a contact's last message from its messages. */
export async function refreshLastMessage(tx: Tx, contactId: string): Promise<void> {
  await tx.rows(
    `update contact c set last_message_id = m.id, last_message_at = m.timestamp
     from (select id, timestamp from message where contact_id = $1 order by timestamp desc, id desc limit 1) m
     where c.id = $1`,
    [contactId],
  );
}
