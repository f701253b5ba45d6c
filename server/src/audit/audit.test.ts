import { pino } from 'pino';
import client from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContacts, startTestEnv, subscribe, waitFor, type TestEnv } from '../../test/harness.js';
import { AuditEntry, AuditOutcome, AuditPrincipalKind } from './audit-entry.entity.js';
import { AuditLog } from './audit.log.js';

let t: TestEnv;
let contact: string;
let agent: { token: string; id: string };
let viewer: { token: string; id: string };
let admin: { token: string; id: string };

/** A distinctive customer: its number and a text sent to it must never reach the audit log. */
const PHONE = '4915207771234';
const SECRET_TEXT = 'Ultramarine walrus ate the invoice';
const UNKNOWN_PHONE = '4915209998877';

const LOG = `query($first: Int, $after: String, $principalId: ID, $principalKind: AuditPrincipalKind, $action: String, $outcome: AuditOutcome) {
  auditLog(first: $first, after: $after, principalId: $principalId, principalKind: $principalKind, action: $action, outcome: $outcome) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id at principalKind principalId principalName action targetIds outcome errorCode } }
  } }`;

async function session(externalId: string, role: string) {
  const r = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token agent { id } } }`, { input: { externalId, name: `${externalId} name`, role } });
  return { token: r.body.data.createAgentSession.token as string, id: r.body.data.createAgentSession.agent.id as string };
}

/** The audit log as an admin reads it, after the buffered entries are written. */
async function auditLog(vars: Record<string, unknown> = {}) {
  await t.app.services.audit.flush();
  const r = await t.gql(LOG, { first: 100, ...vars }, admin.token);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.auditLog as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ cursor: string; node: any }> };
}
const entries = async (vars: Record<string, unknown> = {}) => (await auditLog(vars)).edges.map((e) => e.node);

beforeAll(async () => {
  t = await startTestEnv();
  [contact] = await openContacts(t.db, 1, '1666');
  agent = await session('audit-agent', 'AGENT');
  viewer = await session('audit-viewer', 'VIEWER');
  admin = await session('audit-admin', 'ADMIN');
});
afterAll(() => t?.close());

describe('audit log', () => {
  it("records an agent's mutations (send, mark read, edit, assign) with the agent and the ids involved", async () => {
    const sent = await t.gql(`mutation($c: ID!) { sendMessage(input: { contactId: $c, text: "hello" }) { id } }`, { c: contact }, agent.token);
    const messageId = sent.body.data.sendMessage.id;
    await t.gql(`mutation($c: ID!) { markContactRead(id: $c) { id } }`, { c: contact }, agent.token);
    await t.gql(`mutation($c: ID!) { updateContact(id: $c, input: { tags: ["vip"] }) { id } }`, { c: contact }, agent.token);
    const assigned = await t.gql(`mutation($c: ID!, $a: ID) { assignContact(id: $c, agentId: $a) { id } }`, { c: contact, a: agent.id }, agent.token);
    expect(assigned.body.errors).toBeUndefined();
    const mine = await entries({ principalId: agent.id, principalKind: 'AGENT' });
    expect(mine.map((e) => e.action)).toEqual(['assignContact', 'updateContact', 'markContactRead', 'sendMessage']);
    for (const e of mine) expect(e).toMatchObject({ principalKind: 'AGENT', principalId: agent.id, principalName: 'audit-agent name', outcome: 'ALLOWED', errorCode: null });
    expect(mine[0].targetIds).toEqual([`Contact:${contact}`, `id:${contact}`, `agentId:${agent.id}`]);
    expect(mine[3].targetIds).toEqual([`Message:${messageId}`, `contactId:${contact}`]);
    expect(mine[2].targetIds).toEqual([`Contact:${contact}`, `id:${contact}`]);
    expect(Date.now() - Date.parse(mine[3].at)).toBeLessThan(60_000);
  });

  it('records a mutation over the websocket too, and one by a bootstrap key (kind KEY, its name, no id)', async () => {
    const ws = subscribe(t.ws(agent.token), `mutation($c: ID!) { markContactRead(id: $c) { id } }`, { c: contact });
    await waitFor(() => ws.events.length, 5000, 'the mutation over the websocket');
    await t.gql(`mutation($c: ID!) { markContactRead(id: $c) { id } }`, { c: contact });
    const reads = await entries({ action: 'markContactRead', first: 2 });
    expect(reads[0]).toMatchObject({ principalKind: 'KEY', principalId: null, principalName: 'AUTH_TOKENS', outcome: 'ALLOWED' });
    expect(reads[1]).toMatchObject({ principalKind: 'AGENT', principalId: agent.id, outcome: 'ALLOWED' });
  });

  it("records a VIEWER's refused mutation as REFUSED, with what it tried to touch", async () => {
    const r = await t.gql(`mutation($c: ID!) { sendMessage(input: { contactId: $c, text: "not allowed" }) { id } }`, { c: contact }, viewer.token);
    expect(r.body.errors![0].extensions.code).toBe('FORBIDDEN');
    expect(await entries({ principalId: viewer.id })).toEqual([
      expect.objectContaining({ action: 'sendMessage', outcome: 'REFUSED', errorCode: 'FORBIDDEN', principalKind: 'AGENT', targetIds: [`contactId:${contact}`] }),
    ]);
  });

  it('leaves typing signals out (a keystroke writes nothing), but records a refused one', async () => {
    const typed = await t.gql(`mutation($c: ID!) { setTyping(contactId: $c) }`, { c: contact }, agent.token);
    expect(typed.body.errors).toBeUndefined();
    const refused = await t.gql(`mutation($c: ID!) { setTyping(contactId: $c) }`, { c: contact }, viewer.token);
    expect(refused.body.errors![0].extensions.code).toBe('FORBIDDEN');
    expect(await entries({ action: 'setTyping' })).toEqual([expect.objectContaining({ principalId: viewer.id, outcome: 'REFUSED' })]);
  });

  it('keeps at most 50 ids of a call with many (a bulk send to 60 contacts, refused to an agent)', async () => {
    const recipients = Array.from({ length: 60 }, (_, i) => ({ contactId: String(1000 + i) }));
    const r = await t.gql(`mutation($r: [BulkRecipientInput!]!) { sendBulkMessage(input: { recipients: $r, text: "hi all" }) { id } }`, { r: recipients }, agent.token);
    expect(r.body.errors![0].extensions.code).toBe('FORBIDDEN');
    const [bulk] = await entries({ principalId: agent.id, action: 'sendBulkMessage' });
    expect(bulk).toMatchObject({ outcome: 'REFUSED', errorCode: 'FORBIDDEN' });
    expect(bulk.targetIds).toEqual(recipients.slice(0, 50).map((x) => `contactId:${x.contactId}`));
  });

  it('records a failed mutation as FAILED with its error code', async () => {
    const r = await t.gql(`mutation { createApiKey(input: { name: " ", scopes: [READ] }) { key } }`, undefined, admin.token);
    expect(r.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const missing = await t.gql(`mutation { revokeApiKey(id: "987654") { id } }`, undefined, admin.token);
    expect(missing.body.errors![0].extensions.code).toBe('NOT_FOUND');
    const [revoke, create] = await entries({ principalId: admin.id, outcome: 'FAILED' });
    expect(create).toMatchObject({ action: 'createApiKey', outcome: 'FAILED', errorCode: 'BAD_USER_INPUT', targetIds: [] });
    expect(revoke).toMatchObject({ action: 'revokeApiKey', outcome: 'FAILED', errorCode: 'NOT_FOUND', targetIds: ['id:987654'] });
  });

  it('keeps no message text and no phone number, of a send that worked, one that failed, or a note', async () => {
    await openContacts(t.db, 1, PHONE.slice(0, -7)); // the window of PHONE (prefix + 0000001) is open
    const to = `${PHONE.slice(0, -7)}0000001`;
    const ok = await t.gql(`mutation($to: String!, $text: String!) { sendMessage(input: { to: $to, text: $text }) { id } }`, { to, text: SECRET_TEXT }, agent.token);
    expect(ok.body.errors).toBeUndefined();
    const failed = await t.gql(`mutation($to: String!, $text: String!) { sendMessage(input: { to: $to, text: $text }) { id } }`, { to: UNKNOWN_PHONE, text: SECRET_TEXT }, agent.token);
    expect(failed.body.errors![0].extensions.code).toBe('OUTSIDE_SERVICE_WINDOW');
    const note = await t.gql(`mutation($c: ID!, $text: String!) { addNote(contactId: $c, text: $text) { id } }`, { c: contact, text: `${SECRET_TEXT}, call ${to}` }, agent.token);
    expect(note.body.errors).toBeUndefined();
    const [noted] = await entries({ principalId: agent.id, action: 'addNote' });
    expect(noted.targetIds).toEqual([`Note:${note.body.data.addNote.id}`, `contactId:${contact}`]);
    const [f, s] = await entries({ principalId: agent.id, action: 'sendMessage', first: 2 });
    expect(s).toMatchObject({ outcome: 'ALLOWED', targetIds: [`Message:${ok.body.data.sendMessage.id}`] });
    expect(f).toMatchObject({ outcome: 'FAILED', errorCode: 'OUTSIDE_SERVICE_WINDOW' });
    const stored = JSON.stringify((await t.db.query(`select * from audit_log`)).rows);
    for (const secret of [to, UNKNOWN_PHONE, SECRET_TEXT, 'walrus', to.slice(-7), UNKNOWN_PHONE.slice(-7)]) expect(stored).not.toContain(secret);
  });

  it("records a created key by its id, never the key", async () => {
    const r = await t.gql(`mutation { createApiKey(input: { name: "audited", scopes: [READ] }) { key apiKey { id } } }`, undefined, admin.token);
    const { key, apiKey } = r.body.data.createApiKey;
    const [created] = await entries({ principalId: admin.id, action: 'createApiKey', outcome: 'ALLOWED' });
    expect(created.targetIds).toEqual([`ApiKey:${apiKey.id}`]);
    expect(JSON.stringify((await t.db.query(`select * from audit_log`)).rows)).not.toContain(key.slice(4, 20));
  });

  it('filters by principal and action, and pages newest first', async () => {
    for (const tag of ['a', 'b', 'c']) await t.gql(`mutation($c: ID!, $t: [String!]) { updateContact(id: $c, input: { tags: $t }) { id } }`, { c: contact, t: [tag] }, admin.token);
    const first = await auditLog({ principalId: admin.id, action: 'updateContact', first: 2 });
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await auditLog({ principalId: admin.id, action: 'updateContact', first: 2, after: first.pageInfo.endCursor });
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.edges, ...rest.edges].map((e) => Number(e.node.id));
    expect(ids).toHaveLength(3);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    for (const e of [...first.edges, ...rest.edges]) expect(e.node).toMatchObject({ action: 'updateContact', principalId: admin.id });
    expect((await auditLog({ principalId: viewer.id, action: 'updateContact' })).totalCount).toBe(0);
    const bad = await t.gql(LOG, { after: 'not-a-cursor' }, admin.token);
    expect(bad.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('is for admins only', async () => {
    for (const token of [agent.token, viewer.token]) expect((await t.gql(LOG, {}, token)).body.errors![0].extensions.code).toBe('FORBIDDEN');
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    await t.app.services.audit.flush();
    const before = (await t.db.query(`select count(*)::int as n from audit_log`)).rows[0].n;
    expect(before).toBeGreaterThan(0);
    await expect(t.db.query(`update audit_log set action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`delete from audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`truncate audit_log`)).rejects.toThrow(/append-only/);
    expect((await t.db.query(`select count(*)::int as n from audit_log where action = 'forged'`)).rows[0].n).toBe(0);
    expect((await t.db.query(`select count(*)::int as n from audit_log`)).rows[0].n).toBe(before);
  });

  it('prunes entries older than AUDIT_RETENTION_DAYS, in batches, and keeps the rest', async () => {
    await t.app.services.audit.flush();
    const insertAged = (n: number, days: number) =>
      t.db.query(
        `insert into audit_log (at, principal_kind, principal_name, action, outcome)
         select now() - make_interval(days => $2), 'KEY', 'AUTH_TOKENS', 'agedAction' || $2, 'ALLOWED' from generate_series(1, $1)`,
        [n, days],
      );
    await insertAged(2500, 400); // more than one prune batch
    await insertAged(3, 364);
    const kept = (await t.db.query(`select count(*)::int as n from audit_log where at > now() - interval '365 days'`)).rows[0].n;
    expect(await t.app.services.audit.prune()).toBe(2500);
    const left = await t.db.query(`select action, count(*)::int as n from audit_log where action like 'agedAction%' group by action`);
    expect(left.rows).toEqual([{ action: 'agedAction364', n: 3 }]);
    expect((await t.db.query(`select count(*)::int as n from audit_log`)).rows[0].n).toBe(kept);
  });

  it('keeps entries the database refused and writes them once it takes them again', async () => {
    await t.app.services.audit.flush();
    await t.db.query(`alter table audit_log rename to audit_log_away`);
    try {
      const r = await t.gql(`mutation($c: ID!) { markContactRead(id: $c) { id } }`, { c: contact }, viewer.token);
      expect(r.body.errors![0].extensions.code).toBe('FORBIDDEN');
      await t.app.services.audit.flush(); // refused: the table is away
    } finally {
      await t.db.query(`alter table audit_log_away rename to audit_log`);
    }
    expect(await entries({ principalId: viewer.id, action: 'markContactRead' })).toEqual([expect.objectContaining({ outcome: 'REFUSED', errorCode: 'FORBIDDEN' })]);
  });
});

describe('audit log at shutdown', () => {
  it('close writes what is still buffered, however long the flush interval', async () => {
    const audit = new AuditLog({
      repo: t.app.orm.em.fork().getRepository(AuditEntry), log: pino({ level: 'silent' }), registry: new client.Registry(), retentionDays: 365, flushMs: 3_600_000,
    });
    const at = new Date();
    for (let i = 0; i < 3; i++) {
      audit.record({ at, principalKind: AuditPrincipalKind.KEY, principalId: null, principalName: 'AUTH_TOKENS', action: 'lastBeforeClose', targetIds: [], outcome: AuditOutcome.ALLOWED, errorCode: null });
    }
    await audit.close();
    expect((await t.db.query(`select count(*)::int as n from audit_log where action = 'lastBeforeClose'`)).rows[0].n).toBe(3);
  });
});
