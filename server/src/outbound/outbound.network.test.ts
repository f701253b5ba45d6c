import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../simulator/src/simulator.js';
import { freePort } from '../db/embedded.js';
import { APP_SECRET, openContacts, PHONE_NUMBER_ID, startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';

let t: TestEnv;
let port: number;
let late: RunningSimulator | undefined;
beforeAll(async () => {
  port = await freePort();
  // Meta unreachable at first: nothing listens on the Graph API port yet.
  t = await startTestEnv({ env: { WHATSAPP_API_BASE_URL: `http://127.0.0.1:${port}`, SEND_WAIT_MS: '0' } });
});
afterAll(async () => {
  await t?.close();
  await late?.close();
});

describe('network errors', () => {
  it('a send that could not reach the Graph API is retried with backoff and goes out once it is back', async () => {
    const [c] = await openContacts(t.db, 1, '1881');
    const sent = await t.gql(`mutation($c: ID!) { sendMessage(input: { contactId: $c, text: "are you there" }) { id } }`, { c });
    const id = sent.body.data.sendMessage.id;
    // Refused connection: certainly not sent, so queued again rather than failed or left in doubt.
    const row = await waitFor(async () => {
      const r = (await t.db.query(`select status, send_state, send_attempts from message where id = $1`, [id])).rows[0];
      return r.send_attempts >= 1 && r.send_state !== 'SENDING' ? r : null;
    }, 5000, 'a first attempt');
    expect(row).toEqual({ status: 'PENDING', send_state: 'QUEUED', send_attempts: 1 });
    late = await startSimulator({ appSecret: APP_SECRET, accessToken: 'graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-1', port, log: () => undefined });
    late.setWebhookUrl(`${t.app.url}/api/whatsapp/webhook`);
    await waitFor(() => late!.sent.length === 1, 15_000, 'the retried send');
    await waitFor(async () => (await t.db.query(`select status from message where id = $1`, [id])).rows[0].status === 'READ', 10_000, 'READ');
    expect(late.sent[0]!.body).toMatchObject({ text: { body: 'are you there' }, biz_opaque_callback_data: `inbox:${id}` });
  });
});
