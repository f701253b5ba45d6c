import client from 'prom-client';
import type { Logger } from 'pino';
import type { AuditRepository, NewAuditEntry } from './audit.repository.js';

/** How the audit log buffers, writes and prunes. */
export interface AuditLogOptions {
  repo: AuditRepository;
  log: Logger;
  /** The app's Prometheus registry; the log's counters join it. */
  registry: client.Registry;
  /** Entries older than this many days are pruned (AUDIT_RETENTION_DAYS). */
  retentionDays: number;
  /** Longest an entry waits in the buffer, default 100 ms. */
  flushMs?: number;
  /** A buffer this full is written at once, default 200 entries. */
  flushRows?: number;
  /** How often old entries are pruned, default hourly. */
  pruneEveryMs?: number;
}

/** Entries kept while the database refuses them; beyond, the oldest are dropped (logged and counted). */
const MAX_PENDING = 50_000;
/** Rows one prune statement deletes: a short transaction, however much is due. */
const PRUNE_BATCH = 1000;
const RETRY_MS = 1000;
const DAY_MS = 86_400_000;

/**
 * The audit log's writer. `record` only appends to a buffer (the mutation does not wait for the
 * database); the buffer is written on the pool, outside every request's transaction, in one insert
 * per 100 ms or 200 entries, and on `close`. Old entries are pruned hourly in small batches.
 */
export class AuditLog {
  #buffer: NewAuditEntry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #tail: Promise<void> = Promise.resolve();
  #next: Promise<void> | undefined;
  #pruning: Promise<unknown> | undefined;
  #closed = false;
  readonly #flushMs: number;
  readonly #flushRows: number;
  readonly #recorded: client.Counter<'outcome'>;
  readonly #dropped: client.Counter;
  readonly #pruned: client.Counter;
  readonly #flushSeconds: client.Histogram;

  constructor(private readonly opts: AuditLogOptions) {
    this.#flushMs = opts.flushMs ?? 100;
    this.#flushRows = opts.flushRows ?? 200;
    const registers = [opts.registry];
    this.#recorded = new client.Counter({ name: 'inbox_audit_entries_total', help: 'Audit entries recorded, by outcome', labelNames: ['outcome'], registers });
    this.#dropped = new client.Counter({ name: 'inbox_audit_entries_dropped_total', help: 'Audit entries lost because the database refused them for too long', registers });
    this.#pruned = new client.Counter({ name: 'inbox_audit_entries_pruned_total', help: 'Audit entries deleted after AUDIT_RETENTION_DAYS', registers });
    this.#flushSeconds = new client.Histogram({
      name: 'inbox_audit_flush_seconds', help: 'Time to write one batch of audit entries', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1], registers,
    });
  }

  /** Queues an entry; it is written within flushMs. */
  record(entry: NewAuditEntry): void {
    this.#buffer.push(entry);
    this.#recorded.inc({ outcome: entry.outcome });
    if (this.#buffer.length >= this.#flushRows) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
  }

  /**
   * Writes what is buffered; resolves once it is stored (or kept for a retry, the failure logged).
   * Writes run one after another; calls while one waits to start share it, so a busy moment makes
   * one large insert after the running one rather than many small ones.
   */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#next ??= this.#tail.then(() => {
      this.#next = undefined;
      return this.#write();
    });
    this.#tail = this.#next;
    return this.#next;
  }

  async #write(): Promise<void> {
    while (this.#buffer.length) {
      const rows = this.#buffer.splice(0, 1000);
      const stop = this.#flushSeconds.startTimer();
      try {
        await this.opts.repo.append(rows);
        stop();
      } catch (err) {
        this.#buffer.unshift(...rows);
        const over = this.#buffer.length - MAX_PENDING;
        if (over > 0) {
          this.#buffer.splice(0, over);
          this.#dropped.inc(over);
        }
        this.opts.log.error({ err, pending: this.#buffer.length, dropped: Math.max(over, 0) }, 'audit entries could not be written; retrying');
        if (!this.#closed) this.#timer ??= setTimeout(() => void this.flush(), RETRY_MS);
        return;
      }
    }
  }

  /**
   * Starts the hourly prune, the first a minute after the start (a server restarted more often than
   * hourly still prunes). The timer does not keep the process alive.
   */
  start(pruneEveryMs = this.opts.pruneEveryMs ?? 3_600_000): void {
    const next = (ms: number) => {
      this.#pruneTimer = setTimeout(() => {
        this.#pruning = this.prune()
          .catch((err) => this.opts.log.error({ err }, 'audit log prune failed'))
          .finally(() => !this.#closed && next(pruneEveryMs));
      }, ms);
      this.#pruneTimer.unref();
    };
    next(Math.min(60_000, pruneEveryMs));
  }

  /** Deletes the entries older than the retention, a batch at a time; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const before = new Date(now - this.opts.retentionDays * DAY_MS);
    let total = 0;
    let deleted: number;
    do {
      deleted = await this.opts.repo.pruneBatch(before, PRUNE_BATCH);
      total += deleted;
    } while (deleted === PRUNE_BATCH && !this.#closed);
    this.#pruned.inc(total);
    if (total) this.opts.log.info({ pruned: total, before }, 'audit log pruned');
    return total;
  }

  /** Stops the prune and writes what is buffered (call once no more mutations run). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#pruneTimer);
    await this.#pruning; // stops after its current batch
    await this.flush();
    if (this.#buffer.length) {
      this.#dropped.inc(this.#buffer.length);
      this.opts.log.error({ lost: this.#buffer.length }, 'audit entries lost at shutdown: the database refused them');
    }
  }
}
