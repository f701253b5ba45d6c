import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../test/harness.js';

let t: TestEnv;
let admin: string;
let agent: string;
let viewer: string;

const FIELDS = `id shortcut text`;
const CREATE = `mutation($input: CreateCannedReplyInput!) { createCannedReply(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCannedReplyInput!) { updateCannedReply(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteCannedReply(id: $id) { id } }`;
const LIST = `query($search: String) { cannedReplies(search: $search) { shortcut } }`;

async function session(externalId: string, role: string) {
  const r = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token } }`, { input: { externalId, role } });
  return r.body.data.createAgentSession.token as string;
}
const code = (r: { body: { errors?: any[] } }) => r.body.errors?.[0]?.extensions?.code;
const shortcuts = async (search: string | null, token = agent) => {
  const r = await t.gql(LIST, { search }, token);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.cannedReplies.map((c: { shortcut: string }) => c.shortcut);
};

beforeAll(async () => {
  t = await startTestEnv();
  [admin, agent, viewer] = await Promise.all([session('ann', 'ADMIN'), session('abe', 'AGENT'), session('val', 'VIEWER')]);
  for (const input of [
    { shortcut: 'hello', text: 'Hello {{contact.name}}, this is {{agent.name}}. How can I help?' },
    { shortcut: 'shipping', text: 'Orders ship within 2 working days.' },
    { shortcut: 'hours', text: 'We are open 9 to 5, Monday to Friday.' },
    { shortcut: 'refund', text: 'Refunds reach your card within 5 days of the return.' },
  ]) {
    const r = await t.gql(CREATE, { input }, admin);
    expect(r.body.errors).toBeUndefined();
  }
});
afterAll(() => t?.close());

describe('canned replies', () => {
  it('everyone who reads sees them by shortcut; a search matches the start of a shortcut or any part of the text', async () => {
    expect(await shortcuts(null, viewer)).toEqual(['hello', 'hours', 'refund', 'shipping']);
    expect(await shortcuts('he')).toEqual(['hello', 'refund']); // hello by its shortcut, refund by "the return"
    expect(await shortcuts('HOU')).toEqual(['hours']);
    expect(await shortcuts('CARD')).toEqual(['refund']);
    expect(await shortcuts('ipping')).toEqual([]); // the middle of a shortcut is not its start, nor in any text
    expect(await shortcuts('100%')).toEqual([]); // wildcards match literally
  });

  it('only admins create, edit and delete them', async () => {
    for (const token of [agent, viewer]) {
      expect(code(await t.gql(CREATE, { input: { shortcut: 'sneaky', text: 'x' } }, token))).toBe('FORBIDDEN');
    }
    const created = (await t.gql(CREATE, { input: { shortcut: 'thanks', text: 'Thank you!' } }, admin)).body.data.createCannedReply;
    expect(code(await t.gql(UPDATE, { id: created.id, input: { text: 'changed' } }, agent))).toBe('FORBIDDEN');
    expect(code(await t.gql(DELETE, { id: created.id }, agent))).toBe('FORBIDDEN');
    const edited = (await t.gql(UPDATE, { id: created.id, input: { shortcut: 'thx', text: 'Thanks a lot!' } }, admin)).body.data.updateCannedReply;
    expect(edited).toEqual({ id: created.id, shortcut: 'thx', text: 'Thanks a lot!' });
    expect(await shortcuts('thx')).toEqual(['thx']);
    expect((await t.gql(DELETE, { id: created.id }, admin)).body.data.deleteCannedReply.id).toBe(created.id);
    expect(await shortcuts('thx')).toEqual([]);
    expect(code(await t.gql(DELETE, { id: created.id }, admin))).toBe('NOT_FOUND');
    expect(code(await t.gql(UPDATE, { id: '999999', input: { text: 'x' } }, admin))).toBe('NOT_FOUND');
  });

  it('refuses a taken shortcut, a shortcut that is not a lowercase slug, and empty text (BAD_USER_INPUT), changing nothing', async () => {
    expect(code(await t.gql(CREATE, { input: { shortcut: 'hello', text: 'again' } }, admin))).toBe('BAD_USER_INPUT');
    for (const shortcut of ['Hello', 'two words', '', '/hi', 'x'.repeat(41)]) {
      expect(code(await t.gql(CREATE, { input: { shortcut, text: 'x' } }, admin)), shortcut).toBe('BAD_USER_INPUT');
    }
    expect(code(await t.gql(CREATE, { input: { shortcut: 'blank', text: '  ' } }, admin))).toBe('BAD_USER_INPUT');
    const hours = (await t.gql(`{ cannedReplies(search: "hours") { id } }`, undefined, admin)).body.data.cannedReplies[0].id;
    expect(code(await t.gql(UPDATE, { id: hours, input: { shortcut: 'refund' } }, admin))).toBe('BAD_USER_INPUT');
    expect(await shortcuts(null)).toEqual(['hello', 'hours', 'refund', 'shipping']);
    // The same session goes on working after a refused edit.
    expect((await t.gql(UPDATE, { id: hours, input: { text: 'Open 9 to 6.' } }, admin)).body.data.updateCannedReply.text).toBe('Open 9 to 6.');
  });
});
