import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEnv, type TestEnv } from '../harness.js';
import { buildWeb, screenshot, startBrowser, type RunningBrowser } from '../browser.harness.js';

/** An agent opens the team's figures from the widget's header; a viewer's widget has none. */
let env: TestEnv;
let chrome: RunningBrowser;
let dashboard: http.Server;
let dashboardUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await buildWeb();
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

async function session(name: string, role: string): Promise<string> {
  const r = await env.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token } }`, { input: { externalId: name.toLowerCase(), name, role } });
  return r.body.data.createAgentSession.token;
}

async function widget(token: string): Promise<Page> {
  const ctx = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${dashboardUrl}/?t=${encodeURIComponent(token)}`);
  await page.getByRole('button', { name: /WhatsApp inbox/ }).click();
  await expect.poll(() => page.locator('.iw-conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
  return page;
}

describe('the Team panel', () => {
  test("Ada sees her week's figures and who waits longest, and opens that conversation", async () => {
    const ada = await session('Ada', 'AGENT');
    await env.sim.injectInbound({ from: '15553440001', name: 'Carol Team', text: 'Hello?' });
    await env.sim.injectInbound({ from: '15553440002', name: 'Dan Waiting', text: 'Anyone there?' });
    const carol = async () => (await env.db.query(`select id::text from contact where wa_id = '15553440001'`)).rows[0]?.id as string | undefined;
    await expect.poll(carol).toBeTruthy();
    const sent = await env.gql(`mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`, { input: { contactId: await carol(), text: 'Hi Carol' } }, ada);
    expect(sent.body.errors).toBeUndefined();

    const page = await widget(ada);
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
    const page = await widget(await session('Vi', 'VIEWER'));
    await expect.poll(() => page.getByRole('button', { name: 'Minimise inbox' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Team figures' }).count()).toBe(0);
  });
});
