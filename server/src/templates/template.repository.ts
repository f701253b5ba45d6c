import { LockMode, raw, Utils } from '@mikro-orm/core';
import { entityMeta } from '../db/columns.js';
import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import { likePattern } from '../graphql/connection.js';
import { Template } from './template.entity.js';

/** A template as Meta lists it, in the entity's terms. */
export type ListedTemplate = Pick<Template, 'name' | 'language' | (typeof FROM_META)[number]>;

/** What a webhook may change of a template. */
export type TemplateChange = Partial<Pick<Template, 'status' | 'category' | 'quality' | 'rejectedReason'>>;

/** Which stored template a webhook names: Meta's id, or name and language. */
export interface TemplateKey {
  waId: string | null;
  name: string | null;
  language: string | null;
}

/** The fields a sync takes from Meta; `updatedAt` moves only when one of them changes. */
const FROM_META = ['waId', 'status', 'category', 'components', 'parameterFormat', 'quality', 'rejectedReason'] as const;

const SYNC_LOCK = 'inbox-template-sync';

/** The database's `now()` as a value of a Date property, written by the next flush. */
const now = (): Date => raw('now()');
const keyOf = (t: { name: string; language: string }) => `${t.name}\u0000${t.language}`;
/** `en-US` names the same language as `en_US`, Meta's spelling. */
const metaLanguage = (language: string) => language.replace(/-/g, '_');

/** The owner of the `template` table: Meta's templates as last synced, and the webhooks' changes to them. */
export class TemplateRepository extends SqlRepository<Template> {
  /**
   * Stores Meta's whole list in one transaction: templates are matched by (name, language), created
   * or updated (`syncedAt` always, `updatedAt` only when a field changed), and the stored ones Meta
   * no longer lists become `DELETED` (kept, so past sends still name them and one that comes back is
   * simply updated). Answers how many became DELETED.
   */
  async sync(listed: ListedTemplate[]): Promise<number> {
    return this.em.transactional(async (em) => {
      // One writer at a time, so two processes syncing cannot mark each other's templates deleted.
      await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [SYNC_LOCK]);
      // Locked, so a webhook's change to a template lands before or after this sync, not in between.
      const all = await em.find(Template, {}, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
      const unlisted = new Map(all.map((t) => [keyOf(t), t]));
      for (const row of listed) {
        const stored = unlisted.get(keyOf(row));
        unlisted.delete(keyOf(row));
        const changed = !stored || FROM_META.some((k) => !Utils.equals(stored[k] ?? null, row[k] ?? null));
        const t = stored ? em.assign(stored, row) : em.create(Template, row);
        // The database's clock, as for the webhooks' changes.
        t.syncedAt = now();
        if (changed) t.updatedAt = now();
      }
      const gone = [...unlisted.values()].filter((t) => t.status !== 'DELETED');
      for (const t of gone) {
        t.status = 'DELETED';
        t.updatedAt = now();
      }
      return gone.length;
    });
  }

  /**
   * Applies a webhook's change to the template it names, inside the webhook's transaction (`updatedAt`
   * moves even when nothing else does). False when no such template is stored.
   */
  async applyWebhook(tx: Tx, key: TemplateKey, change: TemplateChange): Promise<boolean> {
    const props = entityMeta('Template').properties;
    const keys = Object.keys(change) as Array<keyof TemplateChange>;
    const assignments = keys.map((k, i) => `"${props[k].fieldNames[0]}" = $${i + 4}`);
    // SQL: runs in the caller's webhook-processing transaction (a Tx), beside statements of other tables.
    const found = await tx.rows(
      `update template set ${[...assignments, 'updated_at = now()'].join(', ')}
       where wa_id = $1 or (name = $2 and language = $3) returning id`,
      [key.waId, key.name, key.language, ...keys.map((k) => change[k])],
    );
    return found.length > 0;
  }

  /**
   * Stores a template just created at Meta (status as Meta answered, usually PENDING). A row of the same
   * name and language (one deleted earlier) is taken over, as a sync would.
   */
  async recordCreated(row: ListedTemplate): Promise<Template> {
    const stored = await this.findOne({ name: row.name, language: row.language });
    const t = stored ? this.em.assign(stored, row) : this.em.create(Template, row);
    t.updatedAt = now();
    t.syncedAt = now();
    await this.em.flush();
    return this.em.refresh(t) as Promise<Template>;
  }

  /** Stores an edit Meta took: the new category or components, and the status Meta answered. */
  async recordEdit(t: Template, change: Partial<Pick<Template, 'status' | 'category' | 'components'>>): Promise<Template> {
    this.em.assign(t, change);
    t.updatedAt = now();
    await this.em.flush();
    return this.em.refresh(t) as Promise<Template>;
  }

  /** Marks deleted what Meta deleted: one language of the name, or all of them; answers those marked. */
  async recordDeleted(name: string, language?: string): Promise<Template[]> {
    const gone = await this.find({ name, ...(language ? { language } : {}), status: { $ne: 'DELETED' } }, { orderBy: { language: 'asc' } });
    for (const t of gone) {
      t.status = 'DELETED';
      t.updatedAt = now();
    }
    await this.em.flush();
    return Promise.all(gone.map((t) => this.em.refresh(t) as Promise<Template>));
  }

  /** Synced templates ordered by name and language; without `status`, all but DELETED ones. */
  list(filter: { status?: string; nameContains?: string; language?: string } = {}): Promise<Template[]> {
    return this.find(
      {
        status: filter.status ?? { $ne: 'DELETED' },
        ...(filter.nameContains ? { name: { $ilike: likePattern(filter.nameContains) } } : {}),
        ...(filter.language ? { language: metaLanguage(filter.language) } : {}),
      },
      { orderBy: { name: 'asc', language: 'asc' } },
    );
  }

  /** The APPROVED template with this name and language (`en_US`; `en-US` is accepted too), or null. */
  findApproved(name: string, language: string): Promise<Template | null> {
    return this.findOne({ name, language: metaLanguage(language), status: 'APPROVED' });
  }

  /** The template with this name and language (`en-US` = `en_US`), of any status so a refusal can say which; null when none is synced. */
  findSynced(name: string, language: string): Promise<Template | null> {
    return this.findOne({ name, language: metaLanguage(language) });
  }
}
