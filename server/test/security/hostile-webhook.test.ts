import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SECRET, drained, startTestEnv, subscribe, waitFor, type TestEnv } from '../harness.js';
import { envelope, status, textMessage, value, wamid } from '../payloads.js';
import { signBody } from '../../src/webhook/webhook.signature.js';

const SAMPLES = path.resolve(import.meta.dirname, '../webhook-samples');
const sampleFiles = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort();
const samples = new Map(sampleFiles.map((f) => [f, fs.readFileSync(path.join(SAMPLES, f))]));

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const one = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows[0];
const lastEventId = async (): Promise<number> => Number((await one(`select coalesce(max(id), 0) as id from webhook_event`)).id);

/** Posts exact bytes with a valid signature and the given content type (null: no content type at all). */
async function post(raw: Buffer, contentType: string | null = 'application/json', extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.app.url}/api/whatsapp/webhook`, {
    method: 'POST',
    headers: { ...(contentType ? { 'content-type': contentType } : {}), 'x-hub-signature-256': signBody(raw, APP_SECRET), ...extra },
    body: new Uint8Array(raw),
  });
}

/**
 * Runs a property whose every run posts one well-signed body; then checks that each body was answered
 * 200 (never 5xx), stored byte for byte, and ended PROCESSED or FAILED with an error, and that the
 * server and its processor still work.
 */
async function fuzz<T>(arb: fc.Arbitrary<T>, toBytes: (v: T) => Buffer, numRuns: number, seed: number): Promise<void> {
  const from = await lastEventId();
  const accepted: Buffer[] = [];
  await fc.assert(
    fc.asyncProperty(arb, async (v) => {
      const raw = toBytes(v);
      const res = await post(raw);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      accepted.push(raw);
    }),
    { numRuns, seed }, // a fixed seed: the same bodies every run
  );
  await drained(t.db);
  const { rows } = await t.db.query(`select body, status, last_error from webhook_event where id > $1 order by id`, [from]);
  expect(rows).toHaveLength(accepted.length);
  rows.forEach((r, i) => expect(Buffer.compare(r.body, accepted[i]!)).toBe(0));
  for (const r of rows) {
    expect(['PROCESSED', 'FAILED']).toContain(r.status);
    if (r.status === 'FAILED') expect(r.last_error).toEqual(expect.any(String));
  }
  await stillWorks();
}

/** Health answers and a fresh, real message posted now is processed. */
async function stillWorks(): Promise<void> {
  expect((await fetch(`${t.app.url}/api/whatsapp/health`)).status).toBe(200);
  const probe = textMessage({ text: 'still alive' });
  expect((await t.postWebhook(envelope(probe.body))).status).toBe(200);
  await waitFor(async () => (await t.db.query(`select 1 from message where wa_message_id = $1`, [probe.id])).rowCount, 10_000, 'the probe message');
}

// Values that break naive code: NUL, lone surrogates, SQL, LIKE wildcards, huge numbers, long strings.
const nasty = fc.constantFrom<unknown>(
  '', '\u0000', 'a\u0000b', '\ud800', '\u0001', '%_\\', "'; drop table message; --", '9'.repeat(40), 'x'.repeat(70_000),
  -1, 0, 1e308, -1e-308, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, true, null, [], {}, [[[[[]]]]], { __proto__: { polluted: true } },
  'constructor', '__proto__', '1697043223', '-1697043223', '99999999999999999999', 'text', 'image', 'system',
);
const anyJson = fc.oneof({ weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }) }, { weight: 2, arbitrary: nasty });
const messageKeys = ['from', 'id', 'timestamp', 'type', 'text', 'context', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts',
  'interactive', 'button', 'reaction', 'system', 'order', 'referral', 'errors', 'to', 'from_user_id', 'to_user_id', 'identity', 'edit', 'revoke'];
const messageish = fc.dictionary(fc.constantFrom(...messageKeys), anyJson, { maxKeys: 8 });
const statusish = fc.dictionary(fc.constantFrom('id', 'status', 'timestamp', 'recipient_id', 'biz_opaque_callback_data', 'errors', 'pricing', 'conversation'), anyJson, { maxKeys: 6 });
const contactish = fc.dictionary(fc.constantFrom('wa_id', 'user_id', 'parent_user_id', 'profile', 'username'), anyJson, { maxKeys: 5 });
/** A body shaped like Meta's (entry → changes → value) with hostile values where the data goes. */
const shaped = fc.record({
  object: fc.constantFrom('whatsapp_business_account', 'page', ''),
  entry: fc.array(
    fc.record({
      id: fc.oneof(fc.string(), fc.integer()),
      changes: fc.array(
        fc.record({
          field: fc.constantFrom('messages', 'smb_message_echoes', 'message_template_status_update', 'message_template_quality_update', 'template_category_update', 'account_alerts', 'security'),
          value: fc.record(
            {
              metadata: fc.oneof(fc.record({ phone_number_id: anyJson, display_phone_number: anyJson }), anyJson),
              contacts: fc.oneof(fc.array(contactish, { maxLength: 3 }), anyJson),
              messages: fc.oneof(fc.array(messageish, { maxLength: 3 }), anyJson),
              message_echoes: fc.array(messageish, { maxLength: 2 }),
              statuses: fc.oneof(fc.array(statusish, { maxLength: 3 }), anyJson),
              errors: anyJson,
              event: anyJson,
              message_template_id: anyJson,
              message_template_name: anyJson,
            },
            { requiredKeys: [] },
          ),
        }),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  ),
});

type Json = any;
type Path = Array<string | number>;
function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
/** Sets (or with `undefined` deletes) the value at `at`; returns the new root. */
function setAt(root: Json, at: Path, value: Json): Json {
  if (at.length === 0) return value;
  let parent = root;
  for (const k of at.slice(0, -1)) parent = parent[k];
  const last = at.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = value;
  return root;
}
const edit = fc.record({ at: fc.nat(), value: fc.oneof(anyJson, fc.constant(undefined)) });
const mutatedSample = fc.record({ file: fc.constantFrom(...sampleFiles), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) });
const flippedSample = fc.record({
  file: fc.constantFrom(...sampleFiles),
  flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }),
});

describe('fuzzed webhook bodies with valid signatures', () => {
  it('arbitrary JSON values: 200, stored byte for byte, each ends PROCESSED or FAILED with an error', async () => {
    await fuzz(fc.jsonValue({ stringUnit: 'binary' }), (v) => Buffer.from(JSON.stringify(v) ?? 'null'), 150, 1);
  });

  it('arbitrary bytes: 200, stored byte for byte, each ends PROCESSED or FAILED with an error', async () => {
    await fuzz(fc.uint8Array({ maxLength: 4096 }), (b) => Buffer.from(b), 150, 2);
  });

  it("bodies shaped like Meta's with hostile values inside: stored and processed or failed, never stuck", async () => {
    await fuzz(shaped, (v) => Buffer.from(JSON.stringify(v)), 200, 3);
  });

  it('real samples with values replaced or removed: stored and processed or failed, never stuck', async () => {
    await fuzz(
      mutatedSample,
      ({ file, edits }) => {
        let doc: Json = JSON.parse(samples.get(file)!.toString('utf8'));
        for (const e of edits) {
          const all = paths(doc);
          doc = setAt(doc, all[e.at % all.length]!, e.value);
        }
        return Buffer.from(JSON.stringify(doc) ?? '');
      },
      200,
      4,
    );
  });

  it('real samples with bytes flipped: stored byte for byte and processed or failed', async () => {
    await fuzz(
      flippedSample,
      ({ file, flips }) => {
        const b = Buffer.from(samples.get(file)!);
        for (const f of flips) b[f.at % b.length] = f.byte;
        return b;
      },
      150,
      5,
    );
  });

  it('a body whose parse error quotes a NUL byte ends FAILED with its error, not stuck PROCESSING', async () => {
    const from = await lastEventId();
    expect((await post(Buffer.from('\u0000{"object":"whatsapp_business_account"}'))).status).toBe(200);
    try {
      const ev = await waitFor(async () => (await t.db.query(`select status, last_error from webhook_event where id > $1 and status in ('PROCESSED', 'FAILED')`, [from])).rows[0], 5000, 'the event to end');
      expect(ev).toEqual({ status: 'FAILED', last_error: expect.stringContaining('not JSON') });
    } finally {
      await t.db.query(`delete from webhook_event where id > $1 and status = 'PROCESSING'`, [from]); // the stuck one, so later tests drain
    }
  });
});

describe('hostile sizes and shapes', () => {
  const count = async () => Number((await one(`select count(*)::int as n from webhook_event`)).n);

  it('a chunked body (no Content-Length) past the limit gets 413, stores nothing and the server goes on', async () => {
    const before = await count();
    const chunk = Buffer.alloc(256 * 1024, 'x');
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > 4 * 1024 * 1024) return c.close();
        sent += chunk.length;
        c.enqueue(new Uint8Array(chunk));
      },
    });
    const res = await fetch(`${t.app.url}/api/whatsapp/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody('whatever', APP_SECRET) },
      body: stream,
      duplex: 'half',
    } as RequestInit).catch((err: Error) => err);
    // The server may answer 413 before reading it all, or cut the connection; it must not store anything.
    if (res instanceof Response) expect(res.status).toBe(413);
    expect(await count()).toBe(before);
    await stillWorks();
  });

  it('a gzip bomb (a few KB inflating past the limit) gets 413 and stores nothing', async () => {
    const before = await count();
    const inflated = Buffer.alloc(20 * 1024 * 1024, ' ');
    const bomb = gzipSync(inflated);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await fetch(`${t.app.url}/api/whatsapp/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-hub-signature-256': signBody(inflated, APP_SECRET) },
      body: new Uint8Array(bomb),
    });
    expect(res.status).toBe(413);
    expect(await count()).toBe(before);
    await stillWorks();
  });

  it.each([
    ['100,000 levels of [', () => '['.repeat(100_000) + ']'.repeat(100_000)],
    ['100,000 unclosed [', () => '['.repeat(100_000)],
    ['100,000 levels of {"a":', () => '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    [
      'an account event value nested 100,000 deep',
      () => `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_alerts","value":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}]}`,
    ],
    [
      'a message nested 100,000 deep',
      () =>
        `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"contacts":[{"wa_id":"15550009999"}],"messages":[{"from":"15550009999","id":"wamid.deep","timestamp":"1700000000","type":"text","text":{"body":"deep"},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}}]}]}`,
    ],
  ])('%s: stored, never crashes server or processor, ends PROCESSED or FAILED', async (_name, make) => {
    const raw = Buffer.from(make());
    const from = await lastEventId();
    const res = await post(raw);
    expect(res.status).toBe(200);
    await drained(t.db);
    const rows = (await t.db.query(`select body, status, last_error from webhook_event where id > $1`, [from])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].body.equals(raw)).toBe(true);
    expect(['PROCESSED', 'FAILED']).toContain(rows[0].status);
    if (rows[0].status === 'FAILED') expect(rows[0].last_error).toBeTruthy();
    await stillWorks();
  });
});

