import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot } from '../browser.harness.js';
import { startTeamDashboard, type TeamDashboard } from '../team.harness.js';

/** An admin writes a template in the widget (its chunk loads on opening), sees it previewed, and submits it to Meta. */

let team: TeamDashboard;

beforeAll(async () => {
  team = await startTeamDashboard();
}, 120_000);

afterAll(async () => {
  await team?.close();
});

describe('the Templates view', () => {
  test('Ada writes a template, the preview fills in her examples, Meta gets it PENDING and approves it', async () => {
    const page = await team.widget(await team.session('Ada', 'ADMIN'));
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('button', { name: 'New template' }).click();
    const form = page.getByRole('form', { name: 'New template' });
    await form.getByLabel('Name').fill('parcel_ready');
    await form.getByLabel('Body', { exact: true }).fill('Hi {{1}}, your parcel {{2}} is ready.');
    await form.getByLabel('Body example for {{1}}').fill('Ada');
    await form.getByLabel('Body example for {{2}}').fill('#77');
    await form.getByLabel('Footer').fill('Reply STOP to opt out');
    await form.getByRole('button', { name: 'Add button' }).click();
    await form.getByLabel('Button 1 text').fill('Where is it?');
    const preview = page.getByRole('figure', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toBe('Hi Ada, your parcel #77 is ready.Reply STOP to opt outWhere is it?');
    expect(scripts).toEqual([expect.stringMatching(/^\/widget\/TemplatesView-[\w-]+\.js$/)]);
    await screenshot(page, 'template-editor');

    await form.getByLabel('Name').fill('Parcel Ready');
    await form.getByRole('button', { name: 'Submit for review' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('name: use 1 to 512 lowercase letters, digits and underscores');
    await form.getByLabel('Name').fill('parcel_ready');
    await form.getByRole('button', { name: 'Submit for review' }).click();
    const list = page.getByRole('region', { name: 'Templates' });
    await expect.poll(() => list.getByRole('listitem').filter({ hasText: 'parcel_ready' }).textContent()).toContain('PENDING');
    expect(team.env.sim.templates.find((t) => t.name === 'parcel_ready')).toMatchObject({ status: 'PENDING', components: expect.arrayContaining([{ type: 'FOOTER', text: 'Reply STOP to opt out' }]) });

    await team.env.sim.setTemplateStatus('parcel_ready', 'en_US', 'APPROVED');
    await expect.poll(async () => (await team.env.db.query(`select status from template where name = 'parcel_ready'`)).rows[0]?.status).toBe('APPROVED');
    await page.getByRole('button', { name: 'Templates' }).click(); // back to the inbox, and again: the list is read anew
    await page.getByRole('button', { name: 'Templates' }).click();
    await expect.poll(() => list.getByRole('listitem').filter({ hasText: 'parcel_ready' }).textContent()).toContain('APPROVED');
    await screenshot(page, 'templates-list');
  });
});
