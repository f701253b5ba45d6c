import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage, value, wamid } from '../../test/payloads.js';

/**
 * A contact search by message words passes over contacts whose conversation lacks a word
 * (`inbox_search.contact_words`): a word missing there would hide a contact that said it, and a deleted
 * message's words left there would keep what the customer or retention removed.
 */
let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const contactOf = async (waId: string) => (await t.db.query(`select id::text from contact where wa_id = $1`, [waId])).rows[0]?.id as string | undefined;

/** The words kept for a contact, and those its messages hold now. */
async function words(contactId: string) {
  const { rows } = await t.db.query(
    `select array(select unnest(tsvector_to_array(words)) order by 1) as kept from inbox_search.contact_words where contact_id = $1`,
    [contactId],
  );
  const { rows: held } = await t.db.query(
    `select array(select distinct u from message, unnest(tsvector_to_array(search_vector)) u where contact_id = $1 order by 1) as held`,
    [contactId],
  );
  return { kept: (rows[0]?.kept ?? []) as string[], held: held[0].held as string[] };
}

const search = async (text: string) => {
  const { body } = await t.gql(`query($s: String) { contacts(search: $s, first: 10) { edges { node { waId } } } }`, { s: text });
  expect(body.errors).toBeUndefined();
  return body.data.contacts.edges.map((e: any) => e.node.waId);
};

describe("a contact's conversation words", () => {
  it('follow new messages, batches, edits, a merge and deletes', { timeout: 30_000 }, async () => {
    // Posted together, so one batch may add several contacts' words in one statement.
    const sent = [
      ['15550000301', 'My parcel arrived damaged'],
      ['15550000301', 'hello again'],
      ['15550000302', 'where is my parcel'],
      ['15550000302', 'still late'],
    ];
    await Promise.all(sent.map(([from, text]) => t.postWebhook(envelope(textMessage({ from, text }).body))));
    await drained(t.db);
    const a = (await contactOf('15550000301'))!;
    const b = (await contactOf('15550000302'))!;
    expect((await words(a)).kept).toEqual(['again', 'arrived', 'damaged', 'hello', 'my', 'parcel']);
    expect((await words(b)).kept).toEqual(['is', 'late', 'my', 'parcel', 'still', 'where']);
    expect(await search('damaged parcel')).toEqual(['15550000301']);

    // An edit: the old words go, the new ones come.
    await t.db.query(`update message set text = 'thanks a lot' where contact_id = $1 and text = 'hello again'`, [a]);
    expect((await words(a)).kept).toEqual(['a', 'arrived', 'damaged', 'lot', 'my', 'parcel', 'thanks']);

    // A deleted message's words go, unless another message of the contact has them.
    await t.db.query(`delete from message where contact_id = $1 and text = 'where is my parcel'`, [b]);
    expect(await words(b)).toEqual({ kept: ['late', 'still'], held: ['late', 'still'] });
    expect(await search('parcel')).toEqual(['15550000301']);

    // One person first by BSUID only, then by both identifiers: the two contacts merge, and the
    // merged one is found by the words of both halves.
    await t.postWebhook(envelope(value({
      contacts: [{ profile: { name: 'Zoe' }, user_id: 'US.303' }],
      messages: [{ from_user_id: 'US.303', id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'broken locker' } }],
    })));
    await t.postWebhook(envelope(textMessage({ from: '15550000303', text: 'missing voucher' }).body));
    await drained(t.db);
    await t.postWebhook(envelope(textMessage({ from: '15550000303', userId: 'US.303', text: 'both' }).body));
    await drained(t.db);
    const merged = (await contactOf('15550000303'))!;
    const after = await words(merged);
    expect(after.held).toEqual(expect.arrayContaining(['broken', 'locker', 'missing', 'voucher', 'both']));
    expect(after.kept).toEqual(expect.arrayContaining(after.held));
    expect(await search('broken locker')).toEqual(['15550000303']);

    // An erasure takes the contact's words with it.
    const erased = await t.gql(`mutation($id: ID!) { eraseContact(id: $id) { messages } }`, { id: a });
    expect(erased.body.errors).toBeUndefined();
    const { rows } = await t.db.query(`select count(*)::int as n from inbox_search.contact_words where contact_id = $1`, [a]);
    expect(rows[0].n).toBe(0);
    expect(await search('damaged parcel')).toEqual([]);
  });
});
