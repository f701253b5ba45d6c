import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, subscribe, TEST_TOKEN, waitFor, type TestEnv } from '../harness.js';
import { envelope, textMessage } from '../payloads.js';
import { encodeCursor } from '../../src/graphql/connection.js';

let t: TestEnv;
let contactId: string;
beforeAll(async () => {
  t = await startTestEnv();
  await t.postWebhook(envelope(textMessage({ from: '15550000001', name: 'Ada', text: 'literal 100% _under_ back\\slash' }).body));
  await t.postWebhook(envelope(textMessage({ from: '15550000002', name: 'Bob', text: 'plain' }).body));
  await drained(t.db);
  contactId = (await t.db.query(`select id from contact order by id limit 1`)).rows[0].id;
});
afterAll(() => t?.close());

/** POSTs any JSON body to /graphql with the test token. */
async function raw(body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: res.status, body: json };
}

/**
 * The request was refused the way a client can act on: never a 5xx (a 4xx before execution, 200
 * with errors from a resolver), GraphQL errors with an `extensions.code` (never
 * INTERNAL_SERVER_ERROR), no data; `codes` narrows the code.
 */
function expectRefused(res: { status: number; body: any }, codes?: string[], message?: RegExp) {
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBeLessThan(500);
  const err = res.body.errors?.[0];
  expect(err?.extensions?.code, JSON.stringify(res.body).slice(0, 500)).toEqual(expect.any(String));
  expect(err.extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  if (codes) expect(codes).toContain(err.extensions.code);
  if (message) expect(err.message).toMatch(message);
  expect(res.body.data ?? null).toBeNull();
}

/** After every abuse: the server answers health and a normal query. */
async function stillServes() {
  expect((await fetch(`${t.app.url}/api/whatsapp/health`)).status).toBe(200);
  const ok = await t.gql(`{ contacts(first: 5) { totalCount } }`);
  expect(ok.status).toBe(200);
  expect(ok.body.data.contacts.totalCount).toBe(2);
}

const VALIDATION = ['GRAPHQL_VALIDATION_FAILED'];

describe('query shape bombs', () => {
  it('depth bomb through fragments is refused as a validation error', async () => {
    // Each fragment adds two levels; spreads hide the depth from a naive look at the operation.
    const frags = Array.from({ length: 12 }, (_, i) =>
      `fragment F${i} on Contact { lastMessage { contact { ${i < 11 ? `...F${i + 1}` : 'id'} } } }`).join('\n');
    const res = await raw({ query: `{ contacts(first: 1) { edges { node { ...F0 } } } }\n${frags}` });
    expectRefused(res, VALIDATION, /depth|cost/i);
    await stillServes();
  });

  it('introspection that recurses through types (fields { type { fields … } }) is refused, though depth limits skip introspection', async () => {
    let sel = 'name';
    for (let i = 0; i < 6; i++) sel = `name fields { name type { name ofType { name ${sel} } } }`;
    const res = await raw({ query: `{ __schema { types { ${sel} } } }` });
    expectRefused(res, VALIDATION, /introspection/i);
    const viaFragment = await raw({ query: `{ __type(name: "Query") { ...T } } fragment T on __Type { fields { type { ...U } } } fragment U on __Type { possibleTypes { name } interfaces { name } }` });
    expect(viaFragment.status).toBe(200); // fields and possibleTypes once each on the path: fine
    const repeated = await raw({ query: `{ __type(name: "Query") { ...T } } fragment T on __Type { fields { type { ...U } } } fragment U on __Type { fields { name } }` });
    expectRefused(repeated, VALIDATION, /introspection/i);
    await stillServes();
  });

  it('an ofType chain past 16 is refused; the standard introspection query (GraphiQL) still works', async () => {
    let sel = 'name';
    for (let i = 0; i < 30; i++) sel = `ofType { ${sel} }`;
    expectRefused(await raw({ query: `{ __schema { types { fields { type { ${sel} } } } } }` }), VALIDATION, /ofType/);
    const { getIntrospectionQuery } = await import('graphql');
    const full = await raw({ query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }) });
    expect(full.status).toBe(200);
    expect(full.body.data.__schema.types.length).toBeGreaterThan(10);
  });

  it('cyclic fragments are refused without hanging or crashing', async () => {
    const res = await raw({ query: `{ contacts(first: 1) { edges { node { ...A } } } } fragment A on Contact { lastMessage { contact { ...B } } } fragment B on Contact { lastMessage { contact { ...A } } }` });
    expectRefused(res, VALIDATION);
    await stillServes();
  });

  it('cost bomb: every connection at its largest page, nested as deep as allowed, many times over, is refused by cost', async () => {
    const node = `id name tags lastMessage { id text contact { id name lastMessage { id text contact { id name } } } }`;
    // 18 aliases: under the alias limit, so the cost limit is what refuses it.
    const fields = Array.from({ length: 9 }, (_, i) => `c${i}: contacts(first: 100) { totalCount edges { cursor node { ${node} } } }
      m${i}: messages(first: 100, search: "a") { totalCount edges { node { id text contact { ${node} } } } }`).join('\n');
    const res = await raw({ query: `{ ${fields} }` });
    expectRefused(res, VALIDATION, /cost/i);
    await stillServes();
  });

  it('alias bomb hidden in a fragment is refused', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ');
    const res = await raw({ query: `{ contacts(first: 1) { edges { node { ...X } } } } fragment X on Contact { ${aliases} }` });
    expectRefused(res, VALIDATION, /alias/i);
  });

  it('directive bomb is refused', async () => {
    const dirs = Array.from({ length: 200 }, () => '@include(if: true)').join(' ');
    const res = await raw({ query: `{ stats ${dirs} { totalMessages } }` });
    expectRefused(res, VALIDATION, /directive/i);
    await stillServes();
  });

  it('token bomb (one field repeated 20,000 times) is refused before validation work', async () => {
    const res = await raw({ query: `{ stats { ${'totalMessages '.repeat(20_000)} } }` });
    expectRefused(res, ['GRAPHQL_PARSE_FAILED'], /tokens/i);
    expect(res.status).toBe(400);
    await stillServes();
  });

  it('a 5 MB query made of one comment and whitespace does not take the server down', async () => {
    const res = await raw({ query: `#${'x'.repeat(5 * 1024 * 1024)}\n{ stats { totalMessages } }` });
    expect(res.status).toBeLessThan(500);
    if (res.body.errors) expect(res.body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
    await stillServes();
  });

  it('a thousand operations in one document are refused', async () => {
    const ops = Array.from({ length: 1000 }, (_, i) => `query Q${i} { stats { totalMessages } }`).join('\n');
    const res = await raw({ query: ops, operationName: 'Q999' });
    expectRefused(res, ['GRAPHQL_PARSE_FAILED']);
    expect(res.status).toBe(400);
  });

  it('variables nested 100,000 deep are refused or ignored, never a 5xx', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const undeclared = await raw(`{"query":"{ stats { totalMessages } }","variables":{"x":${deep}}}`);
    expect(undeclared.status).toBeLessThan(500);
    const declared = await raw(`{"query":"query($s: String) { messages(search: $s) { totalCount } }","variables":{"s":${deep}}}`);
    expectRefused(declared, ['BAD_USER_INPUT']);
    const json = await raw(`{"query":"mutation($id: ID!, $i: UpdateContactInput!) { updateContact(id: $id, input: $i) { id } }","variables":{"id":"1","i":{"tags":${deep}}}}`);
    expectRefused(json, ['BAD_USER_INPUT']);
    await stillServes();
  });
});

