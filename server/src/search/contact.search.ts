import { selectList } from '../db/columns.js';
import type { Sql } from '../db/db.js';
import { rowShape } from '../db/row.view.js';
import { likePattern, SEARCH_COUNT_LIMIT } from '../graphql/connection.js';
import { type PageSql } from './page.js';
import { CONTACT_COUNT_SQL } from './counters.js';
import { wordSearch, type WordSearch } from './word.search.js';
import { contactSample, conversationShare, indexKeys, sampledShare } from './contact.sample.js';

/**
 * What a contact's name search matches: the contact's search document (Migration20261206170000ContactSearchText),
 * a space, then display name, profile name, number and username lower-cased and joined by spaces, its
 * first 500 characters (Migration20261206190000ContactListCovers; trigram index `contact_search_text_idx`,
 * and carried by the list-order index for the walk).
 */
export const CONTACT_SEARCH_SQL = `"search_text"`;

/** Searches this short (in characters) match the start of a word; longer ones anywhere. */
export const SHORT_SEARCH = 2;

/**
 * The LIKE pattern of a contact search, compared with the lower-cased document: the text anywhere,
 * or for one or two characters the start of a word (after a space), as trigrams cannot find a
 * shorter text anywhere but can find a word's first letters.
 */
export function contactPattern(text: string): string {
  const anywhere = likePattern(text); // checks the text before the database sees it
  return [...text].length <= SHORT_SEARCH ? `% ${anywhere.slice(1)}` : anywhere;
}

const ORDER_KEY = `coalesce(last_message_at, '-infinity'::timestamptz)`;

const ORDER = `order by is_pinned desc, ${ORDER_KEY} desc, id desc`;

/** Contacts a search reads in list order before it takes every name match from the index, when no sample says (walkRows). */
const WALK_ROWS = 3000;
/**
 * A name match taken from the index (bitmap, row, sort) costs about this many contacts read in list
 * order, from the list-order index alone (about 0.3 µs a contact against 4–5 µs a match on a million
 * contacts; nearer 0.6 µs while recently updated contacts still need their rows; bench/FINDINGS.md).
 */
export const INDEX_NAME_COST = 8;

/** An entry the trigram index reads for a trigram it is asked for costs about this many contacts read in list order (bench/FINDINGS.md). */
export const INDEX_ENTRY_COST = 0.04;

/** A message of the rarest word read from the word index, with its contact checked, costs about this many contacts read in list order and looked up in their conversation's words. */
const INDEX_SAID_COST = 1;

/**
 * A contact search: a LIKE pattern for name, number and username, and words for the conversation.
 * The sample says how often each is found (contact.sample.ts), so each half picks between reading
 * the latest contacts in list order and taking its matches from an index.
 */
export async function contactSearch(pool: Sql, text: string): Promise<NonNullable<ContactsQuery['search']>> {
  const like = contactPattern(text);
  const [words, sample] = await Promise.all([wordSearch(pool, text), contactSample(pool)]);
  const wordStart = like.startsWith('% ');
  const contacts = sample.contacts;
  const keys = indexKeys(sample, text, wordStart, { entryCost: INDEX_ENTRY_COST, candidateCost: INDEX_NAME_COST });
  const names = { share: sampledShare(sample, text, wordStart), candidates: keys.candidates, entries: keys.entries, contacts };
  const index = keys.parts.length ? { patterns: keys.parts.map(likePattern), text: text.toLowerCase() } : undefined;
  // Taking the matches from the index reads every message of the search's rarest word.
  const said = words && {
    share: conversationShare(sample, words.tsquery),
    candidates: (words.rarest.share * words.rows) / Math.max(contacts, 1),
    indexCost: INDEX_SAID_COST,
    contacts,
  };
  return { like, words, names, said, index };
}

/**
 * What a search's sample says of one half: the share of contacts matching, the share an index hands
 * over (default: the matches) and what each costs in contacts read in list order (default: a name
 * match's, INDEX_NAME_COST), the index entries read for it (as a share of contacts; INDEX_ENTRY_COST
 * each), and how many contacts there are.
 */
export interface SampledShares {
  share: number;
  candidates?: number;
  indexCost?: number;
  entries?: number;
  contacts: number;
}

/**
 * How many contacts a search page reads in list order, checking one half (names, or conversation
 * words), before it takes that half's matches from its index instead; 0 when the index is cheaper. Reading `rows` matches in list order
 * reads about rows / share contacts; the index reads every candidate, each costing `indexCost`
 * contacts read in order (INDEX_NAME_COST for names; bench/FINDINGS.md). As the share is sampled, the
 * walk may go three times as far as expected, but never past one and a half times the index's cost.
 */