describe('content types', () => {
  // Meta always sends application/json. A body whose signature is right came from Meta whatever its
  // headers say, so it is stored (losing it would lose a customer's message) and parsed as JSON.
  it.each([
    ['text/plain', 'text/plain'],
    ['form-urlencoded', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['json with a foreign charset', 'application/json; charset=latin1'],
    ['garbage', '}{ not a type'],
    ['missing', null],
  ])('a signed body with content type %s is stored as sent and processed as JSON', async (_name, contentType) => {
    const m = textMessage({ text: `typed ${contentType}` });
    const raw = Buffer.from(JSON.stringify(envelope(m.body)));
    const res = await post(raw, contentType);
    expect(res.status).toBe(200);
    await drained(t.db);
    const ev = await one(`select body, status, headers from webhook_event order by id desc limit 1`);
    expect(ev.body.equals(raw)).toBe(true);
    expect(ev.status).toBe('PROCESSED');
    expect((await t.db.query(`select 1 from message where wa_message_id = $1`, [m.id])).rowCount).toBe(1);
  });
  it('an unsigned body with any content type is still 401 and not stored', async () => {
    const before = Number((await one(`select count(*)::int as n from webhook_event`)).n);
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/json']) {
      const res = await fetch(`${t.app.url}/api/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': ct }, body: 'a=1' });
      expect(res.status).toBe(401);
    }
    expect(Number((await one(`select count(*)::int as n from webhook_event`)).n)).toBe(before);
  });
});

describe('replayed old events', () => {
  it('the same bodies posted again days later are stored again, but double no message, status, unread count or subscription event', async () => {
    const daysAgo = Math.floor(Date.now() / 1000) - 3 * 86400;
    const from = '15557770001';
    const msg = textMessage({ from, name: 'Replay', text: 'from three days ago', ts: daysAgo });
    // An answer sent from the WhatsApp Business app (an echo), then Meta's statuses for it.
    const echoId = wamid();
    const echo = {
      field: 'smb_message_echoes',
      value: value({ contacts: [{ profile: { name: 'Replay' }, wa_id: from }] }),
    };
    Object.assign(echo.value, { message_echoes: [{ from: '15550001111', to: from, id: echoId, timestamp: String(daysAgo + 1), type: 'text', text: { body: 'answer from the app' } }] });
    const bodies = [
      envelope(msg.body),
      envelope(echo),
      envelope(status({ id: echoId, status: 'delivered', ts: daysAgo + 2, recipient: from })),
      envelope(status({ id: echoId, status: 'read', ts: daysAgo + 3, recipient: from })),
    ].map((b) => Buffer.from(JSON.stringify(b)));
    const client = t.ws();
    const added = subscribe(client, `subscription { messageAdded { id text } }`);
    const changed = subscribe(client, `subscription { messageStatusChanged { id status } }`);
    // Warm-up on another contact: fresh events until both subscriptions have delivered one.
    for (let i = 0; i < 10 && !(added.events.length && changed.events.length); i++) {
      const w = wamid();
      const warm = { field: 'smb_message_echoes', value: value({ contacts: [{ wa_id: '15557770009' }] }) };
      Object.assign(warm.value, { message_echoes: [{ from: '15550001111', to: '15557770009', id: w, timestamp: String(daysAgo), type: 'text', text: { body: 'warm-up' } }] });
      await t.postWebhook(envelope(warm));
      await t.postWebhook(envelope(status({ id: w, status: 'delivered', recipient: '15557770009' })));
      await waitFor(() => added.events.length > 0 && changed.events.length > 0, 1000, 'warm-up events').catch(() => undefined);
    }
    expect(added.events.length && changed.events.length).toBeTruthy();

    for (const b of bodies) expect((await post(b)).status).toBe(200);
    await drained(t.db);
    await waitFor(() => added.events.some((e) => e.messageAdded.text === 'from three days ago'), 10_000, 'the first delivery');
    await waitFor(() => changed.events.some((e) => e.messageStatusChanged.status === 'READ'), 10_000, 'the READ status');
    const contact = await one(`select id, unread_count from contact where wa_id = $1`, [from]);
    await t.gql(`mutation($id: ID!) { markContactRead(id: $id) { id } }`, { id: contact.id });
    const snapshot = async () => ({
      messages: (await t.db.query(`select id, text, status, read_at from message where contact_id = $1 order by id`, [contact.id])).rows,
      statuses: Number((await one(`select count(*)::int as n from message_status_event where wa_message_id = $1`, [echoId])).n),
      unread: (await one(`select unread_count from contact where id = $1`, [contact.id])).unread_count,
    });
    const before = await snapshot();
    expect(before.messages.map((m: any) => [m.text, m.status])).toEqual([['from three days ago', 'RECEIVED'], ['answer from the app', 'READ']]);
    expect(before.statuses).toBe(2);
    const addedBefore = added.events.length;
    const changedBefore = changed.events.length;
    // "Days later": the first copies are old by now.
    await t.db.query(`update webhook_event set received_at = received_at - interval '3 days', processed_at = processed_at - interval '3 days' where body = any($1)`, [bodies]);
    const firstIds = (await t.db.query(`select id from webhook_event where body = any($1)`, [bodies])).rows.length;

    for (const b of bodies) expect((await post(b)).status).toBe(200);
    await drained(t.db);
    // A fresh message after the replay: once it is delivered, anything the replay published would have been too.
    const marker = textMessage({ from, text: 'after the replay' });
    await t.postWebhook(envelope(marker.body));
    await waitFor(() => added.events.some((e) => e.messageAdded.text === 'after the replay'), 10_000, 'the marker');

    expect((await t.db.query(`select id from webhook_event where body = any($1)`, [bodies])).rows.length).toBe(firstIds * 2);
    expect((await t.db.query(`select status from webhook_event where body = any($1) and status <> 'PROCESSED'`, [bodies])).rows).toEqual([]);
    const after = await snapshot();
    expect(after.messages.slice(0, before.messages.length)).toEqual(before.messages);
    expect(after.messages.map((m: any) => m.text)).toEqual([...before.messages.map((m: any) => m.text), 'after the replay']);
    expect(after.statuses).toBe(before.statuses);
    expect(after.unread).toBe(before.unread + 1); // the marker only
    expect(added.events.slice(addedBefore).map((e) => e.messageAdded.text)).toEqual(['after the replay']);
    expect(changed.events.length).toBe(changedBefore);
    added.dispose();
    changed.dispose();
  });
});
