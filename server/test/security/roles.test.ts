import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestEnv, TEST_TOKEN, type TestEnv } from '../harness.js';

/**
 * What every operation of the schema needs: a scope, or null for any caller. The schema is read by
 * introspection, so an operation added without a row here fails the first test.
 */
const NEEDS: Record<string, string | null> = {
  'Query.me': null,
  'Query.agents': 'READ',
  'Query.apiKeys': 'ADMIN',
  'Query.messages': 'READ',
  'Query.contacts': 'READ',
  'Query.contact': 'READ',
  'Query.contactCounts': 'READ',
  'Query.stats': 'READ',
  'Query.health': 'READ',
  'Query.webhookEvents': 'ADMIN',
  'Query.templates': 'READ',
  'Query.bulkSend': 'READ',
  'Query.bulkSends': 'READ',
  'Query.mediaUrl': 'READ',
  'Query.auditLog': 'ADMIN',
  'Mutation.createAgentSession': 'SESSIONS',
  'Mutation.updateAgent': 'ADMIN',
  'Mutation.deactivateAgent': 'ADMIN',
  'Mutation.createApiKey': 'ADMIN',
  'Mutation.revokeApiKey': 'ADMIN',
  'Mutation.sendMessage': 'SEND',
  'Mutation.resendMessage': 'SEND',
  'Mutation.dismissMessage': 'SEND',
  'Mutation.updateContact': 'SEND',
  'Mutation.markContactRead': 'SEND',
  'Mutation.assignContact': 'SEND',
  'Mutation.setAvailability': 'SEND',
  'Mutation.sendBulkMessage': 'BULK',
  'Mutation.pauseBulkSend': 'BULK',
  'Mutation.resumeBulkSend': 'BULK',
  'Mutation.cancelBulkSend': 'BULK',
  'Mutation.resendBulkUnknown': 'BULK',
  'Mutation.replayWebhookEvent': 'ADMIN',
  'Mutation.dismissWebhookEvent': 'ADMIN',
  'Mutation.eraseContact': 'ADMIN',
  'Mutation.syncTemplates': 'ADMIN',
  'Mutation.createTemplate': 'ADMIN',
  'Mutation.updateTemplate': 'ADMIN',
  'Mutation.deleteTemplate': 'ADMIN',
  'Mutation.setTyping': 'SEND',
  'Subscription.messageAdded': 'READ',
  'Subscription.messageStatusChanged': 'READ',
  'Subscription.contactUpdated': 'READ',
  'Subscription.bulkSendProgress': 'READ',
  'Query.notes': 'READ',
  'Mutation.addNote': 'SEND',
  'Subscription.noteAdded': 'READ',
  'Query.cannedReplies': 'READ',
  'Mutation.createCannedReply': 'ADMIN',
  'Mutation.updateCannedReply': 'ADMIN',
  'Mutation.deleteCannedReply': 'ADMIN',
  'Subscription.presenceChanged': 'READ',
};

/** The callers: an agent of each role (a session) and a key of each scope, with what each holds. */
const ROLES = { ADMIN: ['READ', 'SEND', 'BULK', 'ADMIN', 'SESSIONS'], AGENT: ['READ', 'SEND'], VIEWER: ['READ'] } as const;
const SCOPES = ['READ', 'SEND', 'BULK', 'ADMIN', 'SESSIONS', 'METRICS'] as const;

interface TypeRef { kind: string; name: string | null; ofType: TypeRef | null }
interface Arg { name: string; type: TypeRef }
interface FieldInfo { name: string; args: Arg[]; type: TypeRef }
interface InputField { name: string; type: TypeRef }
interface TypeInfo { name: string; kind: string; fields: FieldInfo[] | null; inputFields: InputField[] | null; enumValues: Array<{ name: string }> | null }

let t: TestEnv;
let types: Map<string, TypeInfo>;
const callers: Array<{ name: string; token: string; scopes: readonly string[] }> = [];

