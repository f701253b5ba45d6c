import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot } from '../browser.harness.js';
import { startTeamDashboard, type TeamDashboard } from '../team.harness.js';

/**
 * Two agents, each in a browser of their own, on a dashboard that mounts the widget with the agent's
 * session: Ada takes a conversation; Bob sees it under All with Ada's name, and not under Mine.
 */

let team: TeamDashboard;

beforeAll(async () => {
  team = await startTeamDashboard();
}, 120_000);

afterAll(async () => {
  await team?.close();
});

const agentPage = async (name: string) => team.widget(await team.session(name));
const row = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^${name}`) });
const tab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

describe('assignment in the widget', () => {
  test('Ada takes a conversation; Bob sees it under All with her name, not under Mine or Unassigned', async () => {
    const [ada, bob] = [await agentPage('Ada'), await agentPage('Bob')];
    await team.env.sim.injectInbound({ from: '15553330001', name: 'Carol Assign', text: 'Who can help me?' });
    await expect.poll(() => row(bob, 'Carol Assign').isVisible(), { timeout: 10_000 }).toBe(true);
    await tab(bob, 'Unassigned').click();
    await expect.poll(() => row(bob, 'Carol Assign').isVisible()).toBe(true);
    await tab(bob, 'All').click();

    await row(ada, 'Carol Assign').click();
    await ada.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => ada.locator('.iw-assignee-state').textContent()).toBe('Assigned to you');
    await tab(ada, 'Mine').click();
    await expect.poll(() => row(ada, 'Carol Assign').isVisible()).toBe(true);
    await expect.poll(() => tab(ada, 'Mine').textContent()).toBe('Mine1');

    // Bob's widget learns of it live: Ada's name on the row under All, and nothing under Mine.
    await expect.poll(() => row(bob, 'Carol Assign').locator('.iw-assignee').textContent(), { timeout: 10_000 }).toBe('Ada');
    await tab(bob, 'Mine').click();
    await expect.poll(() => bob.getByText('No matching conversations.').isVisible()).toBe(true);
    expect(await row(bob, 'Carol Assign').count()).toBe(0);
    await tab(bob, 'Unassigned').click();
    await expect.poll(() => bob.getByText('No matching conversations.').isVisible()).toBe(true);
    await tab(bob, 'All').click();
    await row(bob, 'Carol Assign').click();
    await expect.poll(() => bob.locator('.iw-assignee-state').textContent()).toBe('Assigned to Ada');
    expect(await bob.getByRole('button', { name: 'Assign to me' }).count()).toBe(0);
    await screenshot(bob, 'assign-seen-by-another-agent');
  }, 60_000);

  test('in a conversation both answered, each outbound bubble shows the agent who sent it', async () => {
    const [ada, bob] = [await agentPage('Ada'), await agentPage('Bob')];
    await team.env.sim.injectInbound({ from: '15553330002', name: 'Dora Both', text: 'Two questions' });
    const send = async (page: Page, text: string) => {
      await row(page, 'Dora Both').click();
      await page.getByRole('textbox', { name: 'Message' }).fill(text);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('.iw-bubble', { hasText: text }).waitFor();
    };
    await send(ada, 'Ada answers the first');
    await send(bob, 'Bob answers the second');
    const senderOf = (text: string) => ada.locator('.iw-bubble', { hasText: text }).locator('.iw-sender');
    await expect.poll(() => senderOf('Bob answers the second').textContent(), { timeout: 10_000 }).toContain('Bob');
    expect(await senderOf('Ada answers the first').textContent()).toContain('Ada');
    await screenshot(ada, 'assign-senders');
  }, 60_000);
});