export function walkRows(half: SampledShares, rows: number): number {
  if (half.share <= 0) return 0;
  const walk = rows / half.share;
  const index = ((half.indexCost ?? INDEX_NAME_COST) * Math.max(half.candidates ?? 0, half.share) + INDEX_ENTRY_COST * (half.entries ?? 0)) * Math.max(half.contacts, 1);
  return walk <= index ? Math.ceil(Math.min(1.5 * index, 3 * walk)) : 0;
}

/** What a `contacts` page asks for: search, filters, page size and cursor. */
export interface ContactsQuery {
  /**
   * The search, as contactSearch makes it (`like`: contactPattern; `words` null: the text has none;
   * `names`, `said`: what the sample says of each half; `index`: the parts of the text to ask the
   * trigram index for instead of `like`, as LIKE patterns, and the lower-cased text the contacts it
   * hands over must hold: indexKeys).
   */
  search?: { like: string; words: WordSearch | null; names?: SampledShares; said?: SampledShares | null; index?: { patterns: string[]; text: string } };
  pinned?: boolean;
  blocked?: boolean;
  tag?: string;
  /** An agent's id: their conversations; null: the unassigned ones. */
  assignee?: string | null;
  first: number;
  after?: [boolean, string, string];
  /** Contacts read in list order before the name index is asked (tests); otherwise walkRows, or WALK_ROWS without a sample. */
  walkRows?: number;
}

/**
 * The SQL of a `contacts` page and of its count. A search matches the search document or the words
 * of the conversation, each half the latest contacts in list order, then its index (walkRows says how
 * far, from the sample); each half is ordered and cut to the
 * page on its own, since as one `or` PostgreSQL would find every match of both before ordering. A
 * search's first page reads up to SEARCH_COUNT_LIMIT + 1 contacts, and so is its own count.
 */
