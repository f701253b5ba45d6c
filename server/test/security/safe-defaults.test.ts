import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { defaultTemplates } from '../../../simulator/src/templates.js';
import { WebhookEventRepository } from '../../src/webhook/webhook-event.repository.js';
import { PHONE_NUMBER_ID, startTestEnv, TEST_TOKEN, waitFor, type TestEnv } from '../harness.js';
import { envelope, textMessage } from '../payloads.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const ORIGIN = 'http://dashboard.test';

/** An API key with just these scopes, made through the API. */
async function apiKey(t: TestEnv, scopes: string[]): Promise<string> {
  const res = await t.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`, { input: { name: `key ${scopes.join(' ')}`, scopes } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createApiKey.key;
}

// Demo mode beside the harness's database and AUTH_TOKENS: allowed by DEMO=1 only.
describe('demo mode', () => {
  let t: TestEnv;
  let readOnly: string;
  beforeAll(async () => {
    t = await startTestEnv({ env: { WHATSAPP_API_TOKEN: '', DEMO: '1' } });
    readOnly = await apiKey(t, ['READ', 'SEND', 'SESSIONS']);
  });
  afterAll(() => t?.close());

  const control = (route: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${t.app.url}/simulator/_simulator/${route}`, {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.method === 'GET' ? undefined : JSON.stringify(init.body ?? {}),
    });
  const template = defaultTemplates()[0]!;
  const routes: Array<[string, string, () => unknown]> = [
    ['POST', 'inbound', () => ({ from: '15550001001', text: 'from a test' })],
    ['POST', 'webhook', () => envelope(textMessage({ text: 'raw webhook' }).body)],
    ['POST', 'webhook-url', () => ({ url: `${t.app.url}/api/whatsapp/webhook` })],
    ['POST', 'failures', () => ({ code: 131000, count: 1 })],
    ['POST', 'drops', () => ({ count: 0 })],
    ['POST', 'latency', () => ({ ms: 0 })],
    ['POST', 'media-failures', () => ({ count: 0 })],
    ['POST', 'template-status', () => ({ name: template.name, language: template.language, status: 'APPROVED' })],
    ['GET', 'requests', () => undefined],
    ['GET', 'sent', () => undefined],
    ['POST', 'reset', () => undefined],
  ];

  it.each(routes)('simulator control %s /%s: 401 without or with a bad credential, 403 without ADMIN, 200 with an admin key', async (method, route, body) => {
    const webhooksBefore = (await t.db.query(`select count(*)::int as n from webhook_event`)).rows[0].n;
    for (const headers of [{}, bearer('not-a-token'), { authorization: TEST_TOKEN }]) {
      const res = await control(route, { method, body: body(), headers });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toMatch(/bearer token/);
    }
    const forbidden = await control(route, { method, body: body(), headers: bearer(readOnly) });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error).toMatch(/ADMIN/);
    // Nothing a refused call asked for happened: no webhook was posted.
    expect((await t.db.query(`select count(*)::int as n from webhook_event`)).rows[0].n).toBe(webhooksBefore);

    const ok = await control(route, { method, body: body(), headers: bearer(TEST_TOKEN) });
    expect(ok.status, await ok.clone().text()).toBe(200);
    if (route === 'inbound') expect(await ok.json()).toMatchObject({ webhookStatus: 200 });
    if (route === 'failures') await control('reset', { headers: bearer(TEST_TOKEN) });
  });

  it('a refused control call is answered without its body being read', async () => {
    const answer = await rawRequest(t.app.url, '/simulator/_simulator/inbound', { 'content-type': 'application/json' }, 5 * 1024 * 1024);
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('npm run simulate sends its token (--token or INBOX_TOKEN) and says what to do without one', async () => {
    const cli = (args: string[], env: Record<string, string> = {}) =>
      run(process.execPath, ['--import', 'tsx', 'simulator/src/cli.ts', '--url', `${t.app.url}/simulator`, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const [without, withFlag, withEnv, wrong] = await Promise.all([
      cli(['--from', '15550002001', '--text', 'no token']),
      cli(['--token', TEST_TOKEN, '--from', '15550002002', '--text', 'token flag']),
      cli(['--from', '15550002003', '--text', 'token env'], { INBOX_TOKEN: TEST_TOKEN }),
      cli(['--token', 'wrong', '--from', '15550002004', '--text', 'wrong token']),
    ]);
    expect(without.code).toBe(1);
    expect(without.stderr.trim()).toBe('error: the simulator needs a token: pass --token <the bearer token npm start printed> or set INBOX_TOKEN');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/the token was refused/);
    expect(withFlag).toMatchObject({ code: 0, stdout: expect.stringMatching(/webhook answered 200/) });
    expect(withEnv).toMatchObject({ code: 0, stdout: expect.stringMatching(/webhook answered 200/) });
    await waitFor(async () => (await t.db.query(`select count(*)::int as n from message where text in ('token flag', 'token env')`)).rows[0].n === 2, 10_000, 'both messages');
    expect((await t.db.query(`select count(*)::int as n from message where text in ('no token', 'wrong token')`)).rows[0].n).toBe(0);
  }, 60_000);

  it('the page at / carries a session of the demo admin, never a key from AUTH_TOKENS; a reload gets a new one', async () => {
    const first = await (await fetch(`${t.app.url}/`)).text();
    await new Promise((r) => setTimeout(r, 1100)); // a session's times are in whole seconds
    const pages = [first, await (await fetch(`${t.app.url}/index.html`)).text()];
    const tokens: string[] = [];
    for (const html of pages) {
      for (const key of [TEST_TOKEN, 'second-token']) expect(html).not.toContain(key);
      const token = /data-token="([^"]+)"/.exec(html)?.[1];
      expect(token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      tokens.push(token!);
    }
    const expiry = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).exp as number;
    expect(expiry(tokens[1]!)).toBeGreaterThan(expiry(tokens[0]!));
    expect(expiry(tokens[0]!) * 1000 - Date.now()).toBeGreaterThan(3500 * 1000 - 5000); // SESSION_TTL_SECONDS, 3600 by default
    const me = await t.gql(`{ me { kind role agent { externalId role } } }`, {}, tokens[1]);
    expect(me.body.data.me).toEqual({ kind: 'AGENT', role: 'ADMIN', agent: { externalId: 'demo-admin', role: 'ADMIN' } });
    // What an agent does with it: read the inbox.
    expect((await t.gql(`{ contacts(first: 1) { totalCount } }`, {}, tokens[0])).status).toBe(200);
  });

  it('GraphiQL carries no key either', async () => {
    const html = await (await fetch(`${t.app.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    for (const key of [TEST_TOKEN, 'second-token']) expect(html).not.toContain(key);
  });
});

describe('outside demo mode', () => {
  let t: TestEnv;
  let keys: Record<'read' | 'metrics' | 'send', string>;
  beforeAll(async () => {
    t = await startTestEnv({ env: { CORS_ORIGINS: ORIGIN, WS_MAX_CONNECTIONS: '3', WS_MAX_CONNECTIONS_PER_IP: '2' } });
    keys = { read: await apiKey(t, ['READ']), metrics: await apiKey(t, ['METRICS']), send: await apiKey(t, ['SEND']) };
  });
  afterAll(() => t?.close());

  it('the page at / contains no configured key', async () => {
    const html = await (await fetch(`${t.app.url}/`)).text();
    for (const key of [TEST_TOKEN, 'second-token']) expect(html).not.toContain(key);
    expect(html).not.toContain('data-token');
    expect(html).toContain('id="token-form"');
  });

  it('has no simulator', async () => {
    expect((await fetch(`${t.app.url}/simulator/_simulator/requests`, { headers: bearer(TEST_TOKEN) })).status).toBe(404);
  });

  describe('GET /metrics', () => {
    it('401 without a credential or with a bad one, 403 without METRICS', async () => {
      for (const headers of [{}, bearer('nope'), { authorization: 'Basic abc' }]) {
        const res = await fetch(`${t.app.url}/metrics`, { headers });
        expect(res.status).toBe(401);
        expect(await res.text()).not.toMatch(/inbox_/);
      }
      const res = await fetch(`${t.app.url}/metrics`, { headers: bearer(keys.read) });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'this needs METRICS' });
    });
    it('a key with METRICS (a bootstrap key too) gets the Prometheus text', async () => {
      for (const token of [keys.metrics, TEST_TOKEN]) {
        const res = await fetch(`${t.app.url}/metrics`, { headers: bearer(token) });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
        expect(await res.text()).toMatch(/^inbox_websocket_connections_refused_total\{reason="per_ip"\} \d+/m);
      }
    });
  });

  describe('GET /api/whatsapp/health', () => {
    it('without a credential: only { status: "up" }, and no table is read for it', async () => {
      const backlog = vi.spyOn(WebhookEventRepository.prototype, 'backlog');
      try {
        for (const headers of [{}, bearer(keys.send)]) {
          const res = await fetch(`${t.app.url}/api/whatsapp/health`, { headers });
          expect(res.status).toBe(200);
          expect(await res.json()).toEqual({ status: 'up' });
        }
        expect(backlog).not.toHaveBeenCalled();
        // The details, for a caller with READ, do count the backlog: the spy sees that.
        const full = await fetch(`${t.app.url}/api/whatsapp/health`, { headers: bearer(keys.read) });
        expect(full.status).toBe(200);
        expect(await full.json()).toMatchObject({ status: 'ok', database: 'up', whatsapp: 'configured', version: expect.any(String), webhookBacklog: expect.any(Number) });
        expect(backlog).toHaveBeenCalled();
      } finally {
        backlog.mockRestore();
      }
    });
    it('a bad credential is a 401', async () => {
      expect((await fetch(`${t.app.url}/api/whatsapp/health`, { headers: bearer('nope') })).status).toBe(401);
    });
  });

  describe('POST /graphql checks the credential before reading the body', () => {
    it.each([
      ['the lean receiver (application/json)', 'application/json'],
      ['the Express route (another charset)', 'application/json; charset=iso-8859-1'],
    ])('%s: a bad or missing token gets 401 UNAUTHENTICATED while the body is still unsent', async (_name, type) => {
      for (const auth of [{ authorization: 'Bearer wrong' }, {}] as Array<Record<string, string>>) {
        const answer = await rawRequest(t.app.url, '/graphql', { 'content-type': type, ...auth }, 5 * 1024 * 1024);
        expect(answer).toMatch(/^HTTP\/1\.1 401 /);
        expect(answer).toMatch(/connection: close/i);
        expect(answer).toContain('"code":"UNAUTHENTICATED"');
      }
    });
    it('a 5 MB body with a bad token is refused quickly, and the server goes on', async () => {
      const body = JSON.stringify({ query: '{ stats { totalMessages } }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } });
      const started = Date.now();
      const res = await fetch(`${t.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer('wrong') }, body }).catch((err: Error) => err);
      // The answer comes before the body is sent in full, or the connection is cut while the rest is sent.
      if (res instanceof Response) {
        expect(res.status).toBe(401);
        expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await t.gql('{ stats { totalMessages } }')).status).toBe(200);
      // A caller with a valid token still sends large bodies.
      const big = await fetch(`${t.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(TEST_TOKEN) }, body });
      expect(big.status).toBe(200);
    });
    it('CORS: the preflight still works, and a 401 carries the CORS headers a browser needs to read it', async () => {
      const preflight = await fetch(`${t.app.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      const refused = await fetch(`${t.app.url}/graphql`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    });
  });

  describe('websocket connection caps (3 in all, 2 per address)', () => {
    const open = (localAddress: string) =>
      new Promise<{ ws?: WebSocket; status?: number; body?: string; retryAfter?: string }>((resolve, reject) => {
        const ws = new WebSocket(`${t.app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { localAddress });
        ws.once('open', () => resolve({ ws }));
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode, body, retryAfter: String(res.headers['retry-after']) }));
        });
        ws.once('error', reject);
      });
    const refusedTotal = async () => {
      const text = await (await fetch(`${t.app.url}/metrics`, { headers: bearer(TEST_TOKEN) })).text();
      return Object.fromEntries([...text.matchAll(/^inbox_websocket_connections_refused_total\{reason="(\w+)"\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]));
    };

    it('one more from an address is 429, one more in all is 503, both before the upgrade; a closed one frees its place', async () => {
      const sockets: WebSocket[] = [];
      try {
        const a1 = await open('127.0.0.1');
        const a2 = await open('127.0.0.1');
        sockets.push(a1.ws!, a2.ws!);
        const a3 = await open('127.0.0.1');
        expect(a3).toMatchObject({ status: 429, retryAfter: '10', body: expect.stringMatching(/WS_MAX_CONNECTIONS_PER_IP/) });
        const b1 = await open('127.0.0.2'); // another address still may
        sockets.push(b1.ws!);
        const c1 = await open('127.0.0.3');
        expect(c1).toMatchObject({ status: 503, retryAfter: '10', body: expect.stringMatching(/WS_MAX_CONNECTIONS\b/) });
        expect(await refusedTotal()).toEqual({ total: 1, per_ip: 1 });

        a1.ws!.close();
        await waitFor(async () => {
          const again = await open('127.0.0.1');
          if (again.ws) sockets.push(again.ws);
          return !!again.ws;
        }, 5000, 'a place to free up');
        // The accepted ones work: a client authenticates and runs a query.
        const live = sockets.at(-1)!;
        const frames: any[] = [];
        live.on('message', (d) => frames.push(JSON.parse(String(d))));
        live.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${TEST_TOKEN}` } }));
        await waitFor(() => frames.some((f) => f.type === 'connection_ack'), 5000, 'connection_ack');
      } finally {
        for (const s of sockets) s.terminate();
      }
    });
  });
});

