/**
 * The baselines the webhook ingest is compared with: the least a correct receiver can do. A bare
 * node:http server that reads the raw body, checks Meta's `X-Hub-Signature-256` (HMAC-SHA256, hex,
 * timingSafeEqual), stores the raw bytes in a `webhook_event` table of the app's shape, and answers
 * 200 once that committed. No framework, no logging, no metrics, no background work. Three modes:
 * - `naive`: one `pg` Pool query per request, a commit each; store only;
 * - `grouped`: as the app stores (server/src/webhook/webhook.store.ts), requests read in the same turn
 *   of the event loop go in one multi-row insert of up to `MAX_BATCH` rows, at most `MAX_IN_FLIGHT`
 *   inserts at a time, those arriving meanwhile gathering for the next; each request is answered
 *   after its insert committed; store only;
 * - `processing`: the same group commit, whose transaction also does the inbox processor's work
 *   (bench/baseline.processing.ts): each body parsed, its customer and text message stored in the
 *   app's `contact` and `message` tables, the event stored PROCESSED; so a 200 means processed. It
 *   runs on a database the app's migrations made (all its indexes and triggers), which it checks.
 * `naive` and `grouped` create their table themselves (same columns, defaults and partial index).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { migrationsList } from '../server/src/db/migrations/index.js';
import { processGroup, type Received } from './baseline.processing.js';

const MAX_BODY_BYTES = 3 * 1024 * 1024;
const KEPT_HEADERS = ['x-hub-signature-256', 'content-type', 'user-agent', 'content-length'];
/** The app's group commit settings (webhook.store.ts). */
const MAX_BATCH = 200;
const MAX_IN_FLIGHT = 2;

export type BaselineMode = 'naive' | 'grouped' | 'processing';

/** DDL of the app's webhook_event table (from the initial migration). */
const DDL = [
  `create table if not exists "webhook_event" ("id" bigserial primary key, "body" bytea not null, "headers" jsonb not null, "status" text check ("status" in ('PENDING', 'PROCESSING', 'PROCESSED', 'FAILED')) not null default 'PENDING', "received_at" timestamptz not null default now(), "processed_at" timestamptz null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "locked_until" timestamptz null, "last_error" text null)`,
  `create index if not exists "webhook_event_due_idx" on "webhook_event" ("next_attempt_at", "id") where "status" in ('PENDING', 'PROCESSING')`,
];

export interface Baseline {
  url: string;
  close(): Promise<void>;
}

/** The processing baseline writes the app's tables; on a schema other than the app's latest it would measure something else. */
async function requireAppSchema(pool: pg.Pool): Promise<void> {
  const names = migrationsList.map((m) => m.name);
  const applied = await pool.query(`select count(*)::int as n from mikro_orm_migrations where name = any($1::text[])`, [names]).then((r) => r.rows[0].n as number, () => 0);
  if (applied !== names.length) {
    await pool.end();
    throw new Error(`the processing baseline needs a database with the app's ${names.length} migrations applied (bench/app.ts createMigratedDatabase); it has ${applied}`);
  }
}

export function validSignature(body: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !/^sha256=[0-9a-fA-F]{64}$/.test(header)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

type Insert = (body: Buffer, headers: Record<string, string>) => Promise<void>;

const insertSql = (n: number) =>
  `insert into webhook_event (body, headers) values ${Array.from({ length: n }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')}`;

/** A group commit: what arrives while `MAX_IN_FLIGHT` groups are written waits and goes in the next one. */
function groupedInsert(write: (group: Received[]) => Promise<unknown>): Insert {
  let queue: Array<{ received: Received; done: (err?: Error) => void }> = [];
  let inFlight = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    while (inFlight < MAX_IN_FLIGHT && queue.length) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      inFlight++;
      write(batch.map((b) => b.received)).then(
        () => batch.forEach((b) => b.done()),
        (err: Error) => batch.forEach((b) => b.done(err)),
      ).finally(() => {
        inFlight--;
        flush();
      });
    }
  };
  return (body, headers) => new Promise<void>((resolve, reject) => {
    queue.push({ received: { body, headers }, done: (err) => (err ? reject(err) : resolve()) });
    // After the requests read in this turn of the event loop, as the app's DataLoader schedules.
    if (!scheduled && inFlight < MAX_IN_FLIGHT) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

/**
 * Creates the table in `databaseUrl` (`processing`: checks the app's schema is there) and listens on
 * a random loopback port.
 */
export async function startBaseline(opts: { databaseUrl: string; appSecret: string; mode: BaselineMode }): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 20, connectionTimeoutMillis: 3000 });
  pool.on('error', () => undefined);
  if (opts.mode === 'processing') await requireAppSchema(pool);
  else for (const sql of DDL) await pool.query(sql);
  const insert: Insert = opts.mode === 'grouped'
    ? groupedInsert((group) => pool.query(insertSql(group.length), group.flatMap((r) => [r.body, r.headers])))
    : opts.mode === 'processing'
      ? groupedInsert((group) => processGroup(pool, group))
      : async (body, headers) => void (await pool.query('insert into webhook_event (body, headers) values ($1, $2)', [body, headers]));

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/api/whatsapp/webhook') return reply(res, 404, '{"error":"not found"}');
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge) return reply(res, 413, '{"error":"too large"}');
      const body = Buffer.concat(chunks, size);
      const signature = req.headers['x-hub-signature-256'];
      if (!validSignature(body, typeof signature === 'string' ? signature : undefined, opts.appSecret)) {
        return reply(res, 401, '{"error":"bad signature"}');
      }
      const headers: Record<string, string> = {};
      for (const h of KEPT_HEADERS) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      insert(body, headers).then(
        () => reply(res, 200, '{"ok":true}'),
        () => reply(res, 503, '{"error":"not stored"}'),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await pool.end();
    },
  };
}
