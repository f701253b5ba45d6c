import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SECRET, drained, startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';
import { spawnServer } from '../../test/process.js';
import { signBody } from '../webhook/webhook.signature.js';

let t: TestEnv;
const agents: Record<string, { token: string; id: string }> = {};
let phone = 0;

async function session(externalId: string, role: string) {
  const r = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token agent { id } } }`, { input: { externalId, name: externalId, role } });
  agents[externalId] = { token: r.body.data.createAgentSession.token, id: r.body.data.createAgentSession.agent.id };
}
/** A customer writes; resolves once the message is stored. */
async function writes(from: string, url = t.app.url) {
  const raw = JSON.stringify(envelope(textMessage({ from }).body));
  const res = await fetch(`${url}/api/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) }, body: raw });
  expect(res.status).toBe(200);
}
const newCustomer = () => `1666${String(++phone).padStart(7, '0')}`;
async function assigneeOf(waId: string): Promise<string | null> {
  const { rows } = await t.db.query(`select a.external_id from contact c left join agent a on a.id = c.assignee_id where c.wa_id = $1`, [waId]);
  return rows[0]?.external_id ?? null;
}
const setAvailable = (who: string, available: boolean) => t.gql(`mutation($a: Boolean!) { setAvailability(available: $a) { available } }`, { a: available }, agents[who]!.token);

beforeAll(async () => {
  t = await startTestEnv({ env: { AUTO_ASSIGN: 'round_robin' } });
  await session('Ada', 'AGENT');
  await session('Bob', 'ADMIN');
  await session('Cy', 'AGENT');
  await session('Vi', 'VIEWER');
  await setAvailable('Cy', false);
});
afterAll(() => t?.close());

describe('AUTO_ASSIGN=round_robin', () => {
  it('new conversations alternate between the available agents, skipping the away one and viewers', async () => {
    const got: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      const who = newCustomer();
      await writes(who);
      await drained(t.db);
      got.push(await assigneeOf(who));
    }
    expect(got).toEqual(['Ada', 'Bob', 'Ada', 'Bob']);
  });

  it('a second message keeps the conversation where it is; a reopened one goes back to its available assignee, or on when they are away', async () => {
    const who = newCustomer();
    await writes(who);
    await drained(t.db);
    const first = await assigneeOf(who);
    await writes(who);
    await drained(t.db);
    expect(await assigneeOf(who)).toBe(first);
    await t.db.query(`update contact set conversation_closed = true where wa_id = $1`, [who]);
    await writes(who);
    await drained(t.db);
    expect(await assigneeOf(who)).toBe(first);
    await t.db.query(`update contact set conversation_closed = true where wa_id = $1`, [who]);
    await setAvailable(first!, false);
    try {
      await writes(who);
      await drained(t.db);
      expect(await assigneeOf(who)).toBe(first === 'Ada' ? 'Bob' : 'Ada');
    } finally {
      await setAvailable(first!, true);
    }
  });

  it('nobody available: the conversation stays unassigned', async () => {
    await setAvailable('Ada', false);
    await setAvailable('Bob', false);
    try {
      const who = newCustomer();
      await writes(who);
      await drained(t.db);
      expect(await waitFor(async () => (await t.db.query(`select 1 from contact where wa_id = $1`, [who])).rows.length)).toBe(1);
      expect(await assigneeOf(who)).toBeNull();
    } finally {
      await setAvailable('Ada', true);
      await setAvailable('Bob', true);
    }
  });

  it('two server processes ingesting at once still hand out turns evenly', async () => {
    const second = await spawnServer(t.databaseUrl, t.sim.url, { AUTO_ASSIGN: 'round_robin' });
    try {
      const before = (await t.db.query(`select a.external_id, count(c.id)::int as n from agent a left join contact c on c.assignee_id = a.id group by 1`)).rows;
      const had = Object.fromEntries(before.map((r) => [r.external_id, r.n]));
      const customers = Array.from({ length: 40 }, newCustomer);
      await Promise.all(customers.map((who, i) => writes(who, i % 2 ? second.url : t.app.url)));
      await drained(t.db);
      const after = (await t.db.query(`select a.external_id, count(c.id)::int as n from agent a left join contact c on c.assignee_id = a.id group by 1`)).rows;
      const gained = Object.fromEntries(after.map((r) => [r.external_id, r.n - (had[r.external_id] ?? 0)]));
      // The turns so far ended even (Ada, Bob, Ada, Bob, ...): 40 more are 20 each.
      expect(gained).toEqual({ Ada: 20, Bob: 20, Cy: 0, Vi: 0 });
      expect(await t.db.query(`select count(*)::int as n from contact where wa_id = any($1) and assignee_id is null`, [customers]).then((r) => r.rows[0].n)).toBe(0);
    } finally {
      await second.kill();
    }
  }, 90_000);
});
