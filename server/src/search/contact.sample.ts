/**
 * How often a contact search's text is in the contacts' search documents, and its words in their
 * conversations, judged from a sample of contacts kept in memory: PostgreSQL's own guess of a LIKE
 * pattern comes from a hundred sampled documents and cannot see where the matches lie, and it has none
 * for words spread over a conversation; a search must decide, before it asks, between reading
 * contacts in list order (a frequent text) and taking every match from an index (a rare one).
 */
import type { Sql } from '../db/db.js';
import { poolCache } from './pool.cache.js';
import { tsqueryWords } from './word.search.js';

/** Contacts sampled (fewer when ids have gaps); a text found in none is in fewer than about 1/NAME_SAMPLE of all. */
export const NAME_SAMPLE = 2000;

/** The sample is read again after this long (as the word statistics, word.search.ts). */
const SAMPLE_TTL_MS = 60_000;

/** Sampled contacts' search documents and conversation words, and the number of contacts they stand for. */
export interface ContactSample {
  docs: string[];
  /** Each sampled contact's conversation words (`inbox_search.contact_words`), sorted; [] for none. */
  said: string[][];
  contacts: number;
  /** Each trigram's documents (indexes into `docs`, ascending), as pg_trgm indexes them (made on the first use). */
  postings?: Map<string, number[]>;
}

async function readSample(pool: Sql): Promise<ContactSample> {
  // SQL: NAME_SAMPLE random ids read by key, whatever the table's size; a block sample (TABLESAMPLE
  // SYSTEM) takes whole pages of contacts created together, who often share a surname, and misjudged
  // common names (bench/FINDINGS.md). The entity manager has no such read.
  const { rows } = await pool.query<{ contacts: number; sampled: [string, string[] | null][] | null }>(
    `with bounds as (select min(id) as lo, max(id) as hi from contact)
     select (select greatest(reltuples, 0)::float8 from pg_class where oid = 'contact'::regclass) as contacts,
       (select json_agg(json_build_array(c.search_text, tsvector_to_array(w.words))) from contact c
          left join inbox_search.contact_words w on w.contact_id = c.id
        where c.id = any(array(select lo + floor(random() * (hi - lo + 1))::bigint from bounds, generate_series(1, $1)))) as sampled`,
    [NAME_SAMPLE],
  );
  const sampled = rows[0]?.sampled ?? [];
  const docs = sampled.map(([doc]) => doc);
  const said = sampled.map(([, words]) => (words ?? []).sort());
  return { docs, said, contacts: Math.max(rows[0]?.contacts ?? 0, docs.length) };
}

/** The sample of `pool`'s contacts, at most SAMPLE_TTL_MS old (a stale one serves while a new one is read). */
export const contactSample = poolCache(SAMPLE_TTL_MS, readSample);

/**
 * The share of sampled documents holding `text` (lower-cased) where contactPattern looks for it:
 * anywhere, or after a space when `wordStart`. An estimate: JavaScript's lower case is PostgreSQL's
 * for all but a few letters.
 */
export function sampledShare(sample: ContactSample, text: string, wordStart: boolean): number {
  if (!sample.docs.length) return 0;
  const needle = (wordStart ? ' ' : '') + text.toLowerCase();
  let n = 0;
  for (const d of sample.docs) if (d.includes(needle)) n++;
  return n / sample.docs.length;
}

/** A word as pg_trgm splits text: a run of letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

function addTrigrams(into: Set<string>, padded: string): void {
  const c = [...padded];
  for (let i = 0; i + 3 <= c.length; i++) into.add(c[i]! + c[i + 1]! + c[i + 2]!);
}

/** The trigrams pg_trgm keeps for a document: each word lower-cased, two spaces before it and one after. */
function documentTrigrams(doc: string): Set<string> {
  const out = new Set<string>();
  for (const [word] of doc.toLowerCase().matchAll(WORD)) addTrigrams(out, `  ${word} `);
  return out;
}

/**
 * The trigrams the index looks up for contactPattern(text): pg_trgm pads a word of a LIKE pattern
 * where a non-word character bounds it (or the space before a word-start search), not where a `%` does.
 */
export function patternTrigrams(text: string, wordStart: boolean): string[] {
  const s = text.toLowerCase();
  const out = new Set<string>();
  for (const m of s.matchAll(WORD)) {
    const end = m.index + m[0].length;
    addTrigrams(out, `${m.index > 0 || wordStart ? '  ' : ''}${m[0]}${end < s.length ? ' ' : ''}`);
  }
  return [...out];
}

function postings(sample: ContactSample): Map<string, number[]> {
  if (sample.postings) return sample.postings;
  const map = new Map<string, number[]>();
  sample.docs.forEach((doc, i) => {
    for (const t of documentTrigrams(doc)) {
      const list = map.get(t);
      if (list) list.push(i);
      else map.set(t, [i]);
    }
  });
  return (sample.postings = map);
}

/** The sampled documents holding every one of `trigrams` (ascending indexes). */
function holding(sample: ContactSample, trigrams: Iterable<string>): number[] | undefined {
  const index = postings(sample);
  let docs: number[] | undefined;
  for (const t of trigrams) {
    const list = index.get(t) ?? [];
    docs = docs ? intersect(docs, list) : list;
    if (!docs.length) break;
  }
  return docs;
}

