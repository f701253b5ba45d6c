/**
 * The baselines the webhook ingest is compared with: the least a correct receiver can do. A bare
 * node:http server that reads the raw body, checks Meta's `X-Hub-Signature-256` (HMAC-SHA256, hex,
 * timingSafeEqual), inserts the raw bytes into a `webhook_event` table of the app's shape (same
 * columns, defaults and partial index), and answers 200 once the insert committed. No framework, no
 * logging, no metrics, no background processing. Two ways to insert:
 * - `naive`: one `pg` Pool query per request, a commit each;
 * - `grouped`: as the app does (server/src/webhook/webhook.store.ts), requests read in the same turn
 *   of the event loop go in one multi-row insert of up to `MAX_BATCH` rows, at most `MAX_IN_FLIGHT`
 *   inserts at a time, those arriving meanwhile gathering for the next; each request is answered
 *   after its insert committed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const MAX_BODY_BYTES = 3 * 1024 * 1024;
const KEPT_HEADERS = ['x-hub-signature-256', 'content-type', 'user-agent', 'content-length'];
/** The app's group commit settings (webhook.store.ts). */
const MAX_BATCH = 200;
const MAX_IN_FLIGHT = 2;

export type BaselineMode = 'naive' | 'grouped';

/** DDL of the app's webhook_event table (from the initial migration). */
const DDL = [
  `create table if not exists "webhook_event" ("id" bigserial primary key, "body" bytea not null, "headers" jsonb not null, "status" text check ("status" in ('PENDING', 'PROCESSING', 'PROCESSED', 'FAILED')) not null default 'PENDING', "received_at" timestamptz not null default now(), "processed_at" timestamptz null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "locked_until" timestamptz null, "last_error" text null)`,
  `create index if not exists "webhook_event_due_idx" on "webhook_event" ("next_attempt_at", "id") where "status" in ('PENDING', 'PROCESSING')`,
];

export interface Baseline {
  url: string;
  close(): Promise<void>;
}

function validSignature(body: Buffer, header: string | undefined, secret: string): boolean {
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

/** A group commit: what arrives while `MAX_IN_FLIGHT` inserts run waits and goes in the next one. */
function groupedInsert(pool: pg.Pool): Insert {
  let queue: Array<{ values: [Buffer, Record<string, string>]; done: (err?: Error) => void }> = [];
  let inFlight = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    while (inFlight < MAX_IN_FLIGHT && queue.length) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      inFlight++;
      pool.query(insertSql(batch.length), batch.flatMap((b) => b.values)).then(
        () => batch.forEach((b) => b.done()),
        (err: Error) => batch.forEach((b) => b.done(err)),
      ).finally(() => {
        inFlight--;
        flush();
      });
    }
  };
  return (body, headers) => new Promise<void>((resolve, reject) => {
    queue.push({ values: [body, headers], done: (err) => (err ? reject(err) : resolve()) });
    // After the requests read in this turn of the event loop, as the app's DataLoader schedules.
    if (!scheduled && inFlight < MAX_IN_FLIGHT) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

/** Creates the table in `databaseUrl` and listens on a random loopback port. */
export async function startBaseline(opts: { databaseUrl: string; appSecret: string; mode: BaselineMode }): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 20, connectionTimeoutMillis: 3000 });
  pool.on('error', () => undefined);
  for (const sql of DDL) await pool.query(sql);
  const insert: Insert = opts.mode === 'grouped'
    ? groupedInsert(pool)
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