describe('batching abuse', () => {
  it.each([
    ['an empty array', []],
    ['a thousand operations', Array.from({ length: 1000 }, () => ({ query: '{ stats { totalMessages } }' }))],
    ['nested arrays', [[{ query: '{ stats { totalMessages } }' }]]],
  ])('%s as the body is a 400 with a GraphQL error', async (_name, body) => {
    const res = await raw(body);
    expectRefused(res, ['BAD_REQUEST']);
  });
});

describe('page sizes', () => {
  const q = `query($first: Int) { contacts(first: $first) { totalCount } }`;
  it.each([
    ['over the maximum', 101, ['BAD_USER_INPUT']],
    ['a billion', 1_000_000_000, ['BAD_USER_INPUT']],
    ['past 32 bits', 2 ** 31, ['BAD_USER_INPUT']],
    ['negative', -1, ['BAD_USER_INPUT']],
    ['most negative', -(2 ** 31), ['BAD_USER_INPUT']],
    ['zero', 0, ['BAD_USER_INPUT']],
    ['fractional', 1.5, ['BAD_USER_INPUT']],
    ['a string', '10', ['BAD_USER_INPUT']],
    ['null', null, ['BAD_USER_INPUT']],
  ])('first %s is refused', async (_name, first, codes) => {
    expectRefused(await raw({ query: q, variables: { first } }), codes);
  });
  it.each([
    ['over the maximum', '101', ['BAD_USER_INPUT']],
    ['past 32 bits', '99999999999', ['GRAPHQL_VALIDATION_FAILED']],
    ['negative', '-5', ['BAD_USER_INPUT']],
  ])('first %s as a literal is refused', async (_name, first, codes) => {
    expectRefused(await raw({ query: `{ messages(first: ${first}) { totalCount } bulkSends(first: ${first}) { id } }` }), codes);
    expectRefused(await raw({ query: `{ webhookEvents(first: ${first}) { id } }` }), codes);
  });
});

