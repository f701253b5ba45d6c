import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openContacts, startTestEnv, subscribe, waitFor, type TestEnv } from '../../test/harness.js';
import { spawnServer, type ServerProcess } from '../../test/process.js';
import type { Sql } from '../db/db.js';
import { compactCounters, compactSearchWords } from '../search/counters.js';

/**
 * Two server processes on one database: agent Ada works through the first (this test's own app),
 * Bob through the second (its own OS process). Presence travels between them by NOTIFY only.
 */
let t: TestEnv;
let second: ServerProcess;
let ada: string;
let bob: string;
let contactId: string;
const clients: Client[] = [];

const PRESENCE = `subscription($id: ID!) { presenceChanged(contactId: $id) { contactId agents { agent { id name } typing } } }`;
const TYPING = `mutation($id: ID!, $typing: Boolean!) { setTyping(contactId: $id, typing: $typing) }`;

const wsOn = (url: string, token: string) => {
  const client = createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
  clients.push(client);
  return client;
};
const session = async (externalId: string, name: string) =>
  (await t.gql(`mutation($i: String!, $n: String) { createAgentSession(input: { externalId: $i, name: $n }) { token } }`, { i: externalId, n: name })).body.data.createAgentSession.token as string;
/** What a subscriber shows now: names, with "typing" for the typing ones. */
const shows = (sub: { events: any[] }) => sub.events.at(-1)?.presenceChanged.agents.map((a: any) => `${a.agent.name}${a.typing ? ' typing' : ''}`).join(', ');
const typing = (token: string, typing = true) => t.gql(TYPING, { id: contactId, typing }, token);

beforeAll(async () => {
  t = await startTestEnv();
  second = await spawnServer(t.databaseUrl, t.sim.url);
  [ada, bob] = await Promise.all([session('ada', 'Ada'), session('bob', 'Bob')]);
  [contactId] = await openContacts(t.db, 1);
}, 90_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await second?.kill();
  await t?.close();
});

describe('who else is here, across two server processes', () => {
  it('Bob (process 2) sees Ada (process 1) open the conversation, type, stop, and leave when her socket closes; Ada sees Bob', { timeout: 60_000 }, async () => {
    const bobSees = subscribe(wsOn(second.url, bob), PRESENCE, { id: contactId });
    await waitFor(() => bobSees.events.length > 0, 10_000, 'the current set at subscribe');
    expect(bobSees.events[0].presenceChanged).toEqual({ contactId, agents: [] });

    const adaClient = wsOn(t.app.url, ada);
    const adaSees = subscribe(adaClient, PRESENCE, { id: contactId });
    await waitFor(() => shows(adaSees) === 'Bob', 10_000, 'Ada to see Bob, who was there first');
    await waitFor(() => shows(bobSees) === 'Ada', 10_000, 'Bob to see Ada arrive');

    // Cy subscribes on Bob's process with the very same operation: still his own viewer, not a share of Bob's.
    const cySees = subscribe(wsOn(second.url, await session('cy', 'Cy')), PRESENCE, { id: contactId });
    await waitFor(() => shows(cySees) === 'Ada, Bob', 10_000, 'Cy to see both');
    await waitFor(() => shows(bobSees) === 'Ada, Cy', 10_000, 'Bob to see Cy');
    cySees.dispose(); // completing the subscription is leaving
    await waitFor(() => shows(bobSees) === 'Ada', 10_000, 'Cy to be gone');

    expect((await typing(ada)).body.data.setTyping).toBe(true);
    // A second signal within a second changes nothing and is not passed on.
    expect((await typing(ada)).body.data.setTyping).toBe(false);
    await waitFor(() => shows(bobSees) === 'Ada typing', 10_000, 'Bob to see Ada typing');
    // No new signal: it runs out after about 5 s.
    await waitFor(() => shows(bobSees) === 'Ada', 15_000, 'Ada to stop showing as typing');

    expect((await typing(ada)).body.data.setTyping).toBe(true);
    await waitFor(() => shows(bobSees) === 'Ada typing', 10_000, 'Bob to see Ada typing again');
    expect((await typing(ada, false)).body.data.setTyping).toBe(true); // she sent her reply
    await waitFor(() => shows(bobSees) === 'Ada', 10_000, 'the stop to reach Bob');
    expect(adaSees.events.every((e) => e.presenceChanged.agents.every((a: any) => a.agent.name !== 'Ada'))).toBe(true);
    expect(adaSees.errors).toEqual([]);

    await adaClient.dispose(); // closes her websocket
    await waitFor(() => shows(bobSees) === '', 10_000, 'Ada to be gone as soon as her socket closed');
    expect(bobSees.errors).toEqual([]);
  });

  it('typing writes nothing: 50 signals through process 1 leave every table as it was', { timeout: 60_000 }, async () => {
    const bobSees = subscribe(wsOn(second.url, bob), PRESENCE, { id: contactId });
    // The setup's counter deltas are folded now, so neither process's periodic compaction writes meanwhile.
    await compactCounters(t.db);
    await compactSearchWords(t.db);
    const before = await tableVersions(t.db);
    let passed = 0;
    for (let i = 0; i < 50; i++) {
      // Alternating start and stop: each one is passed on (the limit lets a change through).
      const res = await typing(ada, i % 2 === 0);
      expect(res.body.errors).toBeUndefined();
      if (res.body.data.setTyping) passed++;
    }
    expect(passed).toBe(50);
    await waitFor(() => bobSees.events.some((e) => e.presenceChanged.agents.some((a: any) => a.typing)), 10_000, 'the signals to reach Bob');
    expect(await tableVersions(t.db)).toEqual(before);
  });

  it('a server started later knows at once who is already there (it asks; no wait for a heartbeat)', { timeout: 90_000 }, async () => {
    const adaSees = subscribe(wsOn(t.app.url, ada), PRESENCE, { id: contactId });
    await waitFor(() => adaSees.events.length > 0, 10_000, 'Ada to be viewing');
    const third = await spawnServer(t.databaseUrl, t.sim.url);
    try {
      const bobSees = subscribe(wsOn(third.url, bob), PRESENCE, { id: contactId });
      await waitFor(() => bobSees.events.length > 0, 10_000, 'the current set');
      expect(shows(bobSees)).toBe('Ada');
    } finally {
      await third.kill();
    }
  });

  it('only agents type: a key is BAD_USER_INPUT, an unknown contact NOT_FOUND, a malformed id BAD_USER_INPUT', async () => {
    expect((await t.gql(TYPING, { id: contactId, typing: true })).body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(TYPING, { id: '999999999', typing: true }, ada)).body.errors![0].extensions.code).toBe('NOT_FOUND');
    expect((await t.gql(TYPING, { id: 'abc', typing: true }, ada)).body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

/**
 * Every table's row count and newest row version (xmin), pg-boss's own tables aside: an insert or an
 * update makes a newer version, a delete lowers the count. Read at once, unlike the statistics
 * views, which each connection flushes up to seconds later.
 */
async function tableVersions(db: Sql): Promise<Record<string, string>> {
  const { rows: tables } = await db.query(`select schemaname, relname from pg_stat_user_tables where schemaname <> 'pgboss' order by 1, 2`);
  const out: Record<string, string> = {};
  for (const { schemaname, relname } of tables) {
    const name = `"${schemaname}"."${relname}"`;
    const { rows } = await db.query(`select count(*) || ' rows, newest ' || coalesce(max(xmin::text::bigint), 0) as v from ${name}`);
    out[name] = rows[0].v;
  }
  return out;
}
