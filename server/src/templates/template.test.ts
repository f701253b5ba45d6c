import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTemplates, type SimTemplate } from '../../../simulator/src/simulator.js';
import { drained, startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope } from '../../test/payloads.js';
import { Template } from './template.entity.js';
import { templateParameterNames } from './template.service.js';

const many: SimTemplate[] = Array.from({ length: 60 }, (_, i) => ({
  id: String(5_000_000_000_000 + i),
  name: `bulk_${String(i).padStart(2, '0')}`,
  language: i % 2 ? 'en_US' : 'de_DE',
  status: i % 3 === 0 ? 'PENDING' : 'APPROVED',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: i % 5 === 0 ? 'Hi {{first_name}}, {{order}} is ready, {{first_name}}' : 'Hi {{1}}, your order {{2}}' }],
}));

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv({ sim: { templates: [...defaultTemplates(), ...many] } });
  await waitFor(() => t.app.services.templates.lastSyncedAt, 15_000, 'the start-up template sync');
});
afterAll(() => t?.close());

const TEMPLATE_FIELDS = 'name language status category quality rejectedReason components parameters { format header body }';
const templates = async (args = '') => {
  const res = await t.gql(`{ templates${args} { ${TEMPLATE_FIELDS} } }`);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.templates as Array<Record<string, any>>;
};
const repository = () => t.app.orm.em.fork().getRepository(Template);
const one = async (name: string, language = 'en_US') =>
  (await t.db.query(`select * from template where name = $1 and language = $2`, [name, language])).rows[0];

describe('template sync', () => {
  it('loads every template at start, across pages, without blocking the app', async () => {
    expect(await templates()).toHaveLength(67);
    const health = await t.gql(`{ health { templatesSyncedAt templateSyncError } }`);
    expect(health.body.data.health).toMatchObject({ templatesSyncedAt: expect.any(String), templateSyncError: null });
  });

  it('pages through paging.cursors.after until Meta gives no next page', async () => {
    t.sim.reset();
    const result = await t.app.services.templates.sync({ pageSize: 25 });
    expect(result).toEqual({ count: 67, deleted: 0, pages: 3 });
    const calls = t.sim.requests.filter((r) => r.path.includes('/message_templates'));
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => new URL(c.path, 'http://x').searchParams.has('after'))).toEqual([false, true, true]);
  });

  it('keeps status, category, components and parameters; filters by status, name and language', async () => {
    const [order] = await templates(`(name: "order_update")`);
    expect(order).toMatchObject({
      language: 'en_US', status: 'APPROVED', category: 'UTILITY',
      parameters: { format: 'POSITIONAL', header: [], body: ['1', '2'] },
    });
    expect(order!.components[0]).toMatchObject({ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' });
    expect((await templates(`(status: "pending")`)).map((x) => x.name)).toContain('spring_sale');
    expect(await templates(`(status: "PENDING")`)).toHaveLength(21);
    expect(await templates(`(name: "BULK_", language: "de-DE")`)).toHaveLength(30);
    const [named] = await templates(`(name: "bulk_00")`);
    expect(named!.parameters).toEqual({ format: 'NAMED', header: [], body: ['first_name', 'order'] });
  });

  it('syncTemplates reloads on demand: new ones appear, ones Meta dropped become DELETED', async () => {
    const dropped = t.sim.templates.findIndex((x) => x.name === 'bulk_59');
    t.sim.templates.splice(dropped, 1);
    t.sim.templates.push({ id: '7000000000000001', name: 'fresh_one', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'New {{1}}' }] });
    const res = await t.gql(`mutation { syncTemplates { name status } }`);
    expect(res.body.errors).toBeUndefined();
    const names = res.body.data.syncTemplates.map((x: { name: string }) => x.name);
    expect(names).toContain('fresh_one');
    expect(names).not.toContain('bulk_59');
    expect((await templates(`(status: "DELETED")`)).map((x) => x.name)).toEqual(['bulk_59']);
    expect((await t.gql(`mutation { syncTemplates { name } }`, {}, null)).status).toBe(401);
  });
});