describe('hostile strings', () => {
  const messages = `query($s: String) { messages(search: $s) { totalCount edges { node { text } } } }`;
  const contacts = `query($s: String, $tag: String) { contacts(search: $s, tag: $tag) { totalCount } }`;

  // The stored text is "literal 100% _under_ back\\slash": a search is its words, never syntax.
  it.each([
    ["'; drop table message; --", 0],
    ['%', 0], // no word in it
    ['_under_', 1],
    ['\\slash', 1],
    ['\\', 0],
    ['100% _', 1],
    ['__', 0],
    ['%%%%', 0],
    ["' or '1'='1", 0],
    ['$1', 0], // the word 1: too short to be the start of 100
    ['E\'\\x00\'', 0],
    ['lit:* | !plain', 0], // tsquery operators are no operators here: "lit", "plain", both needed
    ['\u202e\ufeff', 0],
    ['🙂'.repeat(100), 0],
  ])('search %j is words, never syntax', async (s, n) => {
    const res = await t.gql(messages, { s });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.messages.totalCount).toBe(n);
    const c = await t.gql(contacts, { s });
    expect(c.body.errors).toBeUndefined();
  });

  it.each([
    ['a NUL byte', '\u0000'],
    ['text around a NUL byte', 'pla\u0000in'],
  ])('a search with %s is a BAD_USER_INPUT, not a database error', async (_name, s) => {
    expectRefused(await t.gql(messages, { s }), ['BAD_USER_INPUT']);
    expectRefused(await t.gql(contacts, { s }), ['BAD_USER_INPUT']);
    expectRefused(await t.gql(contacts, { tag: s }), ['BAD_USER_INPUT']);
    expectRefused(await t.gql(`query($u: String) { contact(userId: $u) { id } }`, { u: s }), ['BAD_USER_INPUT']);
    expectRefused(await t.gql(`mutation($id: ID!, $n: String) { updateContact(id: $id, input: { displayName: $n }) { id } }`, { id: contactId, n: s }), ['BAD_USER_INPUT']);
    // as a literal in the document too
    expectRefused(await t.gql(`{ messages(search: "x\\u0000y") { totalCount } }`), ['BAD_USER_INPUT']);
    await stillServes();
  });

  it('a lone surrogate in a search is harmless', async () => {
    const res = await t.gql(messages, { s: '\ud800' });
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('a very long search string (1 MB) is refused as BAD_USER_INPUT', async () => {
    const s = 'a'.repeat(1024 * 1024);
    expectRefused(await t.gql(messages, { s }), ['BAD_USER_INPUT'], /search/i);
    expectRefused(await t.gql(contacts, { s }), ['BAD_USER_INPUT'], /search/i);
    await stillServes();
  });

  it('a search at the length limit still works', async () => {
    const res = await t.gql(messages, { s: 'p'.repeat(1000) });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.messages.totalCount).toBe(0);
  });
});

