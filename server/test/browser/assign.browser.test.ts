import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEnv, type TestEnv } from '../harness.js';
import { buildWeb, screenshot, startBrowser, type RunningBrowser } from '../browser.harness.js';

/**
 * Two agents, each in a browser of their own, on a dashboard that mounts the widget with the agent's
 * session: Ada takes a conversation; Bob sees it under All with Ada's name, and not under Mine.
 */
let env: TestEnv;
let chrome: RunningBrowser;
let dashboard: http.Server;
let dashboardUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await buildWeb();
  // `/?t=<session token>`: the page of the agent whose session it is.
  dashboard = http.createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://dashboard').searchParams.get('t') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Support dashboard</title></head><body><h1>Support</h1>
      <script src="${env.app.url}/widget.js" data-endpoint="${env.app.url}/graphql" data-token="${token}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => dashboard.listen(0, '127.0.0.1', resolve));
  dashboardUrl = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`;
  [env, chrome] = await Promise.all([startTestEnv({ env: { CORS_ORIGINS: dashboardUrl } }), startBrowser()]);
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await chrome?.close();
  await env?.close();
  await new Promise((resolve) => dashboard?.close(resolve));
});

async function agentPage(name: string): Promise<Page> {
  const r = await env.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token } }`, { input: { externalId: name.toLowerCase(), name, role: 'AGENT' } });
  const ctx = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.error(`${name}'s page error:`, e.message));
  await page.goto(`${dashboardUrl}/?t=${encodeURIComponent(r.body.data.createAgentSession.token)}`);
  await page.getByRole('button', { name: /WhatsApp inbox/ }).click();
  await expect.poll(() => page.locator('.iw-conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
  return page;
}

const row = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^${name}`) });
const tab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

describe('assignment in the widget', () => {
  test('Ada takes a conversation; Bob sees it under All with her name, not under Mine or Unassigned', async () => {
    const [ada, bob] = [await agentPage('Ada'), await agentPage('Bob')];
    await env.sim.injectInbound({ from: '15553330001', name: 'Carol Assign', text: 'Who can help me?' });
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
});
