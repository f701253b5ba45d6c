/**
 * Search terms as people type them into the search box: a phrase drawn from the seeded corpus's
 * vocabulary (bench/seed.ts), sent once per letter typed ("p", "pa", "par", "parc"...), then the
 * next phrase. The per-search caches then answer only what they would in use: a repeated short
 * prefix, not the same ten terms over and over.
 */
import { FIRST, LAST, WORDS } from './seed.js';

/** Deterministic pseudo-random numbers (mulberry32), so every run asks the same questions. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each prefix of `phrase` as typed; a prefix ending in a space is the previous search again, left out. */
export function prefixes(phrase: string): string[] {
  return Array.from({ length: phrase.length }, (_, i) => phrase.slice(0, i + 1)).filter((p) => !p.endsWith(' '));
}

const MESSAGE_VOCABULARY = [...new Set(WORDS)];
const CONTACT_VOCABULARY = [...new Set([...FIRST, ...LAST].map((w) => w.toLowerCase()))];

/**
 * `count` message searches as typed: phrases of one word (two in three) or two words of the seeded
 * texts, first words not repeated until the vocabulary is used up; `seed` picks the sequence.
 */
export function typedMessageTerms(count: number, seed: number): string[] {
  const random = rng(seed);
  const pick = (xs: readonly string[]) => xs[Math.floor(random() * xs.length)]!;
  let unused: string[] = [];
  const out: string[] = [];
  while (out.length < count) {
    if (!unused.length) unused = [...MESSAGE_VOCABULARY];
    const first = unused.splice(Math.floor(random() * unused.length), 1)[0]!;
    out.push(...prefixes(random() < 1 / 3 ? `${first} ${pick(MESSAGE_VOCABULARY)}` : first));
  }
  return out.slice(0, count);
}

/**
 * `count` contact searches as typed: a first name or surname (half), a full name, a phone number
 * (from its first digit) or a word of the messages, as an agent looks for a customer.
 */
export function typedContactTerms(count: number, seed: number, contacts: number): string[] {
  const random = rng(seed);
  const pick = (xs: readonly string[]) => xs[Math.floor(random() * xs.length)]!;
  const out: string[] = [];
  while (out.length < count) {
    const r = random();
    const phrase = r < 0.5 ? pick(CONTACT_VOCABULARY)
      : r < 0.7 ? `${pick(FIRST)} ${pick(LAST)}`.toLowerCase()
      : r < 0.85 ? String(49150000000 + 1 + Math.floor(random() * contacts)) // as seed.ts numbers them
      : pick(MESSAGE_VOCABULARY);
    out.push(...prefixes(phrase));
  }
  return out.slice(0, count);
}
