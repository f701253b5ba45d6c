import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, SESSION_SECRET, startTestEnv, TEST_TOKEN, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, value, wamid } from '../../test/payloads.js';
import { MediaUrls } from './media.url.js';

let t: TestEnv;
// A dot-folder, as the default DATA_DIR (./.data) is.
const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-media-')), '.data');
beforeAll(async () => {
  t = await startTestEnv({ env: { DATA_DIR: dataDir, MEDIA_DOWNLOAD_ATTEMPTS: '3', MEDIA_RETRY_DELAY_SECONDS: '1' } });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(2048)]);

/** An inbound image webhook for bytes the simulator holds; resolves with our message id. */
async function inboundImage(bytes: Buffer, caption = 'look') {
  const mediaId = t.sim.addMedia(bytes, 'image/png');
  const { waMessageId } = await t.sim.injectInbound({ from: '15557654321', message: { image: { id: mediaId, mime_type: 'image/png', sha256: sha(bytes), caption } } });
  const row = await waitFor(async () => (await t.db.query(`select id from message where wa_message_id = $1`, [waMessageId])).rows[0], 10_000, 'the message');
  return { messageId: String(row.id), mediaId };
}
/** Scripted download failures are consumed in order: nothing else may be downloading meanwhile. */
const idle = () => waitFor(async () => (await t.db.query(`select count(*)::int as n from media where status = 'PENDING'`)).rows[0].n === 0, 25_000, 'idle downloads');
const media = async (messageId: string) => (await t.db.query(`select * from media where message_id = $1`, [messageId])).rows[0];
const settled = (messageId: string) =>
  waitFor(async () => {
    const m = await media(messageId);
    return m && m.status !== 'PENDING' ? m : null;
  }, 25_000, 'the download to settle');
const gqlMedia = async (messageId: string) => {
  const res = await t.gql(`{ messages(first: 20) { edges { node { id text media { id mimeType url downloadStatus downloadError fileSize } } } } }`);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.messages.edges.find((e: any) => e.node.id === messageId)?.node;
};