describe('forged cursors', () => {
  it.each([
    ['contacts: a date that is no date', `{ contacts(first: 1, after: "${encodeCursor([true, 'not a date', '1'])}") { totalCount } }`],
    ['contacts: an id that is no number', `{ contacts(first: 1, after: "${encodeCursor([false, '2026-01-01T00:00:00Z', 'abc'])}") { totalCount } }`],
    ['contacts: an id past bigint', `{ contacts(first: 1, after: "${encodeCursor([false, '2026-01-01T00:00:00Z', '9'.repeat(30)])}") { totalCount } }`],
    ['contacts: a NUL in the date', `{ contacts(first: 1, after: "${encodeCursor([false, '2026\u0000', '1'])}") { totalCount } }`],
    ['messages: a date that is no date', `{ messages(first: 1, after: "${encodeCursor(['yesterday-ish', '1'])}") { totalCount } }`],
    ['messages: an id that is no number', `{ messages(first: 1, after: "${encodeCursor(['2026-01-01T00:00:00Z', '1; drop table message'])}") { totalCount } }`],
    ['messages: a year past the range', `{ messages(first: 1, after: "${encodeCursor(['999999-01-01T00:00:00Z', '1'])}") { totalCount } }`],
    ['a cursor of 100 KB', `{ messages(first: 1, after: "${'A'.repeat(100_000)}") { totalCount } }`],
  ])('%s is BAD_USER_INPUT', async (_name, query) => {
    expectRefused(await t.gql(query), ['BAD_USER_INPUT']);
  });
});

describe('ids past bigint', () => {
  const huge = '9'.repeat(30);
  it.each([
    ['contact(id)', `{ contact(id: "${huge}") { id } }`],
    ['messages(contactId)', `{ messages(contactId: "${huge}") { totalCount } }`],
    ['updateContact', `mutation { updateContact(id: "${huge}", input: { isPinned: true }) { id } }`],
    ['markContactRead', `mutation { markContactRead(id: "${huge}") { id } }`],
    ['replayWebhookEvent', `mutation { replayWebhookEvent(id: "${huge}") { id } }`],
  ])('%s with a 30-digit id is BAD_USER_INPUT or NOT_FOUND, never an internal error', async (_name, query) => {
    const res = await t.gql(query);
    expect(res.status).toBeLessThan(500);
    if (res.body.errors) expect(['BAD_USER_INPUT', 'NOT_FOUND'], JSON.stringify(res.body)).toContain(res.body.errors[0].extensions.code);
    else expect(Object.values(res.body.data)).toEqual([null]);
  });
});

describe('fuzzed arguments and documents', () => {
  /** Never a 5xx, never INTERNAL_SERVER_ERROR; either data or errors with a code. */
  const expectHandled = (res: { status: number; body: any }) => {
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
    for (const e of res.body.errors ?? []) {
      expect(e.extensions?.code, JSON.stringify(e).slice(0, 300)).toEqual(expect.any(String));
      expect(e.extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  };
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), fc.constantFrom('', ' ', '\u0000', '%', '_', '\\', "'", '"', '9'.repeat(30), '-1', 'x'.repeat(5000)));
  const reads = `query($s: String, $t: String, $a: String, $id: ID, $w: String, $u: String, $l: String, $n: String) {
    contacts(search: $s, tag: $t, after: $a, first: 2) { totalCount }
    messages(search: $s, contactId: $id, after: $a, first: 2) { totalCount }
    contact(id: $id, waId: $w, userId: $u) { id }
    bulkSend(id: $id) { id }
    templates(language: $l, name: $n, status: $t) { id }
  }`;

  it('arbitrary strings in every string argument of the read queries are answered, never with an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ s: text, t: text, a: text, id: text, w: text, u: text, l: text, n: text }), async (vars) => {
        expectHandled(await t.gql(reads, vars));
      }),
      { numRuns: 150, seed: 11 },
    );
    await stillServes();
  });

  it('arbitrary strings and ids in mutations are answered, never with an internal error', async () => {
    const update = `mutation($id: ID!, $n: String, $tags: [String!]) { updateContact(id: $id, input: { displayName: $n, tags: $tags }) { id } }`;
    const send = `mutation($c: ID, $to: String, $text: String, $r: ID, $k: String) {
      sendMessage(input: { contactId: $c, to: $to, text: $text, replyToMessageId: $r, clientMessageId: $k }) { id } }`;
    const reaction = `mutation($c: ID, $m: ID, $e: String) { sendMessage(input: { contactId: $c, reaction: { messageId: $m, emoji: $e } }) { id } }`;
    await fc.assert(
      fc.asyncProperty(fc.record({ id: fc.oneof(text, fc.constant(contactId)), n: text, tags: fc.array(text, { maxLength: 5 }), to: text, r: text, k: text }), async (v) => {
        expectHandled(await t.gql(update, { id: v.id, n: v.n, tags: v.tags }));
        expectHandled(await t.gql(send, { c: v.id, to: null, text: v.n, r: v.r, k: v.k }));
        expectHandled(await t.gql(send, { c: null, to: v.to, text: v.n }));
        expectHandled(await t.gql(reaction, { c: v.id, m: v.r, e: v.n }));
      }),
      { numRuns: 60, seed: 14 },
    );
    await stillServes();
  });

  it('arbitrary JSON inside well-formed cursors is BAD_USER_INPUT or a page, never an internal error', async () => {
    const q = `query($a: String) { contacts(first: 2, after: $a) { totalCount } messages(first: 2, after: $a) { totalCount } }`;
    const parts = fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.boolean(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(parts, async (p) => {
        expectHandled(await t.gql(q, { a: encodeCursor(p) }));
      }),
      { numRuns: 150, seed: 12 },
    );
  });

  it('arbitrary documents are a parse or validation error or an answer, never a 5xx', async () => {
    const words = fc.constantFrom('{', '}', '(', ')', ':', '...', '@include(if: true)', 'query', 'mutation', 'subscription', 'fragment', 'on', 'contacts', 'messages',
      'edges', 'node', 'id', 'text', 'first: 100', 'first: -1', '$x', '"\\u0000"', '__schema', '__type(name: "Query")', 'fields', 'type', 'ofType', 'a: stats', 'stats', 'totalMessages');
    const doc = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(words, { maxLength: 60 }).map((w) => w.join(' ')));
    await fc.assert(
      fc.asyncProperty(doc, async (query) => {
        expectHandled(await t.gql(query, { x: 1 }));
      }),
      { numRuns: 200, seed: 13 },
    );
    await stillServes();
  });
});

