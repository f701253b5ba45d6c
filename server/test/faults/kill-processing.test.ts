import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../simulator/src/simulator.js';
import { APP_SECRET, createTestDatabase, PHONE_NUMBER_ID, waitFor } from '../harness.js';
import { envelope, textMessage } from '../payloads.js';
import { spawnServer, type ServerProcess } from '../process.js';
import path from 'node:path';
import { signBody } from '../../src/webhook/webhook.signature.js';

const EVENTS = 3000;
const SENDERS = 50;

let db: pg.Pool | undefined;
let sim: RunningSimulator | undefined;
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.kill();
  await db?.end();
  await sim?.close();
});

/** Meta's deliveries: one message per POST; every tenth repeats an earlier one (Meta delivers at least once). */
function deliveries() {
  const list: Array<{ wamid: string; from: string; raw: string }> = [];
  for (let i = 0; i < EVENTS; i++) {
    if (i % 10 === 9) {
      list.push(list[i - 5]!);
      continue;
    }
    const from = `1777${String(i % SENDERS).padStart(7, '0')}`;
    const m = textMessage({ from, text: `event ${i}` });
    list.push({ wamid: m.id, from, raw: JSON.stringify(envelope(m.body)) });
  }
  return list;
}

const post = (url: string, raw: string) =>
  fetch(`${url}/api/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) }, body: raw })
    .then(async (res) => (await res.arrayBuffer(), res.status), () => 0);

const count = async (sql: string) => (await db!.query(sql)).rows[0].n as number;

/** Events some transaction holds (a batch being applied): claimed (PROCESSING) ones this connection cannot lock. */
async function heldByABatch(): Promise<number> {
  const client = await db!.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query(`select (select count(*) from webhook_event where status = 'PROCESSING')::int
      - (select count(*) from (select 1 from webhook_event where status = 'PROCESSING' for update skip locked) x)::int as n`);
    return rows[0].n;
  } finally {
    await client.query('rollback');
    client.release();
  }
}

/** Transactions rolled back in the database so far (a killed server's batch is one). */
const rollbacks = () => count(`select xact_rollback::int as n from pg_stat_database where datname = current_database()`);

describe('a server SIGKILLed while the inbox processes a batch', () => {
  it('leaves nothing lost, doubled or stuck: a new process on the same database finishes every stored event exactly once', { timeout: 240_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    sim = await startSimulator({ appSecret: APP_SECRET, accessToken: 'graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-1', log: () => undefined });
    const env = {};
    const all = deliveries();
    let accepted = 0;
    const unanswered: typeof all = []; // no 2xx: Meta delivers these again later
    let notYetSent = all;
    let atKill: Array<{ status: string; n: number }> = [];
    let batchLost = false;
    // Kill while a batch is being applied: some events processed, some in the batch, some not. A batch
    // takes a few tens of ms, so the kill may land between two; then another process gets the rest of
    // the deliveries and is killed in turn, until one dies with a batch in flight (its transaction is
    // then rolled back).
    for (let attempt = 1; attempt <= 5; attempt++) {
      const first = await spawnServer(databaseUrl, sim.url, env);
      servers.push(first);
      const sending = notYetSent;
      let next = 0;
      let alive = true;
      const sender = async () => {
        while (alive && next < sending.length) {
          const d = sending[next++]!;
          if ((await post(first.url, d.raw)) === 200) accepted++;
          else unanswered.push(d);
        }
      };
      const load = Promise.all(Array.from({ length: 16 }, sender));
      const done0 = await count(`select count(*) filter (where status = 'PROCESSED')::int as n from webhook_event`);
      const rolledBack = await rollbacks();
      await waitFor(async () => ((await count(`select count(*) filter (where status = 'PROCESSED')::int as n from webhook_event`)) >= done0 + 200 && (await heldByABatch()) > 0) || next >= sending.length, 60_000, 'a batch in flight');
      first.child.kill('SIGKILL');
      await first.exited;
      alive = false;
      await load;
      notYetSent = sending.slice(next);
      atKill = (await db.query(`select status, count(*)::int as n from webhook_event group by 1`)).rows;
      // The database notices the dead connection and rolls its open transaction back.
      batchLost = await waitFor(async () => (await rollbacks()) > rolledBack, 3000, 'the dead batch rolled back').then(() => true, () => false);
      if (batchLost) break;
    }
    const stored = atKill.reduce((s, r) => s + r.n, 0);
    expect(batchLost).toBe(true);
    expect(atKill.find((r) => r.status === 'PROCESSED')?.n ?? 0).toBeLessThan(stored);
    expect(stored).toBeGreaterThanOrEqual(accepted); // a POST may be stored without its 200 reaching the sender

    const second = await spawnServer(databaseUrl, sim.url, env);
    servers.push(second);
    for (const d of [...unanswered, ...notYetSent]) expect(await post(second.url, d.raw)).toBe(200);
    // The dead process's batch is due again once its claim's lease runs out: the new process takes it with the rest.
    await waitFor(async () => (await count(`select count(*)::int as n from webhook_event where status <> 'PROCESSED'`)) === 0, 150_000, 'every event processed');

    const unique = new Map(all.map((d) => [d.wamid, d.from]));
    expect(await count(`select count(*)::int as n from webhook_event`)).toBe(stored + unanswered.length + notYetSent.length);
    const messages = (await db.query(`select m.wa_message_id, c.wa_id from message m join contact c on c.id = m.contact_id where m.direction = 'INBOUND'`)).rows;
    expect(messages).toHaveLength(unique.size);
    expect(new Map(messages.map((m) => [m.wa_message_id, m.wa_id]))).toEqual(unique);
    const expectedUnread = new Map<string, number>();
    for (const from of unique.values()) expectedUnread.set(from, (expectedUnread.get(from) ?? 0) + 1);
    const contacts = (await db.query(`select wa_id, unread_count from contact`)).rows;
    expect(new Map(contacts.map((c) => [c.wa_id, c.unread_count]))).toEqual(expectedUnread);
    expect(second.output()).not.toMatch(/webhook event failed/);
  });
});

const POISON_HOOK = path.join(import.meta.dirname, 'poison.hook.ts');
const MAX_ATTEMPTS = 3;

describe('a poison event: applying it kills the process every time', () => {
  it(`ends FAILED after WEBHOOK_MAX_ATTEMPTS attempts, and every other event of its batches is processed exactly once`, { timeout: 240_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    sim = await startSimulator({ appSecret: APP_SECRET, accessToken: 'graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-1', log: () => undefined });
    // A first process migrates the empty database; then every event is stored before any process
    // claims, so the poison event's first batch is a full one (250 events) with neighbours both sides.
    const migrate = await spawnServer(databaseUrl, sim.url);
    await migrate.kill();
    const events = Array.from({ length: 600 }, (_, i) => {
      const from = `1888${String(i % 30).padStart(7, '0')}`;
      const m = textMessage({ from, text: i === 100 ? 'POISON pill' : `event ${i}` });
      return { wamid: m.id, from, poison: i === 100, raw: JSON.stringify(envelope(m.body)) };
    });
    await db.query(`insert into webhook_event (body, headers) select convert_to(b, 'UTF8'), '{}' from unnest($1::text[]) b`, [events.map((e) => e.raw)]);

    const env = { WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS), WEBHOOK_CLAIM_LEASE_MS: '1000', POISON_TEXT: 'POISON' };
    const unfinished = () => count(`select count(*)::int as n from webhook_event where status in ('PENDING', 'PROCESSING')`);
    let deaths = 0;
    let survivor: ServerProcess | undefined;
    for (let run = 0; run < MAX_ATTEMPTS + 3 && !survivor; run++) {
      let server: ServerProcess;
      try {
        server = await spawnServer(databaseUrl, sim.url, env, [POISON_HOOK]);
      } catch (err) {
        if (!/exited before listening/.test((err as Error).message)) throw err;
        deaths++; // killed by the poison while starting up
        continue;
      }
      servers.push(server);
      let exited = false;
      void server.exited.then(() => (exited = true));
      await waitFor(async () => exited || (await unfinished()) === 0, 60_000, 'the process to die or finish');
      if (exited) deaths++;
      else survivor = server;
    }
    expect(deaths).toBe(MAX_ATTEMPTS);
    expect(survivor).toBeDefined();

    const poison = events.find((e) => e.poison)!;
    const byStatus = (await db.query(`select status, count(*)::int as n, max(attempts) as most from webhook_event group by 1 order by 1`)).rows;
    expect(byStatus).toEqual([
      { status: 'FAILED', n: 1, most: MAX_ATTEMPTS },
      { status: 'PROCESSED', n: events.length - 1, most: 2 }, // the poison's neighbours: one more attempt each, applied alone
    ]);
    const [failed] = (await db.query(`select convert_from(body, 'UTF8') as body, last_error from webhook_event where status = 'FAILED'`)).rows;
    expect(failed).toEqual({ body: poison.raw, last_error: `the process stopped while applying this event ${MAX_ATTEMPTS} times` });
    expect(survivor!.output()).toMatch(/webhook event failed: the process stopped while applying it every time/);

    // Every other event applied exactly once: its message stored once on its sender, each counted unread once.
    const others = events.filter((e) => !e.poison);
    const messages = (await db.query(`select m.wa_message_id, c.wa_id from message m join contact c on c.id = m.contact_id where m.direction = 'INBOUND'`)).rows;
    expect(messages).toHaveLength(others.length);
    expect(new Map(messages.map((m) => [m.wa_message_id, m.wa_id]))).toEqual(new Map(others.map((e) => [e.wamid, e.from])));
    const expectedUnread = new Map<string, number>();
    for (const e of others) expectedUnread.set(e.from, (expectedUnread.get(e.from) ?? 0) + 1);
    const contacts = (await db.query(`select wa_id, unread_count from contact`)).rows;
    expect(new Map(contacts.map((c) => [c.wa_id, c.unread_count]))).toEqual(expectedUnread);
  });
});
