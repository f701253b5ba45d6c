/**
 * The baseline the webhook ingest is compared with: the least a correct receiver can do. A bare
 * node:http server that reads the raw body, checks Meta's `X-Hub-Signature-256` (HMAC-SHA256, hex,
 * timingSafeEqual), inserts the raw bytes with one `pg` Pool query into a `webhook_event` table of
 * the app's shape (same columns, defaults and partial index), and answers 200. No framework, no
 * logging, no metrics, no background processing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const MAX_BODY_BYTES = 3 * 1024 * 1024;
const KEPT_HEADERS = ['x-hub-signature-256', 'content-type', 'user-agent', 'content-length'];

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

/** Creates the table in `databaseUrl` and listens on a random loopback port. */
export async function startBaseline(opts: { databaseUrl: string; appSecret: string }): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 20, connectionTimeoutMillis: 3000 });
  pool.on('error', () => undefined);
  for (const sql of DDL) await pool.query(sql);

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
      pool.query('insert into webhook_event (body, headers) values ($1, $2)', [body, headers]).then(
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
