import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { screenshot } from '../browser.harness.js';
import { envelope, textMessage } from '../payloads.js';
import { startTeamDashboard, type TeamDashboard } from '../team.harness.js';

/**
 * Two agents, each in their own browser, open the same conversation in the widget on a host
 * dashboard: each sees the other in the header, and Bob sees Ada replying while she types.
 */

let team: TeamDashboard;
/** The inbox session of each agent. */
const tokens: Record<string, string> = {};

beforeAll(async () => {
  team = await startTeamDashboard();
  tokens.ada = await team.session('Ada');
  tokens.bob = await team.session('Bob');
}, 120_000);

afterAll(async () => {
  await team?.close();
});

/** The dashboard of `user`, with the widget open on the conversation of `name`. */
async function openConversation(user: string, name: string, text: string): Promise<Page> {
  const page = await team.widget(tokens[user]!);
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await page.locator('.iw-bubble', { hasText: text }).waitFor();
  return page;
}

const alsoHere = (page: Page) => page.locator('.iw-conv-header .iw-also-here');
const replying = (page: Page) => page.locator('.iw-composer').getByRole('status');

test('each agent sees the other in the header; Bob sees "Ada is replying…" while she types, and no longer once she clears it', { timeout: 90_000 }, async () => {
  const res = await team.env.postWebhook(envelope(textMessage({ from: '15559100001', name: 'Presence Customer', text: 'Anyone there?' }).body));
  expect(res.status).toBe(200);
  const ada = await openConversation('ada', 'Presence Customer', 'Anyone there?');
  expect(await alsoHere(ada).count()).toBe(0); // alone so far
  const bob = await openConversation('bob', 'Presence Customer', 'Anyone there?');

  await expect.poll(() => alsoHere(bob).getAttribute('aria-label'), { timeout: 10_000 }).toBe('Also here: Ada');
  await expect.poll(() => alsoHere(ada).getAttribute('aria-label'), { timeout: 10_000 }).toBe('Also here: Bob');
  expect(await replying(bob).textContent()).toBe('');

  await ada.getByRole('textbox', { name: 'Message' }).pressSequentially('Yes, I am looking into it', { delay: 30 });
  await expect.poll(() => replying(bob).textContent(), { timeout: 10_000 }).toBe('Ada is replying…');
  expect(await replying(ada).textContent()).toBe(''); // never herself
  await screenshot(bob, 'presence-replying');

  await ada.getByRole('textbox', { name: 'Message' }).fill('');
  await expect.poll(() => replying(bob).textContent(), { timeout: 10_000 }).toBe('');
  expect(await alsoHere(bob).getAttribute('aria-label')).toBe('Also here: Ada');

  // Ada closes her tab: her websocket closes and she is gone from Bob's header.
  await ada.close();
  await expect.poll(() => alsoHere(bob).count(), { timeout: 10_000 }).toBe(0);
});
