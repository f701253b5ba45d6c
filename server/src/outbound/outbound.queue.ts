import PgBoss from 'pg-boss';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Tx } from '../db/tx.js';
import { OutboundDispatcher, type SendJob } from './outbound.dispatcher.js';
import type { WhatsAppClient } from '../whatsapp/whatsapp.client.js';
import type { Metrics } from '../metrics.js';
import type { Db } from '../db/db.js';
import type { BulkSendRepository } from '../bulk/bulk-send.repository.js';
import type { StatusRepos } from '../messages/message.status.js';

/** The pg-boss queue every outbound message goes through. */
export const SEND_QUEUE = 'whatsapp-send';
const LEADER_LOCK = 'inbox-outbound-dispatcher';

/**
 * The durable outbound queue: each send is a pg-boss job committed with its message. One process at a
 * time (the holder of a PostgreSQL advisory lock) dispatches, so the per-number throughput and the
 * per-recipient pair limit hold across every server process on the database.
 */
export class OutboundQueue {
  readonly boss: PgBoss;
  private leaderClient?: pg.Client;
  private dispatcher?: OutboundDispatcher;
  private electionTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly deps: { databaseUrl: string; pool: Db; repos: StatusRepos & { bulkSends: BulkSendRepository }; config: Config; whatsapp: WhatsAppClient; log: Logger; metrics: Metrics },
  ) {
    // pg-boss keeps a small pool of its own: its supervision and polling run on their own schedule, apart from the app's queries.
    this.boss = new PgBoss({
      connectionString: deps.databaseUrl,
      max: 4,
      schema: 'pgboss',
      supervise: true,
      maintenanceIntervalSeconds: 30,
    });
    this.boss.on('error', (err) => deps.log.warn({ err: err.message }, 'pg-boss error'));
  }

  /** Starts pg-boss, creates the send queue, and runs for leadership. */
  async start(): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(SEND_QUEUE, {
      name: SEND_QUEUE,
      policy: 'standard',
      // The dispatcher settles every job itself; a retry only happens when a holder died (expiry).
      retryLimit: 1_000_000,
      retryDelay: 0,
      expireInSeconds: this.deps.config.outbound.jobExpireSeconds,
    });
    await this.elect();
  }

  /** Adds send jobs inside the caller's transaction: they exist exactly when their messages do. */
  async enqueue(tx: Tx, jobs: SendJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const db = { executeSql: (text: string, values: unknown[]) => tx.query(text, values) };
    await this.boss.insert(jobs.map((data) => ({ name: SEND_QUEUE, data })), { db });
  }

  /**
   * Deletes every pg-boss job, waiting, active or archived, of any queue whose data names the contact or
   * one of its messages (sends, media downloads), in the caller's transaction; answers how many.
   */
  async eraseJobs(tx: Tx, contactId: string, messageIds: readonly string[]): Promise<number> {
    // SQL: pg-boss's own tables; pg-boss deletes jobs by id only, and has no call that finds them by their data.
    const row = await tx.one<{ n: number }>(
      `with j as (delete from pgboss.job where data->>'contactId' = $1 or data->>'messageId' = any($2::text[]) returning 1),
         a as (delete from pgboss.archive where data->>'contactId' = $1 or data->>'messageId' = any($2::text[]) returning 1)
       select ((select count(*) from j) + (select count(*) from a))::int as n`,
      [contactId, messageIds],
    );
    return row?.n ?? 0;
  }

  /** Tells the local dispatcher (if this process leads) that jobs are waiting. */
  wake(): void {
    this.dispatcher?.wake();
  }

  /** Whether this process dispatches. */
  get isLeader(): boolean {
    return !!this.dispatcher;
  }

  private async elect(): Promise<void> {
    if (this.stopped || this.dispatcher) return;
    try {
      // Its own connection, outside the pool: the advisory lock is the session's, held while this process leads.
      const client = new pg.Client({ connectionString: this.deps.databaseUrl, connectionTimeoutMillis: 5000, keepAlive: true });
      client.on('error', (err) => this.abdicate(`leader connection lost: ${err.message}`));
      await client.connect();
      // A leader whose machine vanishes (no FIN) holds the lock until PostgreSQL notices: within about 25 s, not the OS's 2 hours.
      await client.query(`set tcp_keepalives_idle = 10; set tcp_keepalives_interval = 5; set tcp_keepalives_count = 3`);
      const { rows } = await client.query(`select pg_try_advisory_lock(hashtext($1)) as won`, [LEADER_LOCK]);
      if (!rows[0].won || this.stopped) {
        await client.end();
      } else {
        this.leaderClient = client;
        await this.handOutDeadLeadersJobs();
        this.dispatcher = new OutboundDispatcher({ ...this.deps, boss: this.boss, queue: SEND_QUEUE });
        await this.dispatcher.start();
        this.deps.log.info('outbound dispatcher: this process dispatches');
        return;
      }
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'outbound leader election failed');
    }
    this.electionTimer = setTimeout(() => void this.elect(), 2000);
    this.electionTimer.unref();
  }

  /** Jobs still active belonged to a dispatcher that died: hand them out again now, not at expiry. */
  private async handOutDeadLeadersJobs(): Promise<void> {
    // SQL: pg-boss's own table; pg-boss has no call that lists a queue's active jobs.
    const { rows } = await this.deps.pool.query(`select id from pgboss.job where name = $1 and state = 'active'`, [SEND_QUEUE]);
    if (rows.length) await this.boss.fail(SEND_QUEUE, rows.map((r) => r.id as string));
  }

  private abdicate(reason: string): void {
    if (!this.dispatcher) return;
    this.deps.log.warn({ reason }, 'outbound dispatcher stepping down');
    const d = this.dispatcher;
    this.dispatcher = undefined;
    this.leaderClient?.end().catch(() => undefined);
    this.leaderClient = undefined;
    void d.stop().finally(() => {
      this.electionTimer = setTimeout(() => void this.elect(), 2000);
      this.electionTimer.unref();
    });
  }

  /** Stops dispatching (sends on the wire finish), releases leadership and stops pg-boss. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.electionTimer);
    await this.dispatcher?.stop();
    this.dispatcher = undefined;
    await this.leaderClient?.end().catch(() => undefined);
    await this.boss.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
  }
}
