import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { WhatsAppClient } from '../whatsapp/whatsapp.client.js';
import { WhatsAppApiError } from '../whatsapp/whatsapp.client.js';
import { Template } from './template.entity.js';
import type { Db, Sql } from '../db/db.js';
import type { Tx } from '../db/tx.js';

/** Outcome of one {@link TemplateService.sync}. */
export interface SyncResult {
  /** Templates Meta listed. */
  count: number;
  /** Templates we had that Meta no longer lists; now status DELETED. */
  deleted: number;
  pages: number;
}

const SYNC_LOCK = 'inbox-template-sync';

/**
 * Keeps the `template` table in step with Meta: pages through `GET /{waba}/message_templates` to the
 * end, upserts every template by (name, language), and marks the ones Meta no longer lists as
 * `DELETED` (kept, not removed, so past sends still name something and a template that comes back
 * is simply updated). Runs at start (a failure is logged and shown in `health`, never fatal), every
 * `intervalMs`, on demand (`syncTemplates`), and soon after a webhook names a template we do not have.
 */
export class TemplateService {
  /** End of the last successful sync (this process). */
  lastSyncedAt: Date | null = null;
  /** Error of the last sync when it failed; null after a success. */
  lastError: string | null = null;
  private running?: Promise<SyncResult>;
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;

  constructor(private readonly deps: { pool: Db; whatsapp: WhatsAppClient; log: Logger; intervalMs?: number }) {}

  /** Starts the first sync without waiting for it, and the periodic one. */
  start(): void {
    void this.sync().catch(() => undefined);
    this.timer = setInterval(() => void this.sync().catch(() => undefined), this.deps.intervalMs ?? 60 * 60_000);
    this.timer.unref();
  }

  /** Stops the timers; waits (at most 5 s: Meta may hang) for a sync in flight to write. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.soon);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running?.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
  }

  /** A sync within a second (several calls make one). */
  syncSoon(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.sync().catch(() => undefined);
    }, 1000);
    this.soon.unref();
  }

  /** Syncs now; a call while a sync runs shares that sync. Rejects (and records the error) when Meta or the database fails. */
  sync(opts: { pageSize?: number } = {}): Promise<SyncResult> {
    this.running ??= this.run(opts.pageSize ?? 100).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(pageSize: number): Promise<SyncResult> {
    try {
      const listed = new Map<string, ReturnType<typeof rowOf>>();
      let after: string | null | undefined;
      let pages = 0;
      do {
        const page = await this.deps.whatsapp.listTemplates(after ?? undefined, pageSize);
        pages++;
        for (const t of page.data) {
          const row = rowOf(t);
          if (row.name && row.language) listed.set(`${row.name}\u0000${row.language}`, row);
        }
        after = page.after;
      } while (after && pages < 1000);
      const rows = JSON.stringify([...listed.values()]);
      const deleted = await this.deps.pool.transaction(async (tx) => {
        // One writer at a time, so two processes syncing cannot mark each other's templates deleted.
        await tx.rows(`select pg_advisory_xact_lock(hashtext($1))`, [SYNC_LOCK]);
        await upsert(tx, rows);
        return tx.rows(
          `update template set status = 'DELETED', updated_at = now()
           where status <> 'DELETED' and (name, language) not in (select name, language from jsonb_to_recordset($1::jsonb) as t(name text, language text))
           returning id`,
          [rows],
        );
      });
      this.lastSyncedAt = new Date();
      this.lastError = null;
      this.deps.log.info({ templates: listed.size, deleted: deleted.length, pages }, 'templates synced');
      return { count: listed.size, deleted: deleted.length, pages };
    } catch (err) {
      this.lastError = err instanceof WhatsAppApiError ? `Graph API: ${err.message}` : (err as Error).message;
      this.deps.log.warn({ err: this.lastError }, 'template sync failed');
      throw err;
    }
  }
}

