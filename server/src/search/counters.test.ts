import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, drained, startTestEnv, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage, value, wamid } from '../../test/payloads.js';
import { Db } from '../db/db.js';
import { ormOptions } from '../db/orm.js';
import { entities } from '../entities.js';
import { compactCounters } from './counters.js';
import { readStats } from './stats.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

/** What the API answers next to a real count over the tables: contacts, their unread messages, messages. */
const counts = async () => {
  const { data } = (await t.gql(`{ contacts(first: 1) { totalCount totalCountIsExact } stats { contacts unreadTotal totalMessages } }`)).body;
  const { rows } = await t.db.query(`select (select count(*)::int from contact) as contacts,
    (select coalesce(sum(unread_count), 0)::int from contact) as unread, (select count(*)::int from message) as messages`);
  return { listed: data.contacts.totalCount, exact: data.contacts.totalCountIsExact, stats: data.stats.contacts, unread: data.stats.unreadTotal, messages: data.stats.totalMessages, counted: rows[0] };
};

/** Counts whose answers match the tables', checked both before and after the deltas are compacted. */
const exact = async () => {
  const now = await counts();
  expect(now).toMatchObject({ listed: now.counted.contacts, stats: now.counted.contacts, unread: now.counted.unread, messages: now.counted.messages });
  await compactCounters(t.db);
  expect(await counts()).toEqual(now);
  return now;
};

const contactOf = async (waId: string) => (await t.db.query(`select id::text from contact where wa_id = $1`, [waId])).rows[0].id as string;

describe('contact counter', () => {
  it('follows new contacts, merges and a truncate, before and after compaction', async () => {
    for (const from of ['15550000101', '15550000102', '15550000103']) await t.postWebhook(envelope(textMessage({ from }).body));
    // One person by BSUID only, then by both identifiers: two contacts merge into one (a delete).
    await t.postWebhook(envelope(textMessage({ from: '15550000104' }).body));
    await t.postWebhook(envelope(value({
      contacts: [{ profile: { name: 'Zoe' }, user_id: 'US.104' }],
      messages: [{ from_user_id: 'US.104', id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hi' } }],
    })));
    await drained(t.db);
    expect((await counts()).listed).toBe(5);
    await t.postWebhook(envelope(textMessage({ from: '15550000104', userId: 'US.104', text: 'both' }).body));
    await drained(t.db);

    const { rows: before } = await t.db.query(`select count(*)::int as n from inbox_stats.contact_count_delta`);
    const merged = await counts();
    // Five customer messages before the merge, one after: the merged contact carries both halves' unread.
    expect(merged).toMatchObject({ listed: 4, exact: true, stats: 4, unread: 6, counted: { contacts: 4, unread: 6 } });
    await compactCounters(t.db);
    const { rows: after } = await t.db.query(`select count(*)::int as n from inbox_stats.contact_count_delta`);
    expect(before[0].n).toBeGreaterThan(0);
    expect(after[0].n).toBe(0);
    expect(await counts()).toEqual(merged);

    await t.db.query(`truncate message, contact cascade`);
    expect(await counts()).toMatchObject({ listed: 0, stats: 0, unread: 0, messages: 0, counted: { contacts: 0, unread: 0, messages: 0 } });
    await t.postWebhook(envelope(textMessage({ from: '15550000105' }).body));
    await drained(t.db);
    expect(await counts()).toMatchObject({ listed: 1, stats: 1, unread: 1, messages: 1 });
  });
});

describe('unread counter', () => {
  it('follows new messages, reads, edits and an erasure', { timeout: 30_000 }, async () => {
    const start = await exact();
    // Posted together, so one batch may update several contacts in one statement.
    const from = ['15550000201', '15550000201', '15550000201', '15550000202', '15550000202'];
    await Promise.all(from.map((f, i) => t.postWebhook(envelope(textMessage({ from: f, text: `unread ${i}` }).body))));
    await drained(t.db);
    expect(await exact()).toMatchObject({ stats: start.stats + 2, unread: start.unread + 5 });

    const read = await t.gql(`mutation($id: ID!) { markContactRead(id: $id) { unreadCount } }`, { id: await contactOf('15550000201') });
    expect(read.body.data.markContactRead.unreadCount).toBe(0);
    expect((await exact()).unread).toBe(start.unread + 2);

    // An edit that leaves the unread count alone changes nothing.
    const renamed = await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { displayName: "Renamed" }) { id } }`, { id: await contactOf('15550000202') });
    expect(renamed.body.errors).toBeUndefined();
    expect((await exact()).unread).toBe(start.unread + 2);

    const erased = await t.gql(`mutation($id: ID!) { eraseContact(id: $id) { messages } }`, { id: await contactOf('15550000202') });
    expect(erased.body.data.eraseContact.messages).toBe(2);
    expect(await exact()).toMatchObject({ stats: start.stats + 1, unread: start.unread });
  });
});

describe('the unread migration', () => {
  it('starts the sum from the contacts already there, then follows them', async () => {
    const url = await createTestDatabase();
    const orm = await MikroORM.init(ormOptions(url, entities));
    const db = Db.over(new pg.Pool({ connectionString: url, max: 1 }));
    try {
      await orm.migrator.up({ to: 'Migration20261206170000ContactSearchText' });
      await db.query(`insert into contact (wa_id, unread_count) select '1555000030' || i, i from generate_series(1, 4) i`);
      await db.query(`update contact set unread_count = 0 where wa_id = '15550000301'`);
      await orm.migrator.up();
      expect((await readStats(db)).contacts).toEqual({ n: 4, unread: 9 });
      await db.query(`update contact set unread_count = unread_count + 1`);
      expect((await readStats(db)).contacts).toEqual({ n: 4, unread: 13 });
    } finally {
      await db.close();
      await orm.close();
    }
  });
});