describe('demo mode refuses to start beside a real deployment\'s settings', () => {
  it('`npm start` without WHATSAPP_API_TOKEN but with DATABASE_URL exits 1 with one line naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: '0', DATABASE_URL: 'postgres://inbox:secret-pw@127.0.0.1:1/inbox', WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toEqual([
      'Invalid configuration: DATABASE_URL, WHATSAPP_PHONE_NUMBER_ID are set but WHATSAPP_API_TOKEN is not: set WHATSAPP_API_TOKEN for a real number, or DEMO=1 to run the demo (simulated WhatsApp) with them',
    ]);
    expect(out).not.toContain('secret-pw');
  }, 60_000);
});

/**
 * Sends a request's head and the first 64 KB of a `length`-byte body, then waits (the rest is never
 * sent) for the server's complete answer, which it must give without having read the body.
 */
async function rawRequest(base: string, path: string, headers: Record<string, string>, length: number): Promise<string> {
  const { hostname, port } = new URL(base);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const head = [`POST ${path} HTTP/1.1`, `host: ${hostname}:${port}`, `content-length: ${length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  socket.write(head);
  socket.write(Buffer.alloc(64 * 1024, 'x'));
  let answer = '';
  socket.on('data', (d) => (answer += d));
  socket.on('error', () => undefined);
  try {
    await waitFor(() => {
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const size = Number(/content-length: (\d+)/i.exec(answer.slice(0, end))?.[1] ?? NaN);
      return Buffer.byteLength(answer.slice(end + 4)) >= size;
    }, 3000, 'the answer before the body');
  } finally {
    socket.destroy();
  }
  return answer;
}
