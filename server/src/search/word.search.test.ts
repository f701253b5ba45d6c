import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../test/harness.js';
import { contactPattern, contactSearch, contactsSql, walkRows } from './contact.search.js';
import { likePattern, SEARCH_COUNT_LIMIT } from '../graphql/connection.js';
import { pageCount, type PageSql } from './page.js';
import { compactSearchWords } from './counters.js';
import { searchMessages, type MessageSearch } from './message.search.js';
import { MAX_PREFIX_WORDS, tsqueryWords, wordSearch, type WordSearch } from './word.search.js';
import { trigramParts } from './contact.sample.js';

/**
 * Searches answered every way (through the word index, in time or list order, or first the newest
 * rows and then either) must give the same pages, cursors and counts: each is checked against the
 * same search done here in plain code over every row.
 */
let t: TestEnv;
const VOCAB = ['parcel', 'delivery', 'invoice', 'payment', 'hello', 'thanks', 'tracking', 'number', 'late', 'broken'];
const CONTACTS = 40;
const MESSAGES = 600;

interface Row { id: string; contactId: string; text: string; at: number }
interface ContactRow { id: string; name: string; waId: string; pinned: boolean; lastAt: number }
let messages: Row[] = [];
let contacts: ContactRow[] = [];

beforeAll(async () => {
  t = await startTestEnv();
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const base = Date.UTC(2026, 0, 1) / 1000;
  const { rows: cs } = await t.db.query<{ id: string }>(
    `insert into contact (wa_id, profile_name, is_pinned)
     select (15550001000 + g)::text, case when g % 4 = 0 then 'Ada Lovelace ' else 'Alan Turing ' end || g, g % 13 = 0
     from generate_series(1, ${CONTACTS}) g order by g returning id::text`,
  );
  const texts: [string, string, number][] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const words = Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => VOCAB[Math.floor(rnd() * VOCAB.length)]!);
    if (i % 3 === 0) words.push('Refund!');
    if (i % 200 === 17) words.push('xylophone');
    if (i === 5) words.push('lovelace'); // a message word that is also a name
    // Two messages an hour, over 12 days (searches go back day by day); pairs share a timestamp, so
    // order ties are broken by id.
    texts.push([cs[Math.floor(rnd() * rnd() * CONTACTS)]!.id, words.join(' '), base + Math.floor(i / 2) * 1800]);
  }
  const { rows } = await t.db.query<{ id: string; contact_id: string; text: string; at: number }>(
    `insert into message (contact_id, direction, type, text, status, timestamp)
     select c, 'INBOUND', 'TEXT', x, 'RECEIVED', to_timestamp(ts) from unnest($1::bigint[], $2::text[], $3::bigint[]) as u (c, x, ts)
     returning id::text, contact_id::text, text, extract(epoch from timestamp)::int as at`,
    [texts.map((x) => x[0]), texts.map((x) => x[1]), texts.map((x) => x[2])],
  );
  messages = rows.map((r) => ({ id: r.id, contactId: r.contact_id, text: r.text, at: r.at }));
  await t.db.query(`update contact c set last_message_at = m.at, last_message_id = m.id
    from (select distinct on (contact_id) contact_id, timestamp as at, id from message order by contact_id, timestamp desc, id desc) m where m.contact_id = c.id`);
  const { rows: crows } = await t.db.query(`select id::text, profile_name, wa_id, is_pinned, extract(epoch from coalesce(last_message_at, '-infinity')) as at from contact`);
  contacts = crows.map((r) => ({ id: r.id, name: r.profile_name, waId: r.wa_id, pinned: r.is_pinned, lastAt: Number(r.at) }));
});
afterAll(() => t?.close());

