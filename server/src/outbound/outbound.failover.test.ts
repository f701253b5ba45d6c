import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, openContacts, startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { gqlAt, spawnServer, type ServerProcess } from '../../test/process.js';

const N = 80;
const env = { WHATSAPP_MAX_MESSAGES_PER_SECOND: '10' };
/** ARCHITECTURE.md's Processes: another process dispatches within about 2 s of the leader's death; room for a busy machine. */
const TAKEOVER_MS = 10_000;

let t: TestEnv; // provides the simulator and a database; its own app stays out of the way (dispatching is leader-only)
beforeAll(async () => {
  t = await startTestEnv({ databaseUrl: await createTestDatabase(), sim: { statusDelaysMs: { sent: 30, delivered: 60, read: 90 } } });
});
afterAll(() => t?.close());


describe('the dispatching process killed mid-campaign while another runs', () => {
  it('the other takes over; no recipient gets the message twice', { timeout: 180_000 }, async () => {
    await t.app.services.outbound.stop(); // only the spawned processes may dispatch
    const contacts = await openContacts(t.db, N, '1882');
    let leader: ServerProcess | undefined = await spawnServer(t.databaseUrl, t.sim.url, env);
    let other: ServerProcess | undefined;
    try {
      await waitFor(() => /this process dispatches/.test(leader!.output()), 10_000, 'leadership');
      other = await spawnServer(t.databaseUrl, t.sim.url, env);
      t.sim.setWebhookUrl(`${other.url}/api/whatsapp/webhook`); // statuses of the leader's sends reach the survivor
      t.sim.setLatency(250); // sends are on the wire when the leader dies: Meta takes them, the leader never hears
      const res = await gqlAt(other.url, `mutation($input: SendBulkMessageInput!) { sendBulkMessage(input: $input) { id total failed } }`, {
        input: { name: 'failover', text: 'campaign', recipients: contacts.map((contactId) => ({ contactId })) },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data.sendBulkMessage).toMatchObject({ total: N, failed: 0 });
      await waitFor(() => t.sim.sent.length >= N / 4, 20_000, 'a quarter sent');
      leader.child.kill('SIGKILL');
      await leader.exited;
      const sentAtKill = t.sim.sent.length;
      expect(sentAtKill).toBeLessThan(N);
      expect(other.output()).not.toMatch(/this process dispatches/);

      await waitFor(() => /this process dispatches/.test(other!.output()), TAKEOVER_MS, 'the other process to take over');
      // Every message left the queue: sent, or claimed by the dead leader and never heard of at Meta (UNKNOWN, never sent again by itself).
      await waitFor(async () => {
        const { rows } = await t.db.query(`select count(*)::int as n from message where bulk_send_id = $1 and wa_message_id is null and send_state in ('QUEUED', 'SENDING')`, [res.data.sendBulkMessage.id]);
        return rows[0].n === 0;
      }, 120_000, 'every message settled');
      expect(t.sim.sent.length).toBeGreaterThan(sentAtKill);

      const perRecipient = new Map<string, string[]>();
      for (const s of t.sim.sent) perRecipient.set(s.to, [...(perRecipient.get(s.to) ?? []), s.waMessageId]);
      expect([...perRecipient].filter(([, sends]) => sends.length > 1)).toEqual([]);
      const { rows } = await t.db.query(
        `select c.wa_id, m.wa_message_id, m.status from message m join contact c on c.id = m.contact_id where m.bulk_send_id = $1`,
        [res.data.sendBulkMessage.id],
      );
      expect(rows).toHaveLength(N);
      for (const m of rows) {
        // A recipient Meta got the message for has it recorded under Meta's id; one it never reached has no id (an unknown outcome).
        expect(m.wa_message_id ?? null).toBe(perRecipient.get(m.wa_id)?.[0] ?? null);
        expect(m.status).toMatch(m.wa_message_id ? /^(PENDING|SENT|DELIVERED|READ)$/ : /^UNKNOWN$/);
      }
    } finally {
      await leader?.kill();
      await other?.kill();
    }
  });
});
