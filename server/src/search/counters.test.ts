import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage, value, wamid } from '../../test/payloads.js';
import { compactCounters } from './counters.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const counts = async () => {
  const { data } = (await t.gql(`{ contacts(first: 1) { totalCount totalCountIsExact } stats { contacts totalMessages } }`)).body;
  const { rows } = await t.db.query(`select (select count(*)::int from contact) as contacts, (select count(*)::int from message) as messages`);
  return { listed: data.contacts.totalCount, exact: data.contacts.totalCountIsExact, stats: data.stats.contacts, messages: data.stats.totalMessages, counted: rows[0] };
};

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
    expect(merged).toMatchObject({ listed: 4, exact: true, stats: 4, counted: { contacts: 4 } });
    await compactCounters(t.db);
    const { rows: after } = await t.db.query(`select count(*)::int as n from inbox_stats.contact_count_delta`);
    expect(before[0].n).toBeGreaterThan(0);
    expect(after[0].n).toBe(0);
    expect(await counts()).toEqual(merged);

    await t.db.query(`truncate message, contact cascade`);
    expect(await counts()).toMatchObject({ listed: 0, stats: 0, messages: 0, counted: { contacts: 0, messages: 0 } });
    await t.postWebhook(envelope(textMessage({ from: '15550000105' }).body));
    await drained(t.db);
    expect(await counts()).toMatchObject({ listed: 1, stats: 1, messages: 1 });
  });
});
