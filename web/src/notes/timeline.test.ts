import { describe, expect, test } from 'vitest';
import type { NoteCard_NoteFragment } from '../gql/graphql';
import { markMentions } from './NoteCard';
import { interleave } from './timeline';

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 12, min)).toISOString();
const note = (id: string, min: number): NoteCard_NoteFragment => ({
  __typename: 'Note', id, contactId: '1', text: `note ${id}`, authorName: 'Ada', authorAgentId: '1', mentionedAgentIds: [], createdAt: at(min),
});
const m = (id: string, min: number) => ({ id, timestamp: at(min) });

describe('interleave', () => {
  test('puts notes among messages by time, after a message of the same time', () => {
    const items = interleave([m('a', 1), m('b', 3), m('c', 5)], [note('2', 5), note('1', 2), note('3', 9)], false);
    expect(items.map((i) => i.key)).toEqual(['a', 'note:1', 'b', 'c', 'note:2', 'note:3']);
  });
  test('while older messages are to load, holds back notes older than the oldest loaded message', () => {
    expect(interleave([m('b', 3)], [note('1', 2), note('2', 4)], true).map((i) => i.key)).toEqual(['b', 'note:2']);
    expect(interleave([m('b', 3)], [note('1', 2), note('2', 4)], false).map((i) => i.key)).toEqual(['note:1', 'b', 'note:2']);
  });
});

describe('markMentions', () => {
  test('marks @Name of known agents, the longest name first, in any case', () => {
    expect(markMentions('ask @ada lovelace or @Bo, not @Bob', ['Ada', 'Ada Lovelace', 'Bo'])).toEqual([
      'ask ', { mention: '@ada lovelace' }, ' or ', { mention: '@Bo' }, ', not ', { mention: '@Bo' }, 'b',
    ]);
  });
});
