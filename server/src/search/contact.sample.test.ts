import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, drained, startTestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';
import { likePattern } from '../graphql/connection.js';
import { contactPattern, INDEX_ENTRY_COST, INDEX_NAME_COST, walkRows } from './contact.search.js';
import { candidateShare, conversationShare, indexKeys } from './contact.sample.js';

/**
 * A search's cost through the trigram index follows the documents the index hands over, matching or
 * not; the sample's estimate of them must pick the same documents as PostgreSQL does.
 */
let db: pg.Client;
const FIRST = ['hedy', 'ada', 'josé', 'zoë', "o'brien", 'jo', 'hedwig', 'ed'];
const LAST = ['lamarr', 'hopper', 'lovelace', 'núñez', 'ho', 'smith-jones', 'x_y'];
const DOCS = FIRST.flatMap((f, i) =>
  LAST.map((l, j) => ` ${f} ${l} +4915550${i}${j}0 ${i % 2 ? `${f}.${l[0]}` : `${l}_${j}`}`.toLowerCase()),
);

beforeAll(async () => {
  db = new pg.Client({ connectionString: await createTestDatabase() });
  await db.connect();
  await db.query(`create extension if not exists pg_trgm`);
  await db.query(`create table doc (id serial primary key, t text not null)`);
  await db.query(`insert into doc (t) select unnest($1::text[])`, [DOCS]);
  await db.query(`create index on doc using gin (t gin_trgm_ops)`);
  await db.query(`analyze doc`);
});
afterAll(() => db?.end());

/**
 * The documents PostgreSQL's trigram index hands over for a search: the rows the bitmap scan returns
 * plus those its recheck (or the filter after it) rejects. By the whole pattern, or by `parts` (a LIKE
 * each), the text checked after as contactsSql does.
 */
async function candidates(text: string, parts?: string[]): Promise<{ candidates: number; matches: number; ids: number[] }> {
  await db.query('set enable_seqscan = off');
  const [where, params] = parts
    ? [`${parts.map((_, i) => `t like $${i + 2}`).join(' and ')} and strpos(t, lower($1)) > 0`, [text, ...parts.map(likePattern)]]
    : ['t like lower($1)', [contactPattern(text)]];
  const { rows } = await db.query(`explain (analyze, format json) select id from doc where ${where}`, params);
  const find = (n: any): any => (n['Node Type'] === 'Bitmap Heap Scan' ? n : (n.Plans ?? []).map(find).find(Boolean));
  const scan = find(rows[0]['QUERY PLAN'][0].Plan);
  expect(scan, `${text}: read through the index`).toBeDefined();
  const { rows: found } = await db.query(`select id from doc where ${where} order by id`, params);
  return {
    candidates: scan['Actual Rows'] + (scan['Rows Removed by Index Recheck'] ?? 0) + (scan['Rows Removed by Filter'] ?? 0),
    matches: scan['Actual Rows'],
    ids: found.map((r) => r.id),
  };
}

describe('the name sample', () => {
  it('counts the documents the trigram index hands over for a search, as PostgreSQL does', async () => {
    const sample = { docs: DOCS, said: [], contacts: DOCS.length };
    const searches = ['hedy h', 'hedy', 'h', 'jo', 'ed', 'ho', "o'br", 'josé n', 'zoë', 'núñ', 'x_y', '+49 155', '4915550', 'smith-j', 'lovelace 4', 'a', 'zz', '50%', 'ada l'];
    let fewerMatches = 0;
    for (const text of searches) {
      const pg = await candidates(text);
      const wordStart = contactPattern(text).startsWith('% ');
      expect(Math.round(candidateShare(sample, text, wordStart) * DOCS.length), text).toBe(pg.candidates);
      if (pg.matches < pg.candidates) fewerMatches++;
    }
    expect(fewerMatches, 'some searches have candidates that do not match').toBeGreaterThan(3);
  });

  it('asks the index for the rarer parts of a search, leaving out trigrams every contact has, and finds the same documents', async () => {
    const sample = { docs: DOCS, said: [], contacts: DOCS.length };
    const cost = { entryCost: INDEX_ENTRY_COST, candidateCost: INDEX_NAME_COST };
    let partial = 0;
    for (const text of ['4915550360', '+4915550', 'hedy lamarr', 'smith-jones', "o'brien.l", 'lovelace 4', 'hopper +4915550', 'josé núñez', 'ada l', 'jo']) {
      const keys = indexKeys(sample, text, contactPattern(text).startsWith('% '), cost);
      const whole = await candidates(text);
      if (!keys.parts.length) continue;
      partial++;
      const byParts = await candidates(text, keys.parts);
      expect(byParts.ids, text).toEqual(whole.ids);
      expect(Math.round(keys.candidates * DOCS.length), text).toBe(byParts.candidates);
    }
    expect(partial).toBeGreaterThan(4);
    // Every document has "+4915550": a number is asked for by the trigrams of its own digits.
    const number = indexKeys(sample, '4915550360', false, cost);
    expect(number.parts.join(' ')).not.toMatch(/491|915|155|555|550/);
    expect(number.entries).toBeLessThan(0.5);
    expect(indexKeys(sample, 'josé núñez', false, cost).parts).toEqual([]); // not ASCII: the whole pattern
  });

  it("counts the sampled conversations holding every word, a prefix's or one of several words", () => {
    const sample = { docs: ['', '', '', ''], said: [['invoice', 'late', 'parcels'], ['invoice', 'parcel'], ['latest', 'parcel'], []], contacts: 4 };
    expect(conversationShare(sample, `'invoice' & 'parcel'`)).toBe(1 / 4);
    expect(conversationShare(sample, `'lat':* & ('parcel' | 'parcels')`)).toBe(2 / 4);
    expect(conversationShare(sample, `'invoice' & 'lat':*`)).toBe(1 / 4);
    expect(conversationShare(sample, `'it''s'`)).toBe(0);
    expect(conversationShare({ ...sample, said: [] }, `'parcel'`)).toBe(0);
  });

  it('reads contacts in list order when the index would hand over many more contacts than match', () => {
    // A name 0.1 % of a million contacts have, whose trigrams 5 % have: a page of 101 is about 100,000
    // contacts into the list, against 1,000 matches from the index but 50,000 candidates.
    expect(walkRows({ share: 0.001, contacts: 1_000_000 }, 101)).toBe(0);
    const walk = walkRows({ share: 0.001, candidates: 0.05, contacts: 1_000_000 }, 101);
    expect(walk).toBeGreaterThan(101 / 0.001);
    expect(walk).toBeLessThanOrEqual(Math.ceil((3 * 101) / 0.001));
  });
});

describe('a contact whose profile name runs to kilobytes', () => {
  it('is stored with their message and found by a search', async () => {
    // The list-order index carries the search document, and a btree row must fit in a third of a page.
    const t = await startTestEnv();
    try {
      const name = `Zebulon ${randomBytes(6000).toString('base64')}`; // 8 kB that do not compress
      const m = textMessage({ from: '15557770001', name, text: 'hello' });
      expect((await t.postWebhook(envelope(m.body))).status).toBe(200);
      await drained(t.db);
      const { rows } = await t.db.query(`select status from webhook_event`);
      expect(rows.map((r) => r.status)).toEqual(['PROCESSED']);
      const { body } = await t.gql(`{ contacts(search: "zebulon", first: 5) { edges { node { waId profileName } } } }`);
      expect(body.errors).toBeUndefined();
      expect(body.data.contacts.edges.map((e: any) => e.node)).toEqual([{ waId: '15557770001', profileName: name }]);
    } finally {
      await t.close();
    }
  });
});