function rowOf(t: Record<string, any>) {
  return {
    wa_id: t.id != null ? String(t.id) : null,
    name: typeof t.name === 'string' ? t.name : '',
    language: typeof t.language === 'string' ? t.language : '',
    status: String(t.status ?? 'UNKNOWN').toUpperCase(),
    category: typeof t.category === 'string' ? t.category.toUpperCase() : null,
    components: Array.isArray(t.components) ? t.components : [],
    parameter_format: typeof t.parameter_format === 'string' ? t.parameter_format.toUpperCase() : null,
    quality: typeof t.quality_score?.score === 'string' ? t.quality_score.score : null,
    rejected_reason: typeof t.rejected_reason === 'string' ? t.rejected_reason : null,
  };
}

const COLUMNS = ['wa_id', 'status', 'category', 'components', 'parameter_format', 'quality', 'rejected_reason'] as const;

async function upsert(tx: Tx, rows: string): Promise<void> {
  const mine = COLUMNS.map((c) => `template.${c}`).join(', ');
  const theirs = COLUMNS.map((c) => `excluded.${c}`).join(', ');
  await tx.rows(
    `insert into template (wa_id, name, language, status, category, components, parameter_format, quality, rejected_reason)
     select wa_id, name, language, status, category, coalesce(components, '[]'), parameter_format, quality, rejected_reason
     from jsonb_to_recordset($1::jsonb) as t(wa_id text, name text, language text, status text, category text, components jsonb,
       parameter_format text, quality text, rejected_reason text)
     on conflict (name, language) do update set
       ${COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, synced_at = now(),
       updated_at = case when (${mine}) is distinct from (${theirs}) then now() else template.updated_at end`,
    [rows],
  );
}

/** Placeholders of a template, in order of first appearance: `['1', '2']` or `['first_name', 'order']`. */
export interface TemplateParameterNames {
  /** Of a TEXT header (a media header takes one media parameter instead; see `headerFormat`). */
  header: string[];
  body: string[];
  /** TEXT | IMAGE | VIDEO | DOCUMENT | LOCATION, or null without a header. */
  headerFormat: string | null;
  /** NAMED when any placeholder is not a number. */
  format: 'POSITIONAL' | 'NAMED';
}

/** The body and header parameters a send of a template with these components must supply. */
export function templateParameterNames(components: ReadonlyArray<Record<string, unknown>> | null | undefined): TemplateParameterNames {
  const out: TemplateParameterNames = { header: [], body: [], headerFormat: null, format: 'POSITIONAL' };
  for (const c of components ?? []) {
    const type = String(c.type ?? '').toUpperCase();
    if (type !== 'HEADER' && type !== 'BODY') continue;
    if (type === 'HEADER') out.headerFormat = String(c.format ?? 'TEXT').toUpperCase();
    const names = type === 'HEADER' ? out.header : out.body;
    for (const m of String(c.text ?? '').matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) if (!names.includes(m[1]!)) names.push(m[1]!);
  }
  if ([...out.header, ...out.body].some((n) => !/^\d+$/.test(n))) out.format = 'NAMED';
  return out;
}

type Queryable = EntityManager | Sql;

/** The APPROVED template with this name and language (`en_US`; `en-US` is accepted too), or null. */
export async function findApprovedTemplate(db: Queryable, name: string, language: string): Promise<Template | null> {
  const lang = language.replace(/-/g, '_');
  if ('findOne' in db) return db.findOne(Template, { name, language: lang, status: 'APPROVED' });
  const sql = `select * from template where name = $1 and language = $2 and status = 'APPROVED'`;
  const row = (await db.query(sql, [name, lang])).rows[0];
  if (!row) return null;
  return Object.assign(new Template(), {
    id: String(row.id), waId: row.wa_id, name: row.name, language: row.language, status: row.status, category: row.category,
    components: row.components, parameterFormat: row.parameter_format, quality: row.quality, rejectedReason: row.rejected_reason,
    updatedAt: row.updated_at, syncedAt: row.synced_at,
  });
}