// The search as specified, in plain code: every word present, the last one as a prefix from three characters.
const wordsOf = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
function matches(text: string, search: string): boolean {
  const have = wordsOf(text);
  const want = wordsOf(search);
  return want.length > 0 && want.every((w, i) => (i === want.length - 1 && w.length >= 3 ? have.some((h) => h.startsWith(w)) : have.includes(w)));
}
const byTime = (a: Row, b: Row) => b.at - a.at || Number(b.id) - Number(a.id);
const byList = (a: ContactRow, b: ContactRow) => Number(b.pinned) - Number(a.pinned) || b.lastAt - a.lastAt || Number(b.id) - Number(a.id);

/** Every page of `sql(after)` through its cursors: the ids in order, and the count each page gives. */
async function pageAll<C>(sql: (after?: C) => PageSql, first: number, cursorOf: (row: any) => C) {
  const ids: string[] = [];
  const counts: number[] = [];
  let after: C | undefined;
  for (;;) {
    const q = sql(after);
    const { rows } = await t.db.query(q.page, q.params);
    counts.push(await pageCount(t.db, q, rows)());
    const page = rows.slice(0, first);
    ids.push(...page.map((r) => String(r.id)));
    if (rows.length <= first) return { ids, counts };
    after = cursorOf(page.at(-1));
  }
}

/** Every page of a message search through its cursors: the ids in order, the count each page gives, the ways taken. */
async function pageMessages(words: WordSearch, first: number, o: Pick<MessageSearch, 'way' | 'probeRows'> = {}) {
  const ids: string[] = [];
  const counts: number[] = [];
  const ways: string[] = [];
  let after: [string, string] | undefined;
  for (;;) {
    const found = await searchMessages(t.db, { words, first, after, ...o });
    counts.push(await found.count());
    ways.push(found.way);
    const page = found.rows.slice(0, first);
    ids.push(...page.map((r) => String(r.id)));
    if (found.rows.length <= first) return { ids, counts, ways };
    after = [new Date(page.at(-1)!.timestamp).toISOString(), String(page.at(-1)!.id)];
  }
}

const pageContacts = (text: string, words: WordSearch | null, first: number, pinned?: boolean, walkRows?: number, index?: { patterns: string[]; text: string }) =>
  pageAll((after?: [boolean, string, string]) => contactsSql({ search: { like: contactPattern(text), words, index }, pinned, first, after, walkRows }), first,
    (r) => [r.is_pinned, r.order_at, String(r.id)] as [boolean, string, string]);

const capped = (n: number) => Math.min(n, SEARCH_COUNT_LIMIT + 1);