describe('database errors', () => {
  it("an unexpected database error is an INTERNAL_SERVER_ERROR without the database's wording or SQL, over HTTP and websocket", async () => {
    await t.db.query(`create or replace function refuse_pin() returns trigger language plpgsql as $$ begin raise exception 'secret internals of table contact'; end $$`);
    await t.db.query(`create trigger refuse_pin before update on contact for each row when (new.is_pinned) execute function refuse_pin()`);
    try {
      const mutation = `mutation { updateContact(id: "${contactId}", input: { isPinned: true }) { id } }`;
      const res = await t.gql(mutation);
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors?.[0]).toMatchObject({ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(res.body)).not.toMatch(/secret|select |update \\?"|trigger/i);
      const sub = subscribe(t.ws(), mutation);
      await waitFor(() => sub.events.length + sub.errors.length > 0, 5000, 'the websocket answer');
      expect(JSON.stringify(sub.errors)).toMatch(/internal server error/);
      expect(JSON.stringify(sub.errors)).not.toMatch(/secret/);
    } finally {
      await t.db.query(`drop trigger if exists refuse_pin on contact`);
    }
    await stillServes();
  });
});

describe('the same abuse over the websocket', () => {
  it('refuses bombs, NUL strings and forged cursors with GraphQL errors and keeps the socket usable', async () => {
    const client = t.ws();
    const errorsOf = async (query: string, variables?: Record<string, unknown>) => {
      const sub = subscribe(client, query, variables);
      await waitFor(() => sub.errors.length > 0 || sub.events.length > 0, 5000, 'an answer');
      sub.dispose();
      return sub.errors[0] as any;
    };
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: messageAdded { id }`).join(' ');
    const alias = await errorsOf(`subscription { ${aliases} }`);
    expect(JSON.stringify(alias)).toMatch(/alias/i);
    const nul = await errorsOf(`query($s: String) { messages(search: $s) { totalCount } }`, { s: 'a\u0000b' });
    expect(nul[0].extensions.code).toBe('BAD_USER_INPUT');
    const cursor = await errorsOf(`{ messages(first: 1, after: "${encodeCursor(['not a date', '1'])}") { totalCount } }`);
    expect(cursor[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(cursor[0].message).not.toMatch(/syntax|timestamp|postgres/i);
    const syntax = await errorsOf(`{ contacts(first: 1) { totalCount }`);
    expect(syntax[0].message).toMatch(/Syntax Error/);
    const tokens = await errorsOf(`{ stats { ${'totalMessages '.repeat(6000)} } }`);
    expect(tokens[0].message).toMatch(/tokens/);
    const ok = subscribe(client, `{ contacts(first: 1) { totalCount } }`);
    await waitFor(() => ok.events.length > 0, 5000, 'a normal query on the same socket');
    expect(ok.events[0].contacts.totalCount).toBe(2);
  });
});
