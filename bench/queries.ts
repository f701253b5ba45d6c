/**
 * Read queries on a large seeded database (bench/seed.ts): each GraphQL query over HTTP against the
 * SQL its resolver runs, sent with `pg` straight to the same database (the baseline). Requests are
 * sequential, app and baseline alternating so both see the same machine (and taking turns at going
 * first, since the first one to ask for a row reads it from disk); after a warm-up. The GraphQL
 * requests go over one kept-alive connection through undici's Pool: Node's global `fetch` spent about
 * 1 ms a request of its own (p50; 5–7 ms at p99) on a bare loopback server here, which was counted
 * as the app's.
 * Searches run two workloads, both sent alike to the app and the baseline: ten fixed terms in turn
 * (the per-search caches answer most of them after the first round), and terms typed a letter at a
 * time, new phrases from the seeded vocabulary (bench/typing.ts), which is what a search box sends.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Pool as HttpPool } from 'undici';
import { contactSearch, contactsSql, readContactRows } from '../server/src/search/contact.search.js';
import { messagesSql } from '../server/src/search/message.list.js';
import { STATS_SQL } from '../server/src/search/stats.js';
import { searchMessages } from '../server/src/search/message.search.js';
import { wordSearch } from '../server/src/search/word.search.js';
import { AUTH_TOKEN } from './payload.js';
import { rng, typedContactTerms, typedMessageTerms } from './typing.js';

export interface QueryCase {
  name: string;
  /** p99 target from the issue, ms. */
  targetMs: number;
  app: number[];
  baseline: number[];
  /** For a search: the term of each `app` request. */
  terms?: string[];
}

const WARMUP = 20;
const MAX_REQUESTS = 300;
const MAX_SECONDS_PER_CASE = 40;

/** Message searches: frequent words (~4 % of messages), rare phrases, an order number, no match. */
export const MESSAGE_TERMS = ['refund', 'tracking number', 'order #1234', 'black friday', 'zq-no-such-text', 'paypal', 'damaged parcel', 'locker', 'Hello', 'warranty repair'];
/** Contact searches: surnames (~5 % of contacts), a phone prefix, a full name, message words, no match. */
export const CONTACT_TERMS = ['lovelace', '491500123', 'Grace Hopper 1', 'refund', 'damaged parcel', 'zq-nobody', 'Turing', '4915009999', 'locker', 'order #1234'];

const MESSAGE_FIELDS = 'totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id waMessageId direction type text status timestamp } }';
const CONTACT_FIELDS = 'totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name waId unreadCount isPinned lastMessageAt lastMessage { id text timestamp } } }';
const STATS_FIELDS = 'totalMessages inbound outbound contacts unreadTotal byStatus { direction status count } perDay { date inbound outbound } deliveryRate readRate failuresByCode { code title count }';

/** The SQL of the resolvers (search/: contact.search.ts, message.list.ts, message.search.ts, stats.ts), as they send it. */
export const SQL = {
  messagesOfContact: (db: pg.Pool, contactId: string) => {
    const sql = messagesSql({ contactId, first: 50 });
    return Promise.all([db.query(sql.page, sql.params), db.query(sql.count, sql.countParams)]); // as readPage
  },
  messageSearch: async (db: pg.Pool, term: string) => {
    const words = await wordSearch(db, term);
    if (!words) return;
    await searchMessages(db, { words, first: 50 }); // a first page: its own count
  },
  contacts: async (db: pg.Pool, term?: string) => {
    const sql = contactsSql({ search: term ? await contactSearch(db, term) : undefined, first: 50 });
    await Promise.all([readContactRows(db, sql), sql.countFromPage ? undefined : db.query(sql.count, sql.countParams)]);
  },
  stats: async (db: pg.Pool) => {
    await db.query(`select inbox_stats.compact_counts()`);
    await db.query(STATS_SQL);
  },
};

