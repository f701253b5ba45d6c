import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { WhatsAppClient } from '../whatsapp/whatsapp.client.js';
import { WhatsAppApiError } from '../whatsapp/whatsapp.client.js';
import { Template } from './template.entity.js';
import type { ListedTemplate } from './template.repository.js';

/** Outcome of one {@link TemplateService.sync}. */
export interface SyncResult {
  /** Templates Meta listed. */
  count: number;
  /** Templates we had that Meta no longer lists; now status DELETED. */
  deleted: number;
  pages: number;
}

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
  /** The one sync queued behind the running one. */
  private next?: Promise<SyncResult>;
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;

  constructor(private readonly deps: { orm: MikroORM; whatsapp: WhatsAppClient; log: Logger; intervalMs?: number }) {}

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

  /**
   * Syncs now. A sync in flight may have read Meta's list before the caller's change, so a call
   * meanwhile gets one more sync after it, shared by every caller waiting. Rejects (and records the
   * error) when Meta or the database fails.
   */
  sync(opts: { pageSize?: number } = {}): Promise<SyncResult> {
    if (this.running) {
      this.next ??= this.running.catch(() => undefined).then(() => {
        this.next = undefined;
        return this.sync(opts);
      });
      return this.next;
    }
    this.running = this.run(opts.pageSize ?? 100).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(pageSize: number): Promise<SyncResult> {
    try {
      const listed = new Map<string, ListedTemplate>();
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
      const deleted = await this.deps.orm.em.fork().getRepository(Template).sync([...listed.values()]);
      this.lastSyncedAt = new Date();
      this.lastError = null;
      this.deps.log.info({ templates: listed.size, deleted, pages }, 'templates synced');
      return { count: listed.size, deleted, pages };
    } catch (err) {
      this.lastError = err instanceof WhatsAppApiError ? `Graph API: ${err.message}` : (err as Error).message;
      this.deps.log.warn({ err: this.lastError }, 'template sync failed');
      throw err;
    }
  }
}

/** A template of Meta's list in the entity's terms. */
function rowOf(t: Record<string, any>): ListedTemplate {
  return {
    waId: t.id != null ? String(t.id) : null,
    name: typeof t.name === 'string' ? t.name : '',
    language: typeof t.language === 'string' ? t.language : '',
    status: String(t.status ?? 'UNKNOWN').toUpperCase(),
    category: typeof t.category === 'string' ? t.category.toUpperCase() : null,
    components: Array.isArray(t.components) ? t.components : [],
    parameterFormat: typeof t.parameter_format === 'string' ? t.parameter_format.toUpperCase() : null,
    quality: typeof t.quality_score?.score === 'string' ? t.quality_score.score : null,
    rejectedReason: typeof t.rejected_reason === 'string' ? t.rejected_reason : null,
  };
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