describe('word search', () => {
  it('turns typed text into words, the last a prefix; punctuation is no word and no syntax', async () => {
    const q = async (s: string) => (await wordSearch(t.db, s))?.tsquery ?? null;
    expect(await q('Tracking NUM')).toBe(`'number' & 'tracking'`); // the words of messages that start with "num"
    expect(await q('parcel delivery')).toBe(`'delivery' & 'parcel'`);
    expect(await q('order #1234')).toBe(`'1234':* & 'order'`); // no word starts with 1234: stays a prefix, matches nothing
    expect(await q(`it's`)).toBe(`'it' & 's'`); // too short to be a prefix
    expect(await q('%%% !!')).toBeNull();
    expect(await q(`'a':* | !b`)).toBe(`'a' & 'b'`);
    expect(await q('tracking nu')).toBe(`'nu' & 'tracking'`);
    expect(tsqueryWords(`'it''s' & 'a\\\\b':*`)).toEqual([{ word: "it's", prefix: false }, { word: 'a\\b', prefix: true }]);
  });

  it('finds the same pages and counts every way: index, time order, and the newest rows first', async () => {
    for (const search of ['refund', 'ref', 're', 'parcel refund', 'REFUND, tracking n', 'REFUND, tracking num', 'xylophone', 'xylo', 'hello thanks late', 'nothing']) {
      const expected = messages.filter((m) => matches(m.text, search)).sort(byTime).map((m) => m.id);
      const words = (await wordSearch(t.db, search))!;
      const ways = [{ way: 'index' }, { way: 'walk' }, { way: 'probe+walk', probeRows: 37 }, { way: 'probe+index', probeRows: 37 }, { way: 'probe+days', probeRows: 37 }, { probeRows: 37 }, {}] as const;
      for (const o of ways) {
        const { ids, counts } = await pageMessages(words, 23, o);
        expect(ids, `${search} (${JSON.stringify(o)})`).toEqual(expected);
        expect(new Set(counts), search).toEqual(new Set([capped(expected.length)]));
      }
    }
  });

  it('goes back day by day for words rarely together in a large table', async () => {
    // The table's size is what makes days cheaper than reading every match: as if it had a million rows.
    const words = { ...(await wordSearch(t.db, 'hello thanks late'))!, rare: false, rows: 1_000_000, postings: 0.2 };
    const expected = messages.filter((m) => matches(m.text, 'hello thanks late')).sort(byTime).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(5);
    const { ids, ways } = await pageMessages(words, 5, { probeRows: 200 });
    expect(ids).toEqual(expected);
    expect(ways[0]).toBe('probe+days'); // a first page reads up to 101, its own count
  });

  it('goes back day by day after a burst too, which made every day look like millions of messages', async () => {
    // The newest 200 messages came within a second, two of them matching: judged by the probe's pace,
    // a day would hold 17 million rows, and only walking back row by row was left. The table's mean
    // (here 3,000 a day, as if it had a million rows) says what the days ahead of the burst hold.
    const words = { ...(await wordSearch(t.db, 'hello thanks late'))!, rare: false, rows: 1_000_000, postings: 0.2, rowsPerDay: 3_000 };
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const { rows: burst } = await client.query<{ id: string }>(
        `insert into message (contact_id, direction, type, text, status, timestamp)
         select $1, 'INBOUND', 'TEXT', case when g in (50, 150) then 'late hello, thanks' else 'a burst' end, 'RECEIVED', now() - g * interval '1 millisecond'
         from generate_series(1, 200) g order by g returning id::text`,
        [contacts[0]!.id],
      );
      const expected = [burst[49]!.id, burst[149]!.id, ...messages.filter((m) => matches(m.text, 'hello thanks late')).sort(byTime).map((m) => m.id)];
      const page = await searchMessages(client, { words, first: 5, probeRows: 200 });
      expect(page.way).toBe('probe+days');
      expect(page.rows.map((r) => String(r.id))).toEqual(expected.slice(0, SEARCH_COUNT_LIMIT + 1));
    } finally {
      await client.query('rollback').catch(() => undefined);
      await client.end();
    }
  });

  it('finds the same contacts by name or message words, in list order, every way', async () => {
    // One or two characters match where a word of the name, number or username starts ("ce" is in
    // "Lovelace" but starts no word); longer texts anywhere.
    const named = (c: ContactRow, search: string) => {
      const doc = ` ${c.name} ${c.waId}`.toLowerCase();
      return [...search].length <= 2 ? doc.includes(` ${search.toLowerCase()}`) : doc.includes(search.toLowerCase());
    };
    // Words match anywhere in the contact's conversation: "xylophone refund" finds those who wrote
    // the two in different messages too.
    const conversation = (c: ContactRow) => messages.filter((m) => m.contactId === c.id).map((m) => m.text).join(' ');
    const together = contacts.filter((c) => messages.some((m) => m.contactId === c.id && matches(m.text, 'xylophone refund')));
    expect(contacts.filter((c) => matches(conversation(c), 'xylophone refund')).length).toBeGreaterThan(together.length);
    const cases = [['refund'], ['lovelace'], ['Ada Love'], ['tracking', true], ['xylophone'], ['xylophone refund'], ['parcel invoice lat'], ['1555000101'], ['%'], ['ad'], ['L'], ['15'], ['ce'], ['ring', false]] as const;
    for (const [search, pinned] of cases) {
      const expected = contacts
        .filter((c) => pinned == null || c.pinned === pinned)
        .filter((c) => named(c, search) || matches(conversation(c), search))
        .sort(byList)
        .map((c) => c.id);
      if (search !== '%' && search !== 'ce') expect(expected.length, `${search} finds something`).toBeGreaterThan(0);
      const found = await wordSearch(t.db, search);
      // The contacts of any of the words' messages may be the candidates the index path checks.
      const ways = found ? found.tsquery.split(' & ').map((operand) => ({ ...found, rarest: { tsquery: operand, share: 0 } })) : [null];
      // Names from the index by the whole pattern, or by one part of it (each part a LIKE of its own, the text checked after).
      const parts = [...search].length > 2 ? trigramParts(search).map((p) => ({ patterns: [likePattern(p.part)], text: search.toLowerCase() })) : [];
      // Names and conversation words: read in list order (all 40 contacts, or 2 and then the index), or from the index alone.
      for (const words of ways) {
        for (const index of [undefined, ...parts]) {
          for (const walkRows of [undefined, 2, 0, CONTACTS]) {
            const { ids, counts } = await pageContacts(search, words, 4, pinned, walkRows, index);
            expect(ids, `${search} (${words?.rarest.tsquery}, ${walkRows}, ${index?.patterns})`).toEqual(expected);
            expect(new Set(counts), search).toEqual(new Set([capped(expected.length)]));
          }
        }
      }
    }
  });

  it('reads contacts in list order for a name many have, and asks the index for a rare one', async () => {
    const search = await contactSearch(t.db, 'ada');
    expect(search.names!.contacts).toBe(CONTACTS);
    expect(search.names!.share).toBeCloseTo(0.25, 1); // "Ada Lovelace" is every fourth contact
    expect(walkRows(search.names!, 2)).toBeGreaterThan(0); // 2 matches among the first 8 of 40 contacts, against 10 from the index
    const rare = await contactSearch(t.db, '15550001033');
    expect(rare.names!.share).toBeCloseTo(1 / CONTACTS, 3);
    expect(walkRows(rare.names!, 2)).toBe(0);
    expect(walkRows({ share: 0, contacts: 1_000_000 }, 101)).toBe(0);
    // 5 % of a million contacts: a page of 101 is about 2,000 contacts into the list, against 50,000 matches.
    expect(walkRows({ share: 0.05, contacts: 1_000_000 }, 101)).toBeGreaterThan(2020);
  });

  it('answers a contact search of one or two letters with the names that have a word starting so', async () => {
    const q = `query($s: String) { contacts(search: $s, first: 50) { totalCount edges { node { id } } } }`;
    const ids = async (s: string) => {
      const { body } = await t.gql(q, { s });
      expect(body.errors).toBeUndefined();
      return body.data.contacts.edges.map((e: any) => e.node.id);
    };
    const ada = contacts.filter((c) => c.name.startsWith('Ada')).sort(byList).map((c) => c.id);
    expect(await ids('Lo')).toEqual(ada); // "Lovelace"
    expect(await ids('ce')).toEqual([]); // in "Lovelace", but at no word's start
    expect(await ids('ace')).toEqual(ada); // three letters: anywhere
  });

  it('tells rare words from frequent ones by the column statistics', async () => {
    await t.db.query(`analyze message`);
    const pool = new pg.Pool({ connectionString: t.databaseUrl, max: 1 }); // statistics are read once a minute per pool
    try {
      const refund = await wordSearch(pool, 'refund');
      expect(refund).toMatchObject({ rare: false });
      expect(refund!.share).toBeGreaterThan(0.25);
      expect(await wordSearch(pool, 'ref')).toMatchObject({ rare: false });
      expect(await wordSearch(pool, 'zebra')).toMatchObject({ rare: true, share: 0 }); // in no message
      expect(await wordSearch(pool, 'refund zebra')).toMatchObject({ rare: true });
      expect((await wordSearch(pool, 'refund invoice'))!.share).toBeLessThan(refund!.share);
    } finally {
      await pool.end();
    }
  });

  it('answers GraphQL searches both ways, pages and counts included', async () => {
    const q = `query($s: String, $after: String) { messages(search: $s, first: 40, after: $after) {
      totalCount totalCountIsExact pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    for (const search of ['refund', 'xylophone', 'parcel delivery']) {
      const expected = messages.filter((m) => matches(m.text, search)).sort(byTime).map((m) => m.id);
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const { body } = await t.gql(q, { s: search, after });
        expect(body.errors).toBeUndefined();
        const c: any = body.data.messages;
        expect(c.totalCount).toBe(Math.min(expected.length, SEARCH_COUNT_LIMIT));
        expect(c.totalCountIsExact).toBe(expected.length <= SEARCH_COUNT_LIMIT);
        ids.push(...c.edges.map((e: any) => e.node.id));
        after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
      } while (after);
      expect(ids, search).toEqual(expected);
    }
  });

  // These add messages, with words no other test searches for.
  const addMessage = async (text: string) =>
    (await t.db.query<{ id: string }>(`insert into message (contact_id, direction, type, text, status, timestamp) values ($1, 'INBOUND', 'TEXT', $2, 'RECEIVED', now()) returning id::text`, [contacts[0]!.id, text])).rows[0]!.id;
  const found = async (text: string) => (await searchMessages(t.db, { words: (await wordSearch(t.db, text))!, first: 10 })).rows.map((r) => String(r.id));

  it('looks a typed prefix up in the words of all messages, new and edited ones included', async () => {
    const id = await addMessage('Zebracorn sighting');
    expect((await wordSearch(t.db, 'zebrac'))!.tsquery).toBe(`'zebracorn'`);
    expect(await found('zebrac')).toEqual([id]);
    await compactSearchWords(t.db);
    expect((await t.db.query(`select count(*)::int as n from inbox_search.word_new`)).rows[0].n).toBe(0);
    expect((await t.db.query(`select count(*)::int as n from inbox_search.word where word = 'zebracorn'`)).rows[0].n).toBe(1);
    expect(await found('sighting zebrac')).toEqual([id]);

    await t.db.query(`update message set text = 'quokkas everywhere' where id = $1`, [id]);
    expect((await wordSearch(t.db, 'quokk'))!.tsquery).toBe(`'quokkas'`);
    expect(await found('quokk')).toEqual([id]);

    // A prefix that starts more words than MAX_PREFIX_WORDS stays a prefix; a longer one is looked up.
    const many = Array.from({ length: MAX_PREFIX_WORDS + 1 }, (_, i) => `pfxa${String(i).padStart(3, '0')}`);
    const manyId = await addMessage(many.join(' '));
    expect((await wordSearch(t.db, 'pfxa'))!.tsquery).toBe(`'pfxa':*`);
    expect((await wordSearch(t.db, 'pfxa00'))!.tsquery).toBe(`(${many.slice(0, 10).map((w) => `'${w}'`).join(' | ')})`);
    expect(await found('pfxa')).toEqual([manyId]);
    expect(await found('pfxa00')).toEqual([manyId]);
  });

  it('goes on through the index when frequent words are not together in the newest messages', async () => {
    await t.db.query(
      `insert into message (contact_id, direction, type, text, status, timestamp)
       select $1, 'INBOUND', 'TEXT', case when g % 2 = 0 then 'alphabet soup' else 'omegaverse soup' end, 'RECEIVED', now() - g * interval '1 second'
       from generate_series(1, 400) g`,
      [contacts[1]!.id],
    );
    const both = await addMessage('alphabet omegaverse'); // the only one, and the oldest
    await t.db.query(`update message set timestamp = '2000-01-01' where id = $1`, [both]);
    await t.db.query(`analyze message`);
    const pool = new pg.Pool({ connectionString: t.databaseUrl, max: 1 }); // statistics are read once a minute per pool
    try {
      const words = (await wordSearch(pool, 'alphabet omegaverse'))!;
      expect(words).toMatchObject({ rare: false, words: 2 });
      // Walking on would read every message for one match; the index has it at once.
      const page = await searchMessages(pool, { words, first: 10, probeRows: 300 });
      expect(page.way).toBe('probe+index');
      expect(page.rows.map((r) => String(r.id))).toEqual([both]);
      // Together in the newest rows: the walk finishes the page.
      const dense = await searchMessages(pool, { words: (await wordSearch(pool, 'alphabet soup'))!, first: 10, probeRows: 300 });
      expect(dense.way).toBe('probe');
      expect(dense.rows).toHaveLength(SEARCH_COUNT_LIMIT + 1);

      // Contacts match by their whole conversation: the one who said both words apart, and the one who
      // said them together; read in list order or from the index alike.
      const apart = await contactSearch(pool, 'alphabet omegaverse');
      expect(words.share).toBeGreaterThan(0.02); // each word is in a fifth of the messages: 4 % if independent
      expect(apart.said!.share).toBeCloseTo(2 / CONTACTS, 5); // the sample is every contact
      for (const walkRows of [undefined, 0, CONTACTS]) {
        const sql = contactsSql({ search: apart, first: 10, walkRows });
        expect(new Set((await pool.query(sql.page, sql.params)).rows.map((r) => String(r.id))), `${walkRows}`).toEqual(new Set([contacts[0]!.id, contacts[1]!.id]));
      }
    } finally {
      await pool.end();
    }
  });

  it('adds a message by looking its words up, not by reading every word known', async () => {
    // One connection, as each of the app's: its words statement is planned once, while word_new is
    // empty and word small.
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await compactSearchWords(t.db);
      await t.db.query(`vacuum inbox_search.word_new`);
      const insert = (text: string) =>
        client.query(`insert into message (contact_id, direction, type, text, status, timestamp) values ($1, 'INBOUND', 'TEXT', $2, 'RECEIVED', now())`, [contacts[3]!.id, text]);
      await insert('planned while empty');
      // A burst's worth of words: some compacted, the latest not yet.
      await t.db.query(`insert into inbox_search.word select 'burstold' || g from generate_series(1, 20000) g`);
      await t.db.query(`insert into inbox_search.word_new select 'burstnew' || g from generate_series(1, 20000) g`);
      await client.query('begin');
      await insert('after the burst brandnewword');
      const { rows } = await client.query(`select pg_stat_get_xact_tuples_returned('inbox_search.word'::regclass)::int as word,
        pg_stat_get_xact_tuples_returned('inbox_search.word_new'::regclass)::int as word_new`);
      await client.query('commit');
      // Rows read one by one, not found by key: before, all of word_new for each word of the message.
      expect(rows[0]).toEqual({ word: 0, word_new: 0 });
      expect((await wordSearch(t.db, 'brandnewwo'))!.tsquery).toBe(`'brandnewword'`);
    } finally {
      await client.end();
      await compactSearchWords(t.db);
    }
  });

  it('keeps the pending lists of the search indexes short, so searches do not read thousands of new entries', async () => {
    await t.db.query(`create extension if not exists pgstattuple`);
    const pending = async (index: string) => Number((await t.db.query(`select pending_tuples from pgstatginindex($1)`, [index])).rows[0].pending_tuples);
    // A message's words are one pending entry: at the default 4 MB limit all 3,000 would stay there.
    for (let i = 0; i < 3; i++) {
      await t.db.query(
        `insert into message (contact_id, direction, type, text, status, timestamp)
         select $1, 'INBOUND', 'TEXT', 'pending list filler ' || g || ' with a few more words of text', 'RECEIVED', now() from generate_series(1, 1000) g`,
        [contacts[2]!.id],
      );
    }
    expect(await pending('message_search_idx')).toBeLessThan(1500);
    // Every message rewrites its contact's row, and with it the contact's entry in the name index.
    for (let i = 0; i < 25; i++) await t.db.query(`update contact set last_message_at = now() where id = any($1::bigint[])`, [contacts.map((c) => c.id)]);
    expect(await pending('contact_search_text_idx')).toBeLessThan(25 * contacts.length);
  });
});