describe('inbound media', () => {
  it('is downloaded soon after the webhook, checked and served with its type to authenticated users', async () => {
    const { messageId, mediaId } = await inboundImage(png);
    const m = await settled(messageId);
    expect(m).toMatchObject({ status: 'DOWNLOADED', attempts: 1, sha256: sha(png), size: png.length, mime_type: 'image/png', last_error: null });
    expect(fs.readFileSync(path.join(dataDir, 'media', m.path))).toEqual(png);

    const node = await gqlMedia(messageId);
    expect(node).toMatchObject({ text: 'look', media: { id: mediaId, mimeType: 'image/png', downloadStatus: 'DOWNLOADED', fileSize: png.length } });
    expect(node.media.url).toMatch(new RegExp(`^/api/media/${messageId}\\?exp=\\d+&sig=[\\w-]{43}$`));
    const res = await fetch(`${t.app.url}/api/media/${messageId}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
  });

  it('answers 401 without a valid token and 404 for messages without a downloaded file', async () => {
    const { messageId } = await inboundImage(png);
    await settled(messageId);
    expect((await fetch(`${t.app.url}/api/media/${messageId}`)).status).toBe(401);
    expect((await fetch(`${t.app.url}/api/media/${messageId}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${t.app.url}/api/media/999999999`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${t.app.url}/api/media/not-a-number`, { headers: auth })).status).toBe(404);
  });

  it('serves documents as attachments under their own (UTF-8) file name', async () => {
    const pdf = Buffer.from('%PDF-1.4 report');
    const mediaId = t.sim.addMedia(pdf, 'application/pdf');
    const { waMessageId } = await t.sim.injectInbound({ message: { document: { id: mediaId, mime_type: 'application/pdf', sha256: sha(pdf), filename: 'Отчёт "Q1".pdf' } } });
    const row = await waitFor(async () => (await t.db.query(`select id from message where wa_message_id = $1`, [waMessageId])).rows[0]);
    const messageId = String(row.id);
    expect(await settled(messageId)).toMatchObject({ status: 'DOWNLOADED', path: `${messageId}.pdf` });
    const res = await fetch(`${t.app.url}/api/media/${messageId}`, { headers: auth });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="_____ _Q1_.pdf"; filename*=UTF-8''${encodeURIComponent('Отчёт "Q1".pdf')}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(pdf);
  });

  it('retries a failed download on its own (404 until then)', async () => {
    await idle();
    t.sim.failMediaDownloads(1);
    const { messageId } = await inboundImage(png, 'retry me');
    const first = await waitFor(async () => ((await media(messageId))?.attempts === 1 ? media(messageId) : null), 10_000, 'the first attempt');
    expect(first).toMatchObject({ status: 'PENDING', last_error: expect.stringContaining('(#1)') });
    expect((await fetch(`${t.app.url}/api/media/${messageId}`, { headers: auth })).status).toBe(404);
    expect((await gqlMedia(messageId)).media).toMatchObject({ url: null, downloadStatus: 'PENDING' });
    expect(await settled(messageId)).toMatchObject({ status: 'DOWNLOADED', attempts: 2, last_error: null });
    expect((await fetch(`${t.app.url}/api/media/${messageId}`, { headers: auth })).status).toBe(200);
  });

  it('a sha256 mismatch is a failure: retried, then FAILED with the error kept; the message stays', async () => {
    await idle();
    t.sim.failMediaDownloads(3, 'corrupt');
    const { messageId } = await inboundImage(png, 'corrupted');
    const m = await settled(messageId);
    expect(m).toMatchObject({ status: 'FAILED', attempts: 3, path: null, last_error: expect.stringContaining('sha256 mismatch') });
    const node = await gqlMedia(messageId);
    expect(node).toMatchObject({ text: 'corrupted', media: { url: null, downloadStatus: 'FAILED', downloadError: expect.stringContaining('sha256') } });
    expect(fs.readdirSync(path.join(dataDir, 'media')).filter((f) => f.startsWith('.'))).toEqual([]); // no partial files left
    const res = await fetch(`${t.app.url}/api/media/${messageId}`, { headers: auth });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/failed/);
  });

  it('a duplicate webhook delivery queues nothing new', async () => {
    const mediaId = t.sim.addMedia(png, 'image/png');
    const id = wamid();
    const body = envelope(value({
      contacts: [{ profile: { name: 'Dup' }, wa_id: '15550009999' }],
      messages: [{ from: '15550009999', id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image: { id: mediaId, mime_type: 'image/png', sha256: sha(png) } }],
    }));
    await t.postWebhook(body);
    await t.postWebhook(body);
    await drained(t.db);
    const { rows } = await t.db.query(`select m.status from media m join message g on g.id = m.message_id where g.wa_message_id = $1`, [id]);
    expect(rows).toHaveLength(1);
    await waitFor(async () => (await t.gql(`{ health { mediaBacklog } }`)).body.data.health.mediaBacklog === 0, 15_000, 'an empty backlog');
  });
});