const INTROSPECTION = `{ __schema { types { name kind
  fields { name type { ...T } args { name type { ...T } } }
  inputFields { name type { ...T } }
  enumValues { name } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);

/** A literal of the type, good enough to get past validation (the operation may then fail for its content). */
function literal(type: TypeRef, depth = 0): string {
  if (type.kind === 'NON_NULL') return literal(type.ofType!, depth);
  if (type.kind === 'LIST') return `[${literal(type.ofType!, depth)}]`;
  const info = types.get(type.name!)!;
  if (info.kind === 'ENUM') return info.enumValues![0]!.name;
  if (info.kind === 'INPUT_OBJECT') {
    const required = info.inputFields!.filter((f) => f.type.kind === 'NON_NULL');
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type, depth + 1)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'ID': return '"999999999"';
    case 'Int': case 'Float': return '1';
    case 'Boolean': return 'false';
    case 'DateTimeISO': return '"2099-01-01T00:00:00Z"';
    case 'JSONObject': return '{}';
    default: return `"x${depth}"`;
  }
}

/** The smallest document calling one operation with its required arguments. */
function documentOf(kind: 'Query' | 'Mutation' | 'Subscription', field: FieldInfo): string {
  const args = field.args.filter((a) => a.type.kind === 'NON_NULL').map((a) => `${a.name}: ${literal(a.type)}`);
  const ret = types.get(named(field.type).name!)!;
  const selection = ret.kind === 'OBJECT' || ret.kind === 'INTERFACE' || ret.kind === 'UNION' ? ' { __typename }' : '';
  return `${kind.toLowerCase()} { ${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
}

const operations = () =>
  (['Query', 'Mutation', 'Subscription'] as const).flatMap((kind) => (types.get(kind)?.fields ?? []).map((field) => ({ kind, field, key: `${kind}.${field.name}` })));

beforeAll(async () => {
  t = await startTestEnv();
  types = new Map(((await t.gql(INTROSPECTION)).body.data.__schema.types as TypeInfo[]).map((ty) => [ty.name, ty]));
  for (const [role, scopes] of Object.entries(ROLES)) {
    const res = await t.gql(`mutation($id: String!, $r: Role) { createAgentSession(input: { externalId: $id, role: $r }) { token } }`, { id: role, r: role });
    callers.push({ name: `${role} agent`, token: res.body.data.createAgentSession.token, scopes });
  }
  for (const scope of SCOPES) {
    const res = await t.gql(`mutation($s: [Scope!]!) { createApiKey(input: { name: "only", scopes: $s }) { key } }`, { s: [scope] });
    callers.push({ name: `${scope} key`, token: res.body.data.createApiKey.key, scopes: [scope] });
  }
});
afterAll(() => t?.close());

describe('roles and scopes', () => {
  it('every operation of the schema has a rule', () => {
    expect(operations().map((o) => o.key).sort()).toEqual(Object.keys(NEEDS).sort());
  });

  it('over HTTP, each caller is refused exactly what its role or scopes do not allow (FORBIDDEN), and nothing else', async () => {
    const outcomes: string[] = [];
    for (const { kind, field, key } of operations().filter((o) => o.kind !== 'Subscription')) {
      for (const c of callers) {
        const res = await t.gql(documentOf(kind, field), undefined, c.token);
        const codes = (res.body.errors ?? []).map((e: any) => e.extensions?.code);
        const allowed = NEEDS[key] === null || c.scopes.includes(NEEDS[key]!);
        const refused = codes.includes('FORBIDDEN') || codes.includes('UNAUTHENTICATED');
        if (allowed === refused) outcomes.push(`${key} as ${c.name}: ${allowed ? 'refused' : 'allowed'} (${codes.join(',') || 'no error'})`);
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('over the websocket, subscriptions are refused (FORBIDDEN) to callers without READ and run for the others', async () => {
    const outcomes: string[] = [];
    for (const { kind, field, key } of operations().filter((o) => o.kind === 'Subscription')) {
      for (const c of callers) {
        const client = createClient({ url: `${t.app.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${c.token}` }, retryAttempts: 0 });
        const outcome = await new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('running'), 300);
          const refused = (codes: string) => {
            clearTimeout(timer);
            resolve(codes);
          };
          // A refused subscription ends with one result carrying the error (graphql-ws sends it as `next`, then `complete`).
          client.subscribe({ query: documentOf(kind, field) }, {
            next: (r: any) => r.errors && refused(r.errors.map((x: any) => x.extensions?.code).join(',')),
            error: (e: any) => refused(Array.isArray(e) ? e.map((x) => x.extensions?.code).join(',') : String(e?.code ?? e)),
            complete: () => refused('completed'),
          });
        });
        await client.dispose();
        const allowed = NEEDS[key] === null || c.scopes.includes(NEEDS[key]!);
        if (allowed !== (outcome === 'running')) outcomes.push(`${key} as ${c.name}: ${outcome}`);
        if (!allowed && outcome !== 'FORBIDDEN') outcomes.push(`${key} as ${c.name}: refused with ${outcome}, not FORBIDDEN`);
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('an agent may edit a contact but not block it; an admin may', async () => {
    const contact = await t.gql(`mutation { sendMessage(input: { to: "15550001111", text: "hi" }) { contact { id } } }`);
    const id = contact.body.data?.sendMessage?.contact?.id ?? (await t.db.query(`select id::text as id from contact where wa_id = '15550001111'`)).rows[0].id;
    const agent = callers.find((c) => c.name === 'AGENT agent')!.token;
    const admin = callers.find((c) => c.name === 'ADMIN agent')!.token;
    expect((await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { tags: ["vip"] }) { tags } }`, { id }, agent)).body.data.updateContact.tags).toEqual(['vip']);
    const blocked = await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { isBlocked: true }) { isBlocked } }`, { id }, agent);
    expect(blocked.body.errors![0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { isBlocked: true }) { isBlocked } }`, { id }, admin)).body.data.updateContact.isBlocked).toBe(true);
  });

  it('me tells the caller who it is and what it may do', async () => {
    const viewer = callers.find((c) => c.name === 'VIEWER agent')!.token;
    const me = (await t.gql(`{ me { kind name role scopes agent { externalId role active } } }`, undefined, viewer)).body.data.me;
    expect(me).toMatchObject({ kind: 'AGENT', role: 'VIEWER', scopes: ['READ'], agent: { externalId: 'VIEWER', role: 'VIEWER', active: true } });
    const key = (await t.gql(`{ me { kind name scopes apiKey { name prefix } } }`, undefined, callers.find((c) => c.name === 'SEND key')!.token)).body.data.me;
    expect(key).toMatchObject({ kind: 'API_KEY', name: 'only', scopes: ['SEND'], apiKey: { name: 'only' } });
    expect((await t.gql(`{ me { kind scopes apiKey { id } } }`)).body.data.me).toEqual({ kind: 'API_KEY', scopes: expect.arrayContaining([...SCOPES]), apiKey: null });
  });
});

describe('credentials', () => {
  it('a key is stored only as a hash and shown once', async () => {
    const created = (await t.gql(`mutation { createApiKey(input: { name: "ci", scopes: [READ] }) { key apiKey { id prefix } } }`)).body.data.createApiKey;
    expect(created.key).toMatch(/^wai_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    const stored = JSON.stringify((await t.db.query(`select * from api_key where id = $1`, [created.apiKey.id])).rows[0]);
    expect(stored).not.toContain(created.key.slice(created.apiKey.prefix.length));
    const listed = JSON.stringify((await t.gql(`{ apiKeys { id name prefix scopes } }`)).body);
    expect(listed).not.toContain(created.key);
  });

  it('a revoked key is refused on the next request', async () => {
    const { key, apiKey } = (await t.gql(`mutation { createApiKey(input: { name: "soon gone", scopes: [READ] }) { key apiKey { id } } }`)).body.data.createApiKey;
    expect((await t.gql(`{ me { name } }`, undefined, key)).body.data.me.name).toBe('soon gone');
    expect((await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKey.id })).body.data.revokeApiKey.revokedAt).toBeTruthy();
    const after = await t.gql(`{ me { name } }`, undefined, key);
    expect(after.status).toBe(401);
    expect(after.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a deactivated agent is refused at once, and cannot get a new session', async () => {
    const s = (await t.gql(`mutation { createAgentSession(input: { externalId: "leaver", name: "Lee" }) { token agent { id } } }`)).body.data.createAgentSession;
    expect((await t.gql(`{ me { name } }`, undefined, s.token)).body.data.me.name).toBe('Lee');
    await t.gql(`mutation($id: ID!) { deactivateAgent(id: $id) { active } }`, { id: s.agent.id });
    expect((await t.gql(`{ me { name } }`, undefined, s.token)).status).toBe(401);
    const again = await t.gql(`mutation { createAgentSession(input: { externalId: "leaver" }) { token } }`);
    expect(again.body.errors![0].extensions.code).toBe('FORBIDDEN');
  });

  it('a deactivated agent and a revoked key lose their open websockets too (4403), within a few seconds', async () => {
    const s = (await t.gql(`mutation { createAgentSession(input: { externalId: "live-leaver" }) { token agent { id } } }`)).body.data.createAgentSession;
    const k = (await t.gql(`mutation { createApiKey(input: { name: "live", scopes: [READ] }) { key apiKey { id } } }`)).body.data.createApiKey;
    const open = (token: string) =>
      new Promise<{ closed: Promise<number> }>((ready) => {
        const socket = new WebSocket(`${t.app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
        const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
        socket.on('message', (m) => JSON.parse(String(m)).type === 'connection_ack' && ready({ closed }));
      });
    const [agent, key] = await Promise.all([open(s.token), open(k.key)]);
    const started = Date.now();
    await t.gql(`mutation($id: ID!) { deactivateAgent(id: $id) { active } }`, { id: s.agent.id });
    await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: k.apiKey.id });
    expect(await agent.closed).toBe(4403);
    expect(await key.closed).toBe(4403);
    expect(Date.now() - started).toBeLessThan(7_000);
  });

  it('a session signed with another secret, or tampered with, is refused', async () => {
    const { token } = (await t.gql(`mutation { createAgentSession(input: { externalId: "ada", role: ADMIN }) { token } }`)).body.data.createAgentSession;
    const [h, p, sig] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'ADMIN', sub: '1' })).toString('base64url')}.${sig}`;
    expect((await t.gql(`{ me { name } }`, undefined, forged)).status).toBe(401);
    expect((await t.gql(`{ me { name } }`, undefined, `${token}x`)).status).toBe(401);
  });

  it('an expired session is refused over HTTP, and its websocket is closed (4403) when it expires', async () => {
    const short = await startTestEnv({ env: { SESSION_TTL_SECONDS: '5' } });
    try {
      const { token, expiresAt } = (await short.gql(`mutation { createAgentSession(input: { externalId: "brief" }) { token expiresAt } }`)).body.data.createAgentSession;
      expect((await short.gql(`{ me { name } }`, undefined, token)).body.data.me.name).toBe('brief');
      const closed = new Promise<{ code: number; at: number }>((resolve) => {
        const socket = new WebSocket(`${short.app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
        socket.on('close', (code) => resolve({ code, at: Date.now() }));
      });
      const { code, at } = await closed;
      expect(code).toBe(4403);
      expect(at).toBeGreaterThanOrEqual(Date.parse(expiresAt) - 50);
      const after = await short.gql(`{ me { name } }`, undefined, token);
      expect(after.status).toBe(401);
      expect(after.body.errors![0].message).toMatch(/expired/);
    } finally {
      await short.close();
    }
  });

  it('a session for a nameless or malformed agent is BAD_USER_INPUT', async () => {
    for (const input of ['{ externalId: " " }', '{ externalId: "e1", email: "not an address" }', `{ externalId: "${'x'.repeat(201)}" }`]) {
      const res = await t.gql(`mutation { createAgentSession(input: ${input}) { token } }`);
      expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('without a credential every operation is UNAUTHENTICATED (401)', async () => {
    const res = await t.gql(`{ me { name } }`, undefined, null);
    expect(res.status).toBe(401);
    expect(res.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(`{ me { name } }`, undefined, 'wai_not-a-key')).status).toBe(401);
    expect(TEST_TOKEN).toBeTruthy();
  });
});