async function gql(http: HttpPool, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await http.request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${AUTH_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.body.json()) as { data?: any; errors?: unknown[] };
  if (res.statusCode !== 200 || body.errors) throw new Error(`GraphQL ${res.statusCode}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return body.data;
}

/** One kept-alive connection to the app, for requests sent one at a time. */
const appConnection = (appUrl: string) => new HttpPool(appUrl, { connections: 1 });

/** `stats` counts from counters; checked once against a full count of the table. */
export async function statsCheck(appUrl: string, databaseUrl: string): Promise<{ counters: number; counted: number }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  const http = appConnection(appUrl);
  await db.connect();
  try {
    const data = await gql(http, '{ stats { totalMessages } }', {});
    const { rows } = await db.query(`select count(*)::int as n from message`);
    return { counters: data.stats.totalMessages, counted: rows[0].n };
  } finally {
    await Promise.all([db.end(), http.close()]);
  }
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

/** Messages added before the search cases are measured again, as steady traffic leaves the indexes. */
const NEW_MESSAGES = 20_000;

/**
 * Adds `n` messages as ingest does, a hundred per statement, each batch also moving its contacts'
 * last message: copies of older texts, sent now. No vacuum follows: what is pending in the GIN
 * indexes stays, as between two autovacuum runs.
 */
async function afterNewMessages(db: pg.Pool, n: number, progress: (m: string) => void): Promise<void> {
  const { rows: [{ lo }] } = await db.query(`select min(id)::bigint as lo from message`);
  for (let i = 0; i < n; i += 100) {
    await db.query(
      `with m as (insert into message (contact_id, direction, type, text, status, source, timestamp, created_at, updated_at)
         select contact_id, direction, type, text, status, source, now(), now(), now() from message where id >= $1::bigint + $2 order by id limit 100
         returning id, contact_id, timestamp)
       update contact c set last_message_id = m.id, last_message_at = m.timestamp from m where c.id = m.contact_id`,
      [lo, i * 7],
    );
  }
  progress(`queries: added ${n.toLocaleString('en')} messages`);
}

/** Runs `app(i)` and `base(i)` alternately until MAX_REQUESTS or MAX_SECONDS_PER_CASE. */
async function measure(name: string, targetMs: number, app: (i: number) => Promise<unknown>, base: (i: number) => Promise<unknown>, progress: (m: string) => void, term?: (i: number) => string): Promise<QueryCase> {
  for (let i = 0; i < WARMUP; i++) {
    await app(i);
    await base(i);
  }
  const out: QueryCase = { name, targetMs, app: [], baseline: [], ...(term && { terms: [] }) };
  const t0 = performance.now();
  for (let i = 0; i < MAX_REQUESTS && performance.now() - t0 < MAX_SECONDS_PER_CASE * 1000; i++) {
    // Whichever asks first reads the rows from disk, the other from the cache: take turns.
    if (i % 2) out.baseline.push(await timed(() => base(WARMUP + i)));
    out.app.push(await timed(() => app(WARMUP + i)));
    out.terms?.push(term!(WARMUP + i));
    if (!(i % 2)) out.baseline.push(await timed(() => base(WARMUP + i)));
  }
  progress(`${name}: ${out.app.length} requests each`);
  return out;
}

export async function measureQueries(appUrl: string, databaseUrl: string, progress: (m: string) => void, opts: { contacts: number }): Promise<QueryCase[]> {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const http = appConnection(appUrl);
  try {
    const { rows: [range] } = await db.query(`select min(id)::int as lo, max(id)::int as hi from contact`);
    const random = rng(7);
    const contactIds = Array.from({ length: WARMUP + MAX_REQUESTS }, () => String(range.lo + Math.floor(random() * (range.hi - range.lo + 1))));
    const fixed = (terms: readonly string[]) => (i: number) => terms[i % terms.length]!;
    const sequence = (terms: readonly string[]) => (i: number) => terms[i]!;
    const length = WARMUP + MAX_REQUESTS;
    const contactSearches = (name: string, cterm: (i: number) => string) => measure(`contacts(search, first: 50)${name}`, 20,
      (i) => gql(http, `query($s: String) { contacts(search: $s, first: 50) { ${CONTACT_FIELDS} } }`, { s: cterm(i) }),
      (i) => SQL.contacts(db, cterm(i)), progress, cterm);
    const messageSearches = (name: string, mterm: (i: number) => string) => measure(`messages(search, first: 50)${name}`, 20,
      (i) => gql(http, `query($s: String) { messages(search: $s, first: 50) { ${MESSAGE_FIELDS} } }`, { s: mterm(i) }),
      (i) => SQL.messageSearch(db, mterm(i)), progress, mterm);
    // Typed: new phrases again after the new messages (another seed), as a later search would be.
    const typedContacts = (seed: number) => sequence(typedContactTerms(length, seed, opts.contacts));
    const typedMessages = (seed: number) => sequence(typedMessageTerms(length, seed));
    const cases = [
      await measure('messages(contactId, first: 50)', 20,
        (i) => gql(http, `query($c: ID) { messages(contactId: $c, first: 50) { ${MESSAGE_FIELDS} } }`, { c: contactIds[i] }),
        (i) => SQL.messagesOfContact(db, contactIds[i]!), progress),
      await measure('contacts(first: 50)', 20,
        () => gql(http, `{ contacts(first: 50) { ${CONTACT_FIELDS} } }`, {}),
        () => SQL.contacts(db), progress),
      await contactSearches(', 10 fixed terms', fixed(CONTACT_TERMS)),
      await contactSearches(', typed', typedContacts(11)),
      await messageSearches(', 10 fixed terms', fixed(MESSAGE_TERMS)),
      await messageSearches(', typed', typedMessages(13)),
      await measure('stats', 100,
        () => gql(http, `{ stats { ${STATS_FIELDS} } }`, {}),
        () => SQL.stats(db), progress),
    ];
    // The seeded database has just been indexed; a live one has new messages arriving all the time.
    await afterNewMessages(db, NEW_MESSAGES, progress);
    const afterNew = ` after ${NEW_MESSAGES.toLocaleString('en')} new`;
    cases.push(
      await contactSearches(`, 10 fixed terms${afterNew}`, fixed(CONTACT_TERMS)),
      await contactSearches(`, typed${afterNew}`, typedContacts(17)),
      await messageSearches(`, 10 fixed terms${afterNew}`, fixed(MESSAGE_TERMS)),
      await messageSearches(`, typed${afterNew}`, typedMessages(19)),
    );
    return cases;
  } finally {
    await Promise.all([db.end(), http.close()]);
  }
}

/** A search case's slowest terms: each term's slowest app request, the three worst. */
export function slowestTerms(c: QueryCase): string {
  const worst = new Map<string, number>();
  c.terms?.forEach((t, i) => worst.set(t, Math.max(worst.get(t) ?? 0, c.app[i]!)));
  return [...worst].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([t, ms]) => `"${t}" ${ms.toFixed(1)}`).join(', ');
}
