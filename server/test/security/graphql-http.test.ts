import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, TEST_TOKEN, type TestEnv } from '../harness.js';

// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/) as Apollo Server 5 and our
// wiring implement it. Every request carries the bearer token unless the test is about it.
let t: TestEnv;
let url: string;
beforeAll(async () => {
  t = await startTestEnv();
  url = `${t.app.url}/graphql`;
});
afterAll(() => t?.close());

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
const QUERY = '{ stats { totalMessages } }';
const MUTATION = 'mutation { markContactRead(id: "1") { id } }';

async function send(init: RequestInit & { path?: string } = {}) {
  const res = await fetch(init.path ? `${url}${init.path}` : url, init);
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text, body };
}
const post = (body: unknown, headers: Record<string, string> = {}) =>
  send({ method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
  send({ path: `?${new URLSearchParams(params)}`, headers: { ...auth, ...headers } });

/** A GraphQL-shaped error answer: JSON with `errors[0].message` and an `extensions.code`, no HTML, no stack. */
function expectGraphQLError(r: Awaited<ReturnType<typeof send>>, status: number, code?: string) {
  expect(r.status, r.text.slice(0, 300)).toBe(status);
  expect(r.type).toMatch(/^application\/(graphql-response\+)?json/);
  expect(r.body?.errors?.[0]?.message, r.text.slice(0, 300)).toEqual(expect.any(String));
  expect(r.body.errors[0].extensions?.code).toEqual(code ?? expect.any(String));
  expect(r.text).not.toMatch(/<html|<pre|\bat [\w.]+ \(|node_modules/i);
}

describe('media types', () => {
  it('POST application/json answers application/json in UTF-8 when no Accept is sent', async () => {
    const r = await post({ query: QUERY });
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.type).toMatch(/charset=utf-8/i);
    expect(r.body.data.stats.totalMessages).toBe(0);
  });
  it.each([
    ['application/graphql-response+json', /^application\/graphql-response\+json/],
    ['application/graphql-response+json, application/json;q=0.9', /^application\/graphql-response\+json/],
    ['application/json', /^application\/json/],
    ['*/*', /^application\/json/],
  ])('Accept: %s is honoured', async (accept, type) => {
    const r = await post({ query: QUERY }, { accept });
    expect(r.status).toBe(200);
    expect(r.type).toMatch(type);
  });
  it('an Accept the server cannot satisfy gets 406', async () => {
    const r = await post({ query: QUERY }, { accept: 'image/png' });
    expect(r.status).toBe(406);
  });
  it('accepts application/json with charset=utf-8', async () => {
    expect((await post({ query: QUERY }, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });
  it.each([
    ['text/plain', 'text/plain'],
    ['form-urlencoded', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['application/graphql', 'application/graphql'],
    ['xml', 'application/xml'],
  ])('a POST with Content-Type %s gets 415 with Accept-Post and nothing runs', async (_name, type) => {
    const r = await send({ method: 'POST', headers: { 'content-type': type, ...auth }, body: JSON.stringify({ query: MUTATION }) });
    expectGraphQLError(r, 415, 'BAD_REQUEST');
    expect(r.headers.get('accept-post')).toBe('application/json');
  });
  it('a POST without Content-Type gets 415', async () => {
    const r = await send({ method: 'POST', headers: auth, body: new Uint8Array(Buffer.from(JSON.stringify({ query: QUERY }))) });
    expectGraphQLError(r, 415);
  });
  it('a JSON body in a charset other than UTF-8 gets 415', async () => {
    const r = await post({ query: QUERY }, { 'content-type': 'application/json; charset=koi8-r' });
    expectGraphQLError(r, 415);
  });
});

describe('request bodies', () => {
  it.each([
    ['not JSON at all', 'this is not json'],
    ['truncated JSON', '{"query": "{ stats { totalMessages } }"'],
    ['a JSON string', '"{ stats { totalMessages } }"'],
    ['a JSON number', '42'],
    ['empty', ''],
  ])('%s is a 400 GraphQL error (JSON, no stack trace)', async (_name, body) => {
    const r = await post(body, { accept: 'application/graphql-response+json' });
    expectGraphQLError(r, 400);
    expect(r.type).toMatch(/^application\/graphql-response\+json/);
  });
  it('a body over 8 MB is a 413 GraphQL error', async () => {
    const r = await post({ query: QUERY, variables: { pad: 'x'.repeat(9 * 1024 * 1024) } });
    expectGraphQLError(r, 413);
  });
  it('a body over 8 MB without a Content-Length (chunked) is refused as it arrives, and the server goes on', async () => {
    const head = new TextEncoder().encode(`{"query": "${QUERY}", "variables": {"pad": "`);
    const chunk = new Uint8Array(Buffer.alloc(256 * 1024, 'x'));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(head);
      },
      pull(c) {
        if (sent > 12 * 1024 * 1024) {
          c.enqueue(new TextEncoder().encode('"}}'));
          return c.close();
        }
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: stream, duplex: 'half' } as RequestInit).catch((err: Error) => err);
    // The server answers 413 before reading it all, or the connection is cut while the rest is sent; it never runs.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
      expect((await res.json()).errors[0].message).toMatch(/larger than 8mb/);
    }
    expect((await post({ query: QUERY })).status).toBe(200);
  });
  it.each([
    ['missing query', { variables: {} }],
    ['empty object', {}],
    ['empty query', { query: '' }],
    ['query as object', { query: { kind: 'Document' } }],
    ['query as number', { query: 0 }],
    ['query as boolean', { query: false }],
    ['query as array', { query: ['{ stats { totalMessages } }'] }],
    ['variables as string', { query: QUERY, variables: '{}' }],
    ['variables as array', { query: QUERY, variables: [] }],
    ['variables as number', { query: QUERY, variables: 0 }],
    ['operationName as number', { query: QUERY, operationName: 1 }],
    ['operationName as object', { query: QUERY, operationName: {} }],
    ['extensions as string', { query: QUERY, extensions: 'x' }],
  ])('%s is a 400 with errors', async (_name, body) => {
    expectGraphQLError(await post(body), 400);
  });
  it.each(['variables', 'operationName', 'extensions'])('null %s is allowed', async (param) => {
    const r = await post({ query: QUERY, [param]: null });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
  });
  it('a named operation selected by operationName runs; an unknown name is a 400', async () => {
    const doc = 'query A { stats { totalMessages } } query B { health { status } }';
    const r = await post({ query: doc, operationName: 'B' });
    expect(r.body.data).toEqual({ health: { status: expect.any(String) } });
    expectGraphQLError(await post({ query: doc, operationName: 'C' }), 400);
    expectGraphQLError(await post({ query: doc }), 400);
  });
  it('a syntax error is 400 GRAPHQL_PARSE_FAILED and a validation error 400 GRAPHQL_VALIDATION_FAILED, with either media type', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      expectGraphQLError(await post({ query: '{ stats { ' }, { accept }), 400, 'GRAPHQL_PARSE_FAILED');
      expectGraphQLError(await post({ query: '{ nope }' }, { accept }), 400, 'GRAPHQL_VALIDATION_FAILED');
    }
  });
  it('a variable of the wrong type is 400 BAD_USER_INPUT', async () => {
    expectGraphQLError(await post({ query: 'query($f: Int) { contacts(first: $f) { totalCount } }', variables: { f: 'ten' } }), 400, 'BAD_USER_INPUT');
  });
});

describe('methods', () => {
  it('GET runs a query given in the URL (with the bearer token; no extra CSRF header needed)', async () => {
    const r = await get({ query: QUERY });
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body.data.stats.totalMessages).toBe(0);
    const vars = await get({ query: 'query($f: Int) { contacts(first: $f) { totalCount } }', variables: JSON.stringify({ f: 1 }) });
    expect(vars.body.data.contacts.totalCount).toBe(0);
  });
  it('GET with Accept: application/graphql-response+json answers in that type', async () => {
    const r = await get({ query: QUERY }, { accept: 'application/graphql-response+json' });
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/graphql-response\+json/);
  });
  it('a mutation over GET is 405 with Allow: POST and does not run', async () => {
    const before = (await t.db.query(`select count(*)::int as n from contact`)).rows[0].n;
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const r = await get({ query: MUTATION }, { accept });
      expectGraphQLError(r, 405);
      expect(r.headers.get('allow')).toBe('POST');
    }
    const viaName = await get({ query: `query Q { stats { totalMessages } } mutation M { markContactRead(id: "1") { id } }`, operationName: 'M' });
    expect(viaName.status).toBe(405);
    expect((await t.db.query(`select count(*)::int as n from contact`)).rows[0].n).toBe(before);
  });
  it('a subscription over HTTP is a 400 pointing to the websocket, not a resolver crash', async () => {
    const r = await post({ query: 'subscription { contactUpdated { id } }' });
    expectGraphQLError(r, 400, 'BAD_REQUEST');
    expect(r.body.errors[0].message).toMatch(/websocket/);
    expect((await get({ query: 'subscription { contactUpdated { id } }' })).status).toBe(405);
  });
  it.each(['PUT', 'PATCH', 'DELETE'])('%s is 405 with Allow: GET, POST', async (method) => {
    const r = await send({ method, headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query: QUERY }) });
    expectGraphQLError(r, 405);
    expect(r.headers.get('allow')).toBe('GET, POST');
  });
  it('GET with invalid variables JSON, repeated parameters or a non-JSON content type is a 4xx GraphQL error', async () => {
    expectGraphQLError(await get({ query: QUERY, variables: '{not json' }), 400);
    expectGraphQLError(await send({ path: `?query=${encodeURIComponent(QUERY)}&query=${encodeURIComponent(QUERY)}`, headers: auth }), 400);
    expectGraphQLError(await get({ query: QUERY }, { 'content-type': 'text/plain' }), 415);
  });
  it('GET without any query is 400', async () => {
    expectGraphQLError(await send({ headers: { ...auth, accept: 'application/json' } }), 400);
  });
});