export function contactsSql(o: ContactsQuery): PageSql {
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  const common: string[] = [];
  if (o.pinned != null) common.push(`is_pinned = ${p(o.pinned)}`);
  if (o.blocked != null) common.push(`is_blocked = ${p(o.blocked)}`);
  if (o.tag) common.push(`${p(o.tag)} = any(tags)`);
  if (o.assignee !== undefined) common.push(o.assignee === null ? 'assignee_id is null' : `assignee_id = ${p(o.assignee)}::bigint`);
  const index = o.search?.index && { patterns: o.search.index.patterns.map(p), text: p(o.search.index.text) };
  // Every parameter must appear in its statement: with `index`, only a page that walks uses the pattern (below).
  let like = o.search && !index ? p(o.search.like) : undefined;
  const words = o.search?.words;
  const tsquery = words && p(words.tsquery);
  const rarest = words && p(words.rarest.tsquery);
  const countParams = [...params];
  const countCommon = [...common];
  if (o.after) common.push(`(is_pinned, ${ORDER_KEY}, id) < (${p(o.after[0])}::boolean, ${p(o.after[1])}::timestamptz, ${p(o.after[2])}::bigint)`);
  const countFromPage = !!o.search && !o.after;
  const rows = countFromPage ? Math.max(o.first + 1, SEARCH_COUNT_LIMIT + 1) : o.first + 1;
  const limit = p(rows);
  const and = (w: string[]) => w.map((c) => ` and ${c}`).join('');
  const columns = `select *, ${ORDER_KEY}::text as order_at from contact`;
  if (!o.search) {
    const where = (w: string[]) => (w.length ? `where ${w.join(' and ')}` : '');
    const count = countCommon.length ? `select count(*)::int as n from contact ${where(countCommon)}` : CONTACT_COUNT_SQL;
    return { page: `${columns} ${where(common)} ${ORDER} limit ${limit}`, params, count, countParams, countFromPage };
  }
  const walk = o.walkRows ?? (o.search.names ? walkRows(o.search.names, rows) : WALK_ROWS);
  if (walk > 0) like ??= p(o.search.like);
  const halves = (w: string[], order: string, n: string | number) => {
    // `(select lower(…))`: a value PostgreSQL's estimate cannot see, so it takes its default guess
    // (few matches) and collects them through the trigram index. With the pattern in sight, the
    // statistics of a frequent pattern made it read contacts in table order until it had enough,
    // which is the whole table when the matches sit at its end (bench/FINDINGS.md).
    // Every name match, from the trigram index, before any order: asked for them in list order with a
    // limit, PostgreSQL took its default guess for a million contacts (thousands of matches) and read
    // the list until it had a page, all of it for a number no one has (bench/FINDINGS.md).
    // Or the rarer parts of the text from the index, the text itself checked on what it hands over
    // (strpos: a LIKE of it would be asked of the index too, reading every trigram; indexKeys).
    const named = index
      ? `${index.patterns.map((pattern) => `${CONTACT_SEARCH_SQL} like (select ${pattern}::text)`).join(' and ')} and strpos(${CONTACT_SEARCH_SQL}, ${index.text}) > 0`
      : `${CONTACT_SEARCH_SQL} like (select lower(${like}))`;
    const ctes = [`named as materialized (select id, is_pinned, ${ORDER_KEY} as order_key from contact
      where ${named}${and(w)})`];
    const ordered = (cte: string) => `select id from ${cte} ${order.replace(ORDER_KEY, 'order_key')} limit ${n}`;
    // The latest `rows` contacts in list order that pass `test` (reading `column` for it), which is
    // all a frequent match needs; when they come short of a page, every match of `all`, ordered.
    const walkThen = (cte: string, rows: number, test: string, all: string, column = '') => {
      const where = w.length ? `where ${w.join(' and ')}` : '';
      ctes.push(`${cte} as materialized (select id from (select id${column} from contact ${where} ${order} limit ${rows}) latest
        where ${test} limit ${n})`);
      return `(select id from ${cte})
        union all (select id from ${all} where (select count(*) from ${cte}) < ${n} ${order.replace(ORDER_KEY, 'order_key')} limit ${n})`;
    };
    const byName = order && walk > 0
      ? walkThen('walk', walk, `${CONTACT_SEARCH_SQL} like lower(${like})`, 'named', `, ${CONTACT_SEARCH_SQL}`)
      : ordered('named');
    if (!tsquery) return { ctes, sql: `(${byName})` };
    // A contact matches when their conversation holds every word (Migration20261206200000ContactWords),
    // looked up by key for each contact read; as a scalar subquery, since PostgreSQL would join.
    const conversation = (id: string) => `(select w.words @@ ${tsquery}::tsquery from inbox_search.contact_words w where w.contact_id = ${id}) is true`;
    // Few such contacts: those with a message holding the rarest word, each looked up likewise.
    ctes.push(`said as materialized (select contact_id from message where search_vector @@ ${rarest}::tsquery)`);
    // `= any(array(…))`: the contacts are read by id; as a join, PostgreSQL reads every contact.
    ctes.push(`hits as materialized (select id, is_pinned, ${ORDER_KEY} as order_key from contact c
      where id = any(array(select contact_id from said)) and ${conversation('c.id')}${and(w)})`);
    const saidWalk = o.walkRows ?? (o.search!.said ? walkRows(o.search!.said, rows) : 0);
    // The count too: any contacts, up to a page's count, rather than every message of the rarest word.
    const byHits = saidWalk > 0 ? walkThen('said_walk', saidWalk, conversation('latest.id'), 'hits') : ordered('hits');
    return { ctes, sql: `(${byName}) union all (${byHits})` };
  };
  const withClause = (ctes: string[]) => (ctes.length ? `with ${ctes.join(', ')} ` : '');
  const page = halves(common, ORDER, limit);
  const count = halves(countCommon, '', SEARCH_COUNT_LIMIT + 1);
  return {
    page: `${withClause(page.ctes)}${columns} where id in (${page.sql}) ${ORDER} limit ${limit}`,
    params,
    count: `${withClause(count.ctes)}select count(*)::int as n from contact where id in (${count.sql})`,
    countParams,
    countFromPage,
  };
}

type Row = Record<string, any>;

/** Separates the contact's columns from its last message's in readContactRows' statement. */
const LAST_MESSAGE_COLUMNS = 'last_message.*';

/** The contacts of the page `sql` describes, each with its last message, read in one statement (one round trip). */
export async function readContactRows(pool: Sql, sql: PageSql): Promise<{ contact: Row; lastMessage?: Row }[]> {
  const { rows, fields } = await pool.query<any[]>({
    text: `select p.*, null as "${LAST_MESSAGE_COLUMNS}", ${selectList('Message', 'm')} from (${sql.page}) p left join message m on m.id = p.last_message_id
      order by p.is_pinned desc, coalesce(p.last_message_at, '-infinity'::timestamptz) desc, p.id desc`,
    values: sql.params,
    rowMode: 'array',
  });
  const split = fields.findIndex((f) => f.name === LAST_MESSAGE_COLUMNS);
  const messageId = fields.findIndex((f, i) => i > split && f.name === 'id');
  const contactShape = rowShape(fields.slice(0, split).map((f) => f.name));
  const messageShape = rowShape(fields.slice(split + 1).map((f) => f.name));
  return rows.map((r) => {
    const contact: Row = { ...contactShape };
    for (let i = 0; i < split; i++) contact[fields[i]!.name] = r[i];
    if (r[messageId] == null) return { contact };
    const lastMessage: Row = { ...messageShape };
    for (let i = split + 1; i < fields.length; i++) lastMessage[fields[i]!.name] = r[i];
    return { contact, lastMessage };
  });
}
