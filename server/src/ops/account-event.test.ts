import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, drained, startTestEnv, type TestEnv } from '../../test/harness.js';
import { ormOptions } from '../db/orm.js';
import { entities } from '../entities.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const alert = (time: number, status: string) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'waba-1', time, changes: [{ field: 'account_alerts', value: { entity_type: 'WABA', entity_id: 'waba-1', alert_type: 'OBA_APPROVED', alert_status: status, alert_severity: 'INFORMATIONAL' } }] }],
});
const rows = async () => (await t.db.query(`select payload->>'alert_status' as status from account_event where field = 'account_alerts' order by id`)).rows.map((r) => r.status);
const lastAlert = async () => (await t.gql(`{ health { lastAccountAlert { status } } }`)).body.data.health.lastAccountAlert.status;

describe('account events', () => {
  it("keep one row per event: Meta's redeliveries add nothing, the same change sent again later is another event", async () => {
    const first = alert(1_780_000_000, 'ACTIVE');
    for (let i = 0; i < 3; i++) expect((await t.postWebhook(first)).status).toBe(200);
    await drained(t.db);
    expect(await rows()).toEqual(['ACTIVE']);
    expect((await t.db.query(`select count(*)::int as n from webhook_event`)).rows[0].n).toBe(3);

    await t.postWebhook(alert(1_780_000_100, 'NONE'));
    await t.postWebhook(alert(1_780_000_200, 'ACTIVE'));
    await t.postWebhook(first);
    await drained(t.db);
    expect(await rows()).toEqual(['ACTIVE', 'NONE', 'ACTIVE']);
    expect(await lastAlert()).toBe('ACTIVE');
  });
});

describe('the retention migration', () => {
  it('folds the copies of one change from byte-identical bodies into the first, and keeps the rest', async () => {
    const url = await createTestDatabase();
    const orm = await MikroORM.init(ormOptions(url, entities));
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await orm.migrator.up({ to: 'Migration20261206100000ClaimCountsAttempts' });
      const body = (status: string, time: number) => Buffer.from(JSON.stringify(alert(time, status)));
      const insert = async (b: Buffer, value: object) => {
        const { rows: [e] } = await db.query(`insert into webhook_event (body, headers, status) values ($1, '{}', 'PROCESSED') returning id`, [b]);
        await db.query(`insert into account_event (field, waba_id, payload, webhook_event_id) values ('account_alerts', 'waba-1', $1, $2)`, [value, e.id]);
      };
      const value = (status: string) => alert(0, status).entry[0]!.changes[0]!.value;
      await insert(body('ACTIVE', 1), value('ACTIVE'));
      await insert(body('ACTIVE', 1), value('ACTIVE')); // a redelivery
      await insert(body('ACTIVE', 1), value('ACTIVE')); // another
      await insert(body('ACTIVE', 2), value('ACTIVE')); // the same change, sent again later
      await insert(body('NONE', 3), value('NONE'));
      await orm.migrator.up();
      const { rows: left } = await db.query(`select id::int, payload->>'alert_status' as status, identity_key from account_event order by id`);
      expect(left.map((r) => [r.id, r.status])).toEqual([[1, 'ACTIVE'], [4, 'ACTIVE'], [5, 'NONE']]);
      expect(new Set(left.map((r) => r.identity_key)).size).toBe(3);
    } finally {
      await db.end();
      await orm.close();
    }
  });
});
