import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, value } from '../../test/payloads.js';
import { compactCounters, compactSearchWords } from '../search/counters.js';

let t: TestEnv;
const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-erasure-')), '.data');
beforeAll(async () => {
  t = await startTestEnv({ env: { DATA_DIR: dataDir } });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

const letters = (n: number) => Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A customer: a distinctive number, name and words, who writes, sends an image and is answered. */
async function customer(shared: string) {
  const number = `1999${Math.floor(1e6 + Math.random() * 8e6)}`;
  const person = { number, name: `Name${letters(8)}`, words: [`hello${letters(8)}`, `caption${letters(8)}`, `answer${letters(8)}`] };
  await t.sim.injectInbound({ from: number, name: person.name, text: `${shared} ${person.words[0]}` });
  const image = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(1024)]);
  const mediaId = t.sim.addMedia(image, 'image/png');
  await t.sim.injectInbound({ from: number, name: person.name, message: { image: { id: mediaId, mime_type: 'image/png', sha256: sha(image), caption: person.words[1] } } });
  const contact = await waitFor(async () => (await t.db.query(`select id::text from contact where wa_id = $1`, [number])).rows[0]?.id as string | undefined);
  const sent = await t.gql(`mutation($c: ID!, $text: String!) { sendMessage(input: { contactId: $c, text: $text }) { id } }`, { c: contact, text: `${person.words[2]} ${shared}` });
  expect(sent.body.errors).toBeUndefined();
  await waitFor(async () => (await t.db.query(`select status from message where id = $1`, [sent.body.data.sendMessage.id])).rows[0]?.status === 'READ', 10_000, 'the answer read');
  await waitFor(async () => (await t.db.query(`select count(*)::int as n from media m join message g on g.id = m.message_id where g.contact_id = $1 and m.status = 'DOWNLOADED'`, [contact])).rows[0].n === 1, 15_000, 'the image downloaded');
  // Meta reports an error about the number's messages: the value carries the customer's contact and message.
  const res = await t.postWebhook(envelope(value({
    contacts: [{ profile: { name: person.name }, wa_id: number }],
    messages: [{ from: number, id: `wamid.ERR${letters(10)}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'unsupported', errors: [{ code: 131051, title: 'Unsupported message type' }] }],
    errors: [{ code: 131051, title: 'Unsupported message type' }],
  })));
  expect(res.status).toBe(200);
  await drained(t.db);
  return { ...person, contact, image };
}

/** Every table of every schema (pg-boss's and the triggers' included), each row as text, searched for any of `needles`. */
async function traces(needles: string[]): Promise<string[]> {
  const { rows: tables } = await t.db.query(
    `select table_schema as s, table_name as n from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
  );
  // Bytea columns (raw webhook bodies) read as hex in a row's text.
  const patterns = needles.flatMap((n) => [n.toLowerCase(), Buffer.from(n).toString('hex')]);
  const found: string[] = [];
  for (const { s, n } of tables) {
    const { rows } = await t.db.query(`select count(*)::int as c from "${s}"."${n}" x where exists (select 1 from unnest($1::text[]) p where strpos(lower(x::text), p) > 0)`, [patterns]);
    if (rows[0].c > 0) found.push(`${s}.${n}: ${rows[0].c}`);
  }
  return found;
}

/** Files under the media folder holding any of `needles` or the bytes of `image`. */
function mediaTraces(needles: string[], image: Buffer): string[] {
  const dir = path.join(dataDir, 'media');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile()) : [];
  return files.filter((f) => {
    const bytes = fs.readFileSync(f);
    return bytes.equals(image) || needles.some((n) => bytes.includes(n));
  });
}

const counts = async () => (await t.gql(`{ stats { totalMessages contacts } }`)).body.data.stats;

describe('eraseContact', () => {
  it('leaves no trace of the customer in any table or media file, and other customers untouched', { timeout: 90_000 }, async () => {
    const shared = `common${letters(8)}`;
    const victim = await customer(shared);
    const other = await customer(shared);
    // An agent's note that repeats the number goes with the contact too.
    const note = await t.gql(`mutation($c: ID!, $text: String!) { addNote(contactId: $c, text: $text) { id } }`, { c: victim.contact, text: `call back on ${victim.number}` });
    expect(note.body.errors).toBeUndefined();
    await compactCounters(t.db);
    await compactSearchWords(t.db);
    const needles = [victim.number, victim.name, ...victim.words];
    // The test can fail: before the erasure, the customer is everywhere.
    const before = await traces(needles);
    expect(before).toEqual(expect.arrayContaining([expect.stringMatching(/^public\.message:/), expect.stringMatching(/^public\.webhook_event:/), expect.stringMatching(/^public\.account_event:/), expect.stringMatching(/^inbox_search\.word:/), expect.stringMatching(/^public\.note:/)]));
    expect(mediaTraces(needles, victim.image)).toHaveLength(1);
    const stats = await counts();

    const res = await t.gql(`mutation($id: ID!) { eraseContact(id: $id) { contactId messages statusEvents mediaFiles filesRemoved webhookEvents accountEvents jobs searchWords } }`, { id: victim.contact });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.eraseContact).toMatchObject({ contactId: victim.contact, messages: 4, mediaFiles: 1, filesRemoved: 1, accountEvents: 1, searchWords: 3 });
    const erased = res.body.data.eraseContact;
    expect(erased.statusEvents).toBeGreaterThanOrEqual(3); // sent, delivered, read of the answer
    expect(erased.webhookEvents).toBeGreaterThanOrEqual(6); // two messages, three statuses, the error
    expect(erased.jobs).toBeGreaterThanOrEqual(2); // the send and the download

    expect(await traces(needles)).toEqual([]);
    expect(mediaTraces(needles, victim.image)).toEqual([]);
    await compactCounters(t.db);
    expect(await counts()).toEqual({ totalMessages: stats.totalMessages - 4, contacts: stats.contacts - 1 });

    // The other customer keeps everything, the word both used included.
    expect(await traces([other.number, other.name, ...other.words, shared])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^public\.contact:/), expect.stringMatching(/^public\.message:/), expect.stringMatching(/^public\.webhook_event:/), expect.stringMatching(/^inbox_search\.word:/)]),
    );
    expect(mediaTraces([], other.image)).toHaveLength(1);
    const search = await t.gql(`query($q: String!) { messages(search: $q) { totalCount } }`, { q: shared });
    expect(search.body.data.messages.totalCount).toBe(2);
    const page = await t.gql(`query($id: ID!) { messages(contactId: $id) { totalCount } }`, { id: other.contact });
    expect(page.body.data.messages.totalCount).toBe(4);

    const again = await t.gql(`mutation($id: ID!) { eraseContact(id: $id) { contactId } }`, { id: victim.contact });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    for (const id of ['99999999999999999999', 'abc']) {
      const res = await t.gql(`mutation($id: ID!) { eraseContact(id: $id) { contactId } }`, { id });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });
});