describe('CSRF prevention (Apollo csrfPrevention)', () => {
  // A simple cross-site request (a plain GET, or a text/plain, form or multipart POST) can carry no
  // custom header. Apollo refuses those unless a header forces a preflight; Authorization does too.
  it('a GET without Authorization or a preflight header is blocked before anything runs, even for a valid query', async () => {
    const r = await send({ path: `?${new URLSearchParams({ query: QUERY })}` });
    expectGraphQLError(r, 400, 'BAD_REQUEST');
    expect(r.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
  });
  it('a GET with apollo-require-preflight but no token reaches authentication: 401', async () => {
    const r = await send({ path: `?${new URLSearchParams({ query: QUERY })}`, headers: { 'apollo-require-preflight': 'true' } });
    expectGraphQLError(r, 401, 'UNAUTHENTICATED');
  });
  it('a form POST (what a cross-site <form> sends) never reaches GraphQL', async () => {
    const r = await send({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(MUTATION)}` });
    expect(r.status).toBe(415);
  });
});

describe('authentication over HTTP', () => {
  it.each([
    ['no Authorization', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['another scheme', { authorization: `Basic ${TEST_TOKEN}` }],
    ['a bare token', { authorization: TEST_TOKEN }],
    ['two tokens', { authorization: `Bearer ${TEST_TOKEN} ${TEST_TOKEN}` }],
  ])('%s is 401 UNAUTHENTICATED in either media type', async (_name, headers) => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const r = await send({ method: 'POST', headers: { 'content-type': 'application/json', accept, ...headers }, body: JSON.stringify({ query: QUERY }) });
      expectGraphQLError(r, 401, 'UNAUTHENTICATED');
      expect(r.body.data).toBeUndefined();
    }
  });
});

describe('after all of it', () => {
  it('the server still answers', async () => {
    expect((await fetch(`${t.app.url}/api/whatsapp/health`)).status).toBe(200);
    expect((await post({ query: QUERY })).status).toBe(200);
  });
});

describe('paths the routes cannot decode', () => {
  it('a malformed %-escape anywhere is a JSON 4xx without a stack trace', async () => {
    for (const p of ['/%E0%A4%A', '/widget.js%E0%A4%A', '/api/media/%E0%A4%A']) {
      const res = await fetch(`${t.app.url}${p}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      const text = await res.text();
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.status, p).toBeLessThan(500);
      expect(res.headers.get('content-type'), p).toMatch(/application\/json/);
      expect(text, p).not.toMatch(/ at |node_modules|<html/i);
    }
  });
});
