import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot } from '../browser.harness.js';
import { startTeamDashboard, type TeamDashboard } from '../team.harness.js';

/** An agent opens the team's figures from the widget's header; a viewer's widget has none. */

let team: TeamDashboard;

beforeAll(async () => {
  team = await startTeamDashboard();
}, 120_000);

afterAll(async () => {
  await team?.close();
});

describe('the Team panel', () => {
  test("Ada sees her week's figures and who waits longest, and opens that conversation", async () => {
    const ada = await team.session('Ada', 'AGENT');
    await team.env.sim.injectInbound({ from: '15553440001', name: 'Carol Team', text: 'Hello?' });
    await team.env.sim.injectInbound({ from: '15553440002', name: 'Dan Waiting', text: 'Anyone there?' });
    const carol = async () => (await team.env.db.query(`select id::text from contact where wa_id = '15553440001'`)).rows[0]?.id as string | undefined;
    await expect.poll(carol).toBeTruthy();
    const sent = await team.env.gql(`mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`, { input: { contactId: await carol(), text: 'Hi Carol' } }, ada);
    expect(sent.body.errors).toBeUndefined();

    const page = await team.widget(ada);
    await page.getByRole('button', { name: 'Team figures' }).click();
    const row = page.getByRole('row', { name: /^Ada/ });
    await expect.poll(() => row.getByRole('cell').allTextContents()).toEqual(['0', '0', '1', expect.stringMatching(/ s$| min$/), expect.stringMatching(/ s$| min$/)]);
    const waiting = page.getByRole('region', { name: 'Team' }).getByRole('listitem');
    await expect.poll(() => waiting.allTextContents()).toEqual([expect.stringMatching(/^Dan Waitingwaiting /)]);
    await screenshot(page, 'team-panel');
    await waiting.getByRole('button').click();
    await expect.poll(() => page.locator('.iw-conversation').getByText('Anyone there?').isVisible()).toBe(true);
  });

  test('a viewer has no Team button', async () => {
    const page = await team.widget(await team.session('Vi', 'VIEWER'));
    await expect.poll(() => page.getByRole('button', { name: 'Minimise inbox' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Team figures' }).count()).toBe(0);
  });
});
