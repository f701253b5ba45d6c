import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { drained, startTestEnv, TEST_TOKEN, waitFor, type TestEnv } from './harness.js';
import { envelope, textMessage } from './payloads.js';

const NUMBER = '15557654321';
const TEXT_IN = 'inbound-private-zebra-42';
const TEXT_OUT = 'outbound-private-walrus-77';
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id status } }`;

describe('logs at info level', () => {
  const lines: string[] = [];
  let t: TestEnv;
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    t = await startTestEnv({ log: createLogger({ level: 'info', destination }) });
  });
  afterAll(() => t?.close());

  it('name an unexpected error (message, code, path, stack) without the texts, the number or the token of the requests', async () => {
    expect((await t.postWebhook(envelope(textMessage({ from: NUMBER, text: TEXT_IN }).body))).status).toBe(200);
    await drained(t.db);
    const sent = await t.gql(SEND, { input: { to: NUMBER, text: TEXT_OUT } });
    expect(sent.body.errors).toBeUndefined();
    const id = sent.body.data.sendMessage.id;
    await waitFor(async () => (await t.gql(`query($id: ID!) { message(id: $id) { status } }`, { id })).body.data?.message?.status !== 'PENDING' || undefined, 15_000, 'the send');

    // The database refuses the next send and quotes its values, as a constraint's error does ("Key (wa_id)=(...)").
    await t.db.query(`create function refuse_outbound() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test' using detail = format('text %s to %s', new.text, (select wa_id from contact where id = new.contact_id)); end $$`);
    await t.db.query(`create trigger refuse_outbound before insert on message for each row when (new.direction = 'OUTBOUND') execute function refuse_outbound()`);
    const refused = await t.gql(SEND, { input: { to: NUMBER, text: `${TEXT_OUT} again` } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');

    const logged = await waitFor(() => lines.find((l) => l.includes('unexpected GraphQL error')), 10_000, 'the error logged');
    const entry = JSON.parse(logged) as { code: string; err: { message: string; path: string; stack: string; cause: { message: string; stack: string } } };
    expect(entry.code).toBe('INTERNAL_SERVER_ERROR');
    expect(entry.err.path).toBe('sendMessage');
    expect(entry.err.cause.message).toContain('refused by the test');
    expect(entry.err.cause.stack).toMatch(/\n\s+at /);

    const all = lines.join('');
    expect(all).not.toContain(TEXT_IN);
    expect(all).not.toContain(TEXT_OUT);
    expect(all).not.toContain(NUMBER);
    expect(all).not.toContain(TEST_TOKEN);
  }, 60_000);
});
