import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestEnv, type TestEnv } from '../harness.js';
import { buildWeb, screenshot, startBrowser, type RunningBrowser } from '../browser.harness.js';
import { envelope, textMessage } from '../payloads.js';

/**
 * Two agents, each in their own browser, open the same conversation in the widget on a host
 * dashboard: each sees the other in the header, and Bob sees Ada replying while she types.
 */
let env: TestEnv;
let chrome: RunningBrowser;
let dashboard: http.Server;
let dashboardUrl: string;
/** The dashboard's users and the inbox session each one's widget gets. */
const tokens: Record<string, string> = {};
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await buildWeb();
  dashboard = http.createServer((req, res) => {
    const as = new URL(req.url ?? '/', 'http://dashboard').searchParams.get('as') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Sales dashboard</title></head><body><h1>Sales</h1>
      <script src="${env.app.url}/widget.js" data-endpoint="${env.app.url}/graphql" data-token="${tokens[as] ?? ''}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => dashboard.listen(0, '127.0.0.1', resolve));
  dashboardUrl = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`;
  [env, chrome] = await Promise.all([startTestEnv({ env: { CORS_ORIGINS: dashboardUrl } }), startBrowser()]);
  for (const [user, name] of [['ada', 'Ada'], ['bob', 'Bob']] as const) {
    const res = await env.gql(`mutation($i: String!, $n: String) { createAgentSession(input: { externalId: $i, name: $n }) { token } }`, { i: user, n: name });
    tokens[user] = res.body.data.createAgentSession.token;
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await chrome?.close();
  await env?.close();
  await new Promise((resolve) => dashboard?.close(resolve));
});

/** The dashboard of `user`, with the widget open on the conversation of `name`. */
async function openConversation(user: string, name: string, text: string): Promise<Page> {
  const ctx = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${dashboardUrl}/?as=${user}`);
  await page.getByRole('button', { name: /WhatsApp inbox/ }).click();
  await expect.poll(() => page.locator('.iw-conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await page.locator('.iw-bubble', { hasText: text }).waitFor();
  return page;
}

const alsoHere = (page: Page) => page.locator('.iw-conv-header .iw-also-here');
const replying = (page: Page) => page.locator('.iw-composer').getByRole('status');

test('each agent sees the other in the header; Bob sees "Ada is replying…" while she types, and no longer once she clears it', { timeout: 90_000 }, async () => {
  const res = await env.postWebhook(envelope(textMessage({ from: '15559100001', name: 'Presence Customer', text: 'Anyone there?' }).body));
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