describe('template webhooks', () => {
  it('a status update changes the template in the webhook transaction', async () => {
    expect((await t.sim.setTemplateStatus('order_update', 'en_US', 'PAUSED')).status).toBe(200);
    await waitFor(async () => (await one('order_update')).status === 'PAUSED', 10_000, 'the PAUSED status');
    expect(await repository().findApproved('order_update', 'en_US')).toBeNull();
    await t.sim.setTemplateStatus('win_big', 'en_US', 'REJECTED', 'INCORRECT_CATEGORY');
    await waitFor(async () => (await one('win_big')).rejected_reason === 'INCORRECT_CATEGORY');
    const events = await t.db.query(`select count(*)::int as n from account_event where field = 'message_template_status_update'`);
    expect(events.rows[0].n).toBe(2); // still kept as account events
    await t.sim.setTemplateStatus('order_update', 'en_US', 'APPROVED');
    await waitFor(async () => (await one('order_update')).status === 'APPROVED');
  });

  it('quality and category updates change their fields', async () => {
    const hello = { message_template_id: 1000000000000001, message_template_name: 'hello_world', message_template_language: 'en_US' };
    await t.postWebhook(envelope(
      { field: 'message_template_quality_update', value: { ...hello, previous_quality_score: 'GREEN', new_quality_score: 'YELLOW' } },
      { field: 'template_category_update', value: { ...hello, correct_category: 'MARKETING', new_category: 'UTILITY' } },
    ));
    await drained(t.db);
    expect(await one('hello_world')).toMatchObject({ quality: 'YELLOW', category: 'UTILITY' }); // an impending change waits
    await t.postWebhook(envelope({ field: 'template_category_update', value: { ...hello, previous_category: 'UTILITY', new_category: 'MARKETING' } }));
    await drained(t.db);
    expect(await one('hello_world')).toMatchObject({ category: 'MARKETING' });
  });

  it('a webhook about a template we do not have yet triggers a sync', async () => {
    t.sim.templates.push({ id: '7000000000000002', name: 'made_elsewhere', language: 'es', status: 'PENDING', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola' }] });
    await t.sim.setTemplateStatus('made_elsewhere', 'es', 'APPROVED');
    await waitFor(async () => (await one('made_elsewhere', 'es'))?.status === 'APPROVED', 10_000, 'the sync after the webhook');
  });
});

describe('helpers for sends', () => {
  it('the repository finds APPROVED templates only, by language as Meta or BCP 47 writes it', async () => {
    const templates = repository();
    const viaEm = await templates.findApproved('hello_world', 'en_US');
    expect(viaEm).toBeInstanceOf(Template);
    expect(viaEm).toMatchObject({ waId: '1000000000000001', name: 'hello_world', language: 'en_US' });
    const bcp47 = await repository().findApproved('hello_world', 'en-US');
    expect(bcp47).toBeInstanceOf(Template);
    expect(bcp47).toMatchObject({ name: 'hello_world', status: 'APPROVED', components: expect.any(Array), updatedAt: expect.any(Date) });
    expect(await templates.findApproved('spring_sale', 'en_US')).toBeNull();
    expect(await templates.findApproved('nope', 'en_US')).toBeNull();
  });

  it('templateParameterNames lists header and body placeholders, positional or named', () => {
    expect(templateParameterNames([
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
      { type: 'BODY', text: 'Hi {{1}}, {{2}} and {{ 2 }} again' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', url: 'https://x/{{1}}' }] },
    ])).toEqual({ format: 'POSITIONAL', headerFormat: 'TEXT', header: ['1'], body: ['1', '2'] });
    expect(templateParameterNames([{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'Hi {{first_name}}' }]))
      .toEqual({ format: 'NAMED', headerFormat: 'IMAGE', header: [], body: ['first_name'] });
    expect(templateParameterNames(null)).toEqual({ format: 'POSITIONAL', headerFormat: null, header: [], body: [] });
  });
});

describe('health', () => {
  it('shows the latest quality, alert and capability webhooks', async () => {
    await t.postWebhook(envelope(
      { field: 'phone_number_quality_update', value: { display_phone_number: '15550001111', event: 'DOWNGRADE', old_limit: 'TIER_10K', current_limit: 'TIER_1K' } },
      { field: 'account_alerts', value: { entity_type: 'WABA', entity_id: 'waba-1', alert_severity: 'CRITICAL', alert_status: 'ACTIVE', alert_type: 'OBA_REJECTED', alert_description: 'x' } },
      { field: 'business_capability_update', value: { max_daily_conversations_per_business: 'TIER_2K', max_phone_numbers_per_business: 2 } },
    ));
    await drained(t.db);
    const res = await t.gql(`{ health { phoneNumberQuality { event currentLimit previousLimit at } lastAccountAlert { type severity status entityType } businessCapability mediaBacklog } }`);
    expect(res.body.data.health).toMatchObject({
      phoneNumberQuality: { event: 'DOWNGRADE', currentLimit: 'TIER_1K', previousLimit: 'TIER_10K' },
      lastAccountAlert: { type: 'OBA_REJECTED', severity: 'CRITICAL', status: 'ACTIVE', entityType: 'WABA' },
      businessCapability: { max_daily_conversations_per_business: 'TIER_2K' },
      mediaBacklog: 0,
    });
  });

  it('a failing start-up sync is logged and shown in health; the app still starts', async () => {
    const broken = await startTestEnv({ env: { WHATSAPP_API_TOKEN: 'revoked-token' } });
    try {
      const h = await waitFor(async () => {
        const health = (await broken.gql(`{ health { templatesSyncedAt templateSyncError } }`)).body.data.health;
        return health.templateSyncError ? health : null;
      });
      expect(h).toMatchObject({ templatesSyncedAt: null, templateSyncError: expect.stringContaining('Graph API') });
      const res = await broken.gql(`mutation { syncTemplates { name } }`);
      expect(res.body.errors?.[0].extensions.code).toBe('WHATSAPP_ERROR');
    } finally {
      await broken.close();
    }
  });
});