describe('signed media URLs', () => {
  /** A downloaded image and the url the API gives for it. */
  let messageId: string;
  let url: string;
  beforeAll(async () => {
    ({ messageId } = await inboundImage(png, 'signed'));
    await settled(messageId);
    url = (await gqlMedia(messageId)).media.url;
  });
  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${t.app.url}${p}`, { headers });
  /** The status and JSON error of a refused request. */
  const refusal = async (p: string) => {
    const res = await get(p);
    const text = await res.text();
    return { status: res.status, error: (JSON.parse(text) as { error: string }).error, text };
  };

  it('open the file without any credential, as an <img src> would', async () => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
  });

  it('last at least ten minutes (at most fifteen)', async () => {
    const exp = Number(new URL(url, t.app.url).searchParams.get('exp'));
    const now = Date.now() / 1000;
    expect(exp - now).toBeGreaterThanOrEqual(600 - 5);
    expect(exp - now).toBeLessThanOrEqual(900 + 5);
  });

  it('are refused once expired, saying so', async () => {
    // Signed as the server signs (the test's SESSION_SECRET), with an expiry a second ago.
    const expired = new MediaUrls([SESSION_SECRET]).signUntil(messageId, Math.floor(Date.now() / 1000) - 1);
    const r = await refusal(expired);
    expect(r.status).toBe(401);
    expect(r.error).toMatch(/expired/);
    // A URL that is still valid works, signed the same way: the refusal above was the expiry.
    expect((await get(new MediaUrls([SESSION_SECRET]).signUntil(messageId, Math.floor(Date.now() / 1000) + 60))).status).toBe(200);
  });

  it('expire by the clock: valid before, refused after', () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const urls = new MediaUrls([SESSION_SECRET], { now: () => now, ttlSeconds: 60 });
    const q = new URL(urls.sign('42'), 'http://x').searchParams;
    expect(urls.verify('42', q.get('exp'), q.get('sig'))).toEqual({ ok: true });
    now += 59_000;
    expect(urls.verify('42', q.get('exp'), q.get('sig'))).toEqual({ ok: true });
    now = Number(q.get('exp')) * 1000;
    expect(urls.verify('42', q.get('exp'), q.get('sig'))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('stay the same for a while, so the browser cache (keyed by the whole URL) keeps serving the file', () => {
    let now = Date.parse('2026-03-01T12:00:01Z');
    const urls = new MediaUrls([SESSION_SECRET], { now: () => now });
    const first = urls.sign('42');
    now += 4 * 60_000 + 59_000;
    expect(urls.sign('42')).toBe(first);
    now += 1000; // five minutes on: the next step
    const next = urls.sign('42');
    expect(next).not.toBe(first);
    expect(Number(new URL(next, 'http://x').searchParams.get('exp')) * 1000 - now).toBeGreaterThanOrEqual(600_000);
  });

  it('are refused when the expiry, the signature or the message id is changed, without echoing the signature', async () => {
    const u = new URL(url, t.app.url);
    const exp = u.searchParams.get('exp')!;
    const sig = u.searchParams.get('sig')!;
    const other = (await inboundImage(png, 'another')).messageId;
    await settled(other);
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    for (const p of [
      `/api/media/${messageId}?exp=${Number(exp) + 86_400}&sig=${sig}`, // a longer life
      `/api/media/${messageId}?exp=${exp}&sig=${flipped}`,
      `/api/media/${other}?exp=${exp}&sig=${sig}`, // another message's file
      `/api/media/${messageId}?exp=${exp}`,
      `/api/media/${messageId}?sig=${sig}`,
      `/api/media/${messageId}?exp=soon&sig=${sig}`,
      // Signed with a secret the server does not have.
      new MediaUrls(['some-other-secret-of-at-least-32-characters']).sign(messageId),
    ]) {
      const r = await refusal(p);
      expect(r.status, p).toBe(401);
      expect(r.error, p).toMatch(/not validly signed/);
      expect(r.text).not.toContain(sig);
      expect(r.text).not.toContain(flipped);
    }
  });

  it('verify with every SESSION_SECRET, so rotating it keeps URLs given out valid', async () => {
    const rotated = new MediaUrls(['the-new-secret-of-at-least-32-characters!!', SESSION_SECRET]);
    const q = new URL(url, t.app.url).searchParams;
    expect(rotated.verify(messageId, q.get('exp'), q.get('sig'))).toEqual({ ok: true });
    expect(new MediaUrls(['the-new-secret-of-at-least-32-characters!!']).verify(messageId, q.get('exp'), q.get('sig'))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('?token= is no longer accepted, not even a valid one', async () => {
    for (const p of [`/api/media/${messageId}?token=${TEST_TOKEN}`, `${url}&token=${TEST_TOKEN}`]) {
      const r = await refusal(p);
      expect(r.status).toBe(401);
      expect(r.error).toMatch(/tokens in URLs are not accepted/);
      expect(r.text).not.toContain(TEST_TOKEN);
    }
  });

  it('are given only to callers who may read, and can be asked for again', async () => {
    const created = await t.gql(`mutation { createApiKey(input: { name: "sender", scopes: [SEND] }) { key } }`);
    const sendOnly = created.body.data.createApiKey.key;
    // A key that may send but not read sees the quoted image's state, not a URL that would open it.
    const { rows: [{ contact_id: contactId }] } = await t.db.query(`select contact_id::text from message where id = $1`, [messageId]);
    const sent = await t.gql(
      `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id replyTo { id media { downloadStatus url } } } }`,
      { input: { contactId, text: 'nice shelf', replyToMessageId: messageId } },
      sendOnly,
    );
    expect(sent.body.data.sendMessage.replyTo).toEqual({ id: messageId, media: { downloadStatus: 'DOWNLOADED', url: null } });
    expect(sent.body.errors?.map((e: any) => [e.path.join('.'), e.extensions.code])).toEqual([['sendMessage.replyTo.media.url', 'FORBIDDEN']]);
    const fresh = await t.gql(`query($id: ID!) { mediaUrl(messageId: $id) }`, { id: messageId });
    expect(fresh.body.data.mediaUrl).toMatch(new RegExp(`^/api/media/${messageId}\\?exp=\\d+&sig=`));
    expect((await get(fresh.body.data.mediaUrl)).status).toBe(200);
    const refused = await t.gql(`query($id: ID!) { mediaUrl(messageId: $id) }`, { id: messageId }, sendOnly);
    expect(refused.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(refused.body.data?.mediaUrl ?? null).toBeNull();
    expect((await t.gql(`{ mediaUrl(messageId: "999999999") }`)).body.data.mediaUrl).toBeNull();
    expect((await t.gql(`{ mediaUrl(messageId: "x") }`)).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('upload', () => {
  const graphGet = async (p: string) => fetch(`${t.sim.url}/v25.0/${p}`, { headers: { authorization: 'Bearer graph-token' } });
  const heldBySimulator = async (id: string) => {
    const meta = await (await graphGet(id)).json();
    const file = await fetch(meta.url, { headers: { authorization: 'Bearer graph-token' } });
    return { meta, bytes: Buffer.from(await file.arrayBuffer()) };
  };

  it('sends raw bytes to Meta and answers its media id', async () => {
    const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), randomBytes(4000)]);
    const res = await fetch(`${t.app.url}/api/media?filename=photo.jpg`, { method: 'POST', headers: { ...auth, 'content-type': 'image/jpeg' }, body: new Uint8Array(jpeg) });
    expect(res.status).toBe(200);
    const { id, size } = await res.json();
    expect(size).toBe(jpeg.length);
    const held = await heldBySimulator(id);
    expect(held.meta).toMatchObject({ mime_type: 'image/jpeg', sha256: sha(jpeg), file_size: jpeg.length });
    expect(held.bytes).toEqual(jpeg);
    const call = t.sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/media'));
    expect(call?.body).toMatchObject({ messaging_product: 'whatsapp', type: 'image/jpeg', file: { filename: 'photo.jpg', size: jpeg.length } });
  });

  it('takes multipart form data too', async () => {
    const pdf = Buffer.from('%PDF-1.4 hello');
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'terms.pdf');
    const res = await fetch(`${t.app.url}/api/media`, { method: 'POST', headers: auth, body: form });
    expect(res.status).toBe(200);
    const { id, mimeType } = await res.json();
    expect(mimeType).toBe('application/pdf');
    expect((await heldBySimulator(id)).bytes).toEqual(pdf);
  });

  it('refuses without auth, unsupported types and files over Meta’s size for their type', async () => {
    const post = (headers: Record<string, string>, body: Buffer) => fetch(`${t.app.url}/api/media`, { method: 'POST', headers, body: new Uint8Array(body) });
    expect((await post({ 'content-type': 'image/png' }, png)).status).toBe(401);
    expect((await post({ ...auth, 'content-type': 'text/html' }, Buffer.from('<script>'))).status).toBe(415);
    expect((await post({ ...auth, 'content-type': 'image/png' }, Buffer.alloc(5 * 1024 * 1024 + 1))).status).toBe(413);
    expect((await post({ ...auth, 'content-type': 'image/webp' }, Buffer.alloc(600 * 1024))).status).toBe(413);
    expect((await post({ ...auth, 'content-type': 'image/png' }, Buffer.alloc(0))).status).toBe(400);
  });
});
