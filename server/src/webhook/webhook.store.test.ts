import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, emptyInbox, startTestEnv, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const post = (texts: string[]) => Promise.all(texts.map((text) => t.postWebhook(envelope(textMessage({ text }).body))));

/** Runs `fn` with triggers on webhook_event (by name: when each fires, and its PL/pgSQL body), dropped after. */
async function withTriggers(triggers: Record<string, { when: string; body: string }>, fn: () => Promise<void>) {
  for (const [name, { when, body }] of Object.entries(triggers)) {
    await t.db.query(`create function ${name}() returns trigger language plpgsql as $$ begin ${body} end $$`);
    await t.db.query(`create trigger ${name} ${when} on webhook_event ${when.startsWith('before') ? 'for each row' : 'for each statement'} execute function ${name}()`);
  }
  try {
    await fn();
  } finally {
    for (const name of Object.keys(triggers)) await t.db.query(`drop trigger ${name} on webhook_event; drop function ${name}()`);
  }
}

/** Each insert statement takes 50 ms: POSTs arrive while the first ones are being stored. */
const slowInsert = { when: 'after insert', body: 'perform pg_sleep(0.05); return null;' };

describe('webhook events arriving together', () => {
  it('while the database is busy, wait and are stored in a few inserts, each answered 200 once committed, and all processed', async () => {
    await emptyInbox(t.db);
    await withTriggers({ test_slow_insert: slowInsert }, async () => {
      const texts = Array.from({ length: 100 }, (_, i) => `together ${i}`);
      const res = await post(texts);
      expect(res.map((r) => r.status)).toEqual(texts.map(() => 200));
      // Every answered event is there; rows inserted by one statement share its transaction's start
      // time (received_at is now()), which processing leaves alone. One insert per event made 100.
      const { rows } = await t.db.query(`select received_at::text as tx, convert_from(body, 'UTF8') as body from webhook_event order by id`);
      expect(rows).toHaveLength(100);
      const stored = rows.map((r) => JSON.parse(r.body).entry[0].changes[0].value.messages[0].text.body as string);
      expect([...stored].sort()).toEqual([...texts].sort());
      expect(new Set(rows.map((r) => r.tx)).size).toBeLessThanOrEqual(10);
      await drained(t.db);
      const { rows: messages } = await t.db.query(`select text from message`);
      expect(messages.map((m) => m.text).sort()).toEqual([...texts].sort());
    });
  });

  it('one the database refuses is answered 503 alone; the others stored with it are answered 200', async () => {
    await emptyInbox(t.db);
    const refuseMarked = {
      when: 'before insert',
      body: `if position('refuse me' in convert_from(new.body, 'UTF8')) > 0 then raise exception 'refused' using errcode = '23514'; end if; return new;`,
    };
    await withTriggers({ test_refuse_marked: refuseMarked, test_slow_insert: slowInsert }, async () => {
      const texts = Array.from({ length: 40 }, (_, i) => (i === 17 ? 'refuse me' : `kept ${i}`));
      const res = await post(texts);
      expect(res.map((r) => r.status)).toEqual(texts.map((x) => (x === 'refuse me' ? 503 : 200)));
      await drained(t.db);
      const { rows } = await t.db.query(`select text from message`);
      expect(rows.map((m) => m.text).sort()).toEqual(texts.filter((x) => x !== 'refuse me').sort());
    });
  });
});