function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else (out.push(a[i]!), i++, j++);
  }
  return out;
}

/**
 * The share of sampled documents the trigram index would hand over for the search (those having
 * every trigram of the pattern), matching or not: each is read and checked, so the index's cost
 * follows these rather than the matches. "hedy h" asks for the trigrams of "hedy " and "  h", which
 * every Hedy has, while one in ten of them matches.
 */
export function candidateShare(sample: ContactSample, text: string, wordStart: boolean): number {
  if (!sample.docs.length) return 0;
  const docs = holding(sample, patternTrigrams(text, wordStart));
  if (!docs) return 1; // no trigram: the index hands over every contact
  return docs.length / sample.docs.length;
}

/**
 * Parts of a search text, each with the trigrams the index looks up for it as a LIKE pattern of its
 * own ('%part%'): one for each trigram of the whole text's pattern, the shortest part that yields it
 * (a trigram padded at a word's edge takes the character beyond it too).
 */
export function trigramParts(text: string): { part: string; trigrams: string[] }[] {
  const s = text.toLowerCase();
  const parts = new Map<string, string[]>();
  for (const m of s.matchAll(WORD)) {
    const lead = m.index > 0 ? 2 : 0;
    const trail = m.index + m[0].length < s.length ? 1 : 0;
    const width = lead + m[0].length + trail;
    for (let i = 0; i + 3 <= width; i++) {
      // Padding stands for the character before or after the word.
      const from = m.index + Math.max(i - lead, -1);
      const to = m.index + Math.min(i + 3 - lead, m[0].length + 1);
      const part = s.slice(from, to);
      if (!parts.has(part)) parts.set(part, patternTrigrams(part, false));
    }
  }
  return [...parts].map(([part, trigrams]) => ({ part, trigrams }));
}

/** What asking the trigram index for some parts of a search costs: shares of the sampled contacts. */
export interface IndexKeys {
  /** The parts asked for ('%part%' each, all of them); empty: the whole pattern. */
  parts: string[];
  /** Contacts the index hands over (holding every trigram asked for). */
  candidates: number;
  /** Index entries it reads: the sum of each trigram's contacts. */
  entries: number;
}

/**
 * Which parts of a search to ask the trigram index for. The index reads every entry of each trigram
 * it is asked for, and a trigram every contact has ("491" of a German number, "er ") costs a read of
 * all contacts while it rules out none, most of a number search's time (bench/FINDINGS.md). So
 * parts are taken rarest first, each further one only while
 * the candidates it rules out (`candidateCost` each) outweigh its entries (`entryCost` each); the whole
 * text is then checked on the candidates. Only ASCII texts of three characters or more: their lower
 * case is PostgreSQL's, character by character, so each part is found wherever the text is.
 */
export function indexKeys(sample: ContactSample, text: string, wordStart: boolean, cost: { entryCost: number; candidateCost: number }): IndexKeys {
  const n = Math.max(sample.docs.length, 1);
  const all = patternTrigrams(text, wordStart);
  const entries = (trigrams: Iterable<string>) => [...trigrams].reduce((sum, t) => sum + (postings(sample).get(t)?.length ?? 0) / n, 0);
  const whole: IndexKeys = { parts: [], candidates: candidateShare(sample, text, wordStart), entries: entries(all) };
  if (wordStart || !sample.docs.length || !/^[\x20-\x7e]*$/.test(text) || all.length < 2) return whole;
  const parts = trigramParts(text)
    .map((p) => ({ ...p, docs: holding(sample, p.trigrams) ?? [] }))
    .sort((a, b) => a.docs.length - b.docs.length);
  const first = parts[0]!;
  const chosen = [first.part];
  const asked = new Set(first.trigrams);
  let docs = first.docs;
  for (const p of parts.slice(1)) {
    const added = p.trigrams.filter((t) => !asked.has(t));
    if (!added.length) continue;
    const next = intersect(docs, p.docs);
    const read = entries(added);
    // A trigram no sampled contact has is nearly free to read and may still rule out some.
    if (cost.entryCost * read >= (cost.candidateCost * (docs.length - next.length)) / n && read * n > 1) continue;
    chosen.push(p.part);
    for (const t of added) asked.add(t);
    docs = next;
  }
  const keys: IndexKeys = { parts: chosen, candidates: docs.length / n, entries: entries(asked) };
  const costOf = (k: IndexKeys) => cost.entryCost * k.entries + cost.candidateCost * k.candidates;
  return costOf(keys) < costOf(whole) ? keys : whole;
}

/** Whether sorted `words` hold `word`, or for a prefix a word starting so. */
function holds(words: string[], word: string, prefix: boolean): boolean {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]! < word) lo = mid + 1;
    else hi = mid;
  }
  const at = words[lo];
  return at !== undefined && (prefix ? at.startsWith(word) : at === word);
}

/**
 * The share of sampled contacts whose conversation holds every word of `tsquery`, as wordSearch makes
 * it: operands joined by `&`, each a word, a prefix, or words joined by `|`.
 */
export function conversationShare(sample: ContactSample, tsquery: string): number {
  if (!sample.said.length) return 0;
  const operands = tsquery.split(' & ').map(tsqueryWords);
  let n = 0;
  for (const words of sample.said) if (operands.every((o) => o.some(({ word, prefix }) => holds(words, word, prefix)))) n++;
  return n / sample.said.length;
}
