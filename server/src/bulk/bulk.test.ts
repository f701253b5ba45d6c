import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openContacts, startTestEnv, subscribe, waitFor, type TestEnv } from '../../test/harness.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv({ env: { WHATSAPP_MAX_MESSAGES_PER_SECOND: '10' } });
  // The simulator's templates: order_update (APPROVED, "Hi {{1}}, your order {{2}} has shipped.") and spring_sale (PENDING).
  const synced = await t.gql(`mutation { syncTemplates { name status } }`);
  expect(synced.body.data.syncTemplates).toContainEqual({ name: 'order_update', status: 'APPROVED' });
});
afterAll(() => t?.close());
beforeEach(() => t.sim.reset());

const FIELDS = `id name status total queued sent delivered read failed cancelled`;
const BULK = `mutation($input: SendBulkMessageInput!) { sendBulkMessage(input: $input) { ${FIELDS} } }`;
const progress = async (id: string) => (await t.gql(`query($id: ID!) { bulkSend(id: $id) { ${FIELDS} } }`, { id })).body.data.bulkSend;

describe('sendBulkMessage', () => {
  it('sends a text to each distinct recipient with an open window, and says why the others got none', async () => {
    const open = await openContacts(t.db, 3, '1901');
    const { rows } = await t.db.query(
      `insert into contact (wa_id, last_inbound_at, is_blocked) values ('19020000001', now() - interval '2 days', false), ('19020000002', now(), true) returning id`,
    );
    const [closed, blocked] = rows.map((r) => r.id);
    const client = t.ws();
    const res = await t.gql(BULK, { input: { name: 'spring', text: 'Hello!', recipients: [...open, open[0], closed, blocked].map((contactId) => ({ contactId })) } });
    const bulk = res.body.data.sendBulkMessage;
    expect(bulk).toMatchObject({ name: 'spring', total: 5, failed: 2, status: 'RUNNING' });
    const live = subscribe(client, `subscription($id: ID!) { bulkSendProgress(id: $id) { ${FIELDS} } }`, { id: bulk.id });
    await waitFor(async () => (await progress(bulk.id)).read === 3, 10_000, 'all read');
    expect(await progress(bulk.id)).toMatchObject({ status: 'COMPLETED', queued: 0, sent: 3, delivered: 3, read: 3, failed: 2, cancelled: 0 });
    expect(t.sim.sent.map((s) => (s.body as any).text.body)).toEqual(['Hello!', 'Hello!', 'Hello!']);
    const reasons = await t.db.query(`select contact_id, error_title from message where bulk_send_id = $1 and status = 'FAILED' order by contact_id`, [bulk.id]);
    expect(reasons.rows).toEqual([
      { contact_id: closed, error_title: 'Outside the 24-hour customer-service window' },
      { contact_id: blocked, error_title: 'Contact blocked' },
    ]);
    await waitFor(() => live.events.some((e) => e.bulkSendProgress.read === 3), 5000, 'live progress');
    const reads = live.events.map((e) => e.bulkSendProgress.read);
    expect(reads).toEqual([...reads].sort((a, b) => a - b)); // progress never goes back
    live.dispose();
  });

  it('sends a template with each recipient’s parameters, to new phone numbers too, outside any window', async () => {
    const res = await t.gql(BULK, {
      input: {
        template: { name: 'order_update', language: 'en_US' },
        recipients: [
          { to: '+1 903 000 0001', parameters: ['Ada', '#1'] },
          { to: '19030000002', parameters: ['Bob', '#2'] },
        ],
      },
    });
    expect(res.body.errors).toBeUndefined();
    await waitFor(() => t.sim.sent.length === 2, 10_000, 'two sends');
    const bodies = t.sim.sent.map((s) => s.body as any).sort((a, b) => a.to.localeCompare(b.to));
    expect(bodies.map((b) => [b.to, b.template.components[0].parameters.map((p: any) => p.text)])).toEqual([
      ['19030000001', ['Ada', '#1']],
      ['19030000002', ['Bob', '#2']],
    ]);
    const { rows } = await t.db.query(`select text from message where bulk_send_id = $1 order by text`, [res.body.data.sendBulkMessage.id]);
    expect(rows.map((r) => r.text)).toEqual(['Hi Ada, your order #1 has shipped.', 'Hi Bob, your order #2 has shipped.']);
  });

  it('refuses bad campaigns before anything is stored', async () => {
    const before = (await t.db.query(`select count(*)::int as n from bulk_send`)).rows[0].n;
    const cases = [
      { template: { name: 'order_update', language: 'en_US' }, recipients: [{ to: '19040000001', parameters: ['only one'] }] },
      { template: { name: 'spring_sale', language: 'en_US' }, recipients: [{ to: '19040000001' }] },
      { text: 'hi', template: { name: 'order_update', language: 'en_US' }, recipients: [{ to: '19040000001' }] },
      { text: 'hi', recipients: [] },
      { text: 'hi', recipients: [{ to: 'not-a-number' }] },
      { text: 'hi', recipients: [{ contactId: '99999999' }] },
    ];
    for (const input of cases) {
      const r = await t.gql(BULK, { input });
      expect(r.body.errors?.[0].extensions.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    expect((await t.gql(BULK, { input: cases[0] })).body.errors?.[0].message).toMatch(/recipient 0: .*2 parameters/);
    expect((await t.db.query(`select count(*)::int as n from bulk_send`)).rows[0].n).toBe(before);
    expect(t.sim.sent).toHaveLength(0);
  });

  it('a repeated clientBulkId returns the first bulk send', async () => {
    const [c] = await openContacts(t.db, 1, '1905');
    const input = { text: 'once', clientBulkId: 'campaign-7', recipients: [{ contactId: c }] };
    const a = await t.gql(BULK, { input });
    const b = await t.gql(BULK, { input });
    expect(b.body.data.sendBulkMessage.id).toBe(a.body.data.sendBulkMessage.id);
    await waitFor(() => t.sim.sent.length === 1, 5000, 'one send');
    await new Promise((r) => setTimeout(r, 300));
    expect(t.sim.sent).toHaveLength(1);
  });

  it('pauses, resumes and cancels', async () => {
    const contacts = await openContacts(t.db, 40, '1906');
    const bulk = (await t.gql(BULK, { input: { text: 'news', recipients: contacts.map((contactId) => ({ contactId })) } })).body.data.sendBulkMessage;
    await waitFor(() => t.sim.sent.length >= 5, 10_000, 'some sent');
    expect((await t.gql(`mutation($id: ID!) { pauseBulkSend(id: $id) { status } }`, { id: bulk.id })).body.data.pauseBulkSend.status).toBe('PAUSED');
    await new Promise((r) => setTimeout(r, 700)); // sends already on the wire finish
    const atPause = t.sim.sent.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(t.sim.sent.length).toBe(atPause);
    expect(atPause).toBeLessThan(40);
    await t.gql(`mutation($id: ID!) { resumeBulkSend(id: $id) { status } }`, { id: bulk.id });
    await waitFor(() => t.sim.sent.length >= atPause + 5, 10_000, 'sending again');
    const cancelled = (await t.gql(`mutation($id: ID!) { cancelBulkSend(id: $id) { status cancelled } }`, { id: bulk.id })).body.data.cancelBulkSend;
    expect(cancelled.status).toBe('CANCELLED');
    await new Promise((r) => setTimeout(r, 1000));
    const final = await progress(bulk.id);
    expect(final.cancelled).toBeGreaterThan(0);
    expect(t.sim.sent.length).toBe(40 - final.cancelled);
    expect(new Set(t.sim.sent.map((s) => s.to)).size).toBe(t.sim.sent.length); // nobody twice
    expect(final.queued).toBe(0);
  });
});
