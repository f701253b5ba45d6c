import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page, WebSocket as PageSocket } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestEnv, TEST_TOKEN, type TestEnv } from '../harness.js';
import { buildWeb, screenshot, startBrowser, type RunningBrowser } from '../browser.harness.js';
import { envelope, textMessage } from '../payloads.js';

/**
 * The widget on a host dashboard that signs its agents in with short sessions: the dashboard's
 * backend asks the inbox for one (`createAgentSession`, with its server-side key) and hands it to
 * the widget at `data-session-url`. Sessions last SESSION_TTL seconds here, so the test watches
 * one end and the widget carry on with the next.
 */
const SESSION_TTL = 8;

/** The dashboard's users (by its cookie) and the role each has in the inbox. */
const USERS: Record<string, { name: string; role: 'AGENT' | 'VIEWER' }> = {
  ada: { name: 'Ada Agent', role: 'AGENT' },
  grace: { name: 'Grace Viewer', role: 'VIEWER' },
};

let env: TestEnv;
let chrome: RunningBrowser;
let dashboard: http.Server;
let dashboardUrl: string;
/** Every session the dashboard's backend handed out, in order. */
const issued: Array<{ user: string; token: string; expiresAt: number }> = [];
const contexts: BrowserContext[] = [];

/** The dashboard's backend route: for its signed-in user, a session from the inbox (the key stays here). */
async function sessionRoute(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const user = /(?:^|;\s*)dash_user=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
  const profile = user ? USERS[user] : undefined;
  if (!user || !profile) {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"not signed in"}');
    return;
  }
  const answer = await fetch(`${env.app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
    body: JSON.stringify({
      query: 'mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token expiresAt } }',
      variables: { input: { externalId: `dash-${user}`, name: profile.name, role: profile.role } },
    }),
  }).then((r) => r.json() as Promise<{ data: { createAgentSession: { token: string; expiresAt: string } } }>);
  const { token, expiresAt } = answer.data.createAgentSession;
  issued.push({ user, token, expiresAt: Date.parse(expiresAt) });
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ token }));
}

beforeAll(async () => {
  await buildWeb();
  dashboard = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname === '/inbox/session') {
      sessionRoute(req, res).catch((err: Error) => res.writeHead(500).end(err.message));
      return;
    }
    // `/?as=ada` signs the browser in as that user (a stand-in for the dashboard's own login).
    const as = url.searchParams.get('as');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(as ? { 'set-cookie': `dash_user=${as}; HttpOnly; SameSite=Lax; Path=/` } : {}) });
    res.end(`<!doctype html><html><head><title>Sales dashboard</title></head><body><h1>Sales</h1>
      <script src="${env.app.url}/widget.js" data-endpoint="${env.app.url}/graphql" data-session-url="/inbox/session"></script></body></html>`);
  });
  await new Promise<void>((resolve) => dashboard.listen(0, '127.0.0.1', resolve));
  dashboardUrl = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`;
  [env, chrome] = await Promise.all([startTestEnv({ env: { CORS_ORIGINS: dashboardUrl, SESSION_TTL_SECONDS: String(SESSION_TTL) } }), startBrowser()]);
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
});

afterAll(async () => {
  await chrome?.close();
  await env?.close();
  await new Promise((resolve) => dashboard?.close(resolve));
});

/** The dashboard, signed in as `user` (or not at all), with the websockets the widget opens and the operations it sends over HTTP. */
async function openDashboard(user: string | null): Promise<{ page: Page; sockets: PageSocket[]; operations: string[] }> {
  const ctx = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const sockets: PageSocket[] = [];
  page.on('websocket', (ws) => sockets.push(ws));
  const operations: string[] = [];
  page.on('request', (r) => {
    if (r.url() === `${env.app.url}/graphql` && r.method() === 'POST') operations.push(JSON.parse(r.postData() ?? '{}').operationName);
  });
  await page.goto(user ? `${dashboardUrl}/?as=${user}` : dashboardUrl);
  return { page, sockets, operations };
}

let phone = 15558000000;
/** A customer writes: Meta posts the message to the inbox's webhook, signed. */
async function customerWrites(text: string, from: string, name: string): Promise<void> {
  const res = await env.postWebhook(envelope(textMessage({ from, name, text }).body));
  expect(res.status).toBe(200);
}

const launcher = (page: Page) => page.getByRole('button', { name: /WhatsApp inbox/ });
const indicator = (page: Page) => page.locator('.iw-conn');
const bubble = (page: Page, text: string) => page.locator('.iw-bubble', { hasText: text });

async function openConversation(page: Page, name: string, text: string): Promise<void> {
  await launcher(page).click();
  await expect.poll(() => indicator(page).getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await bubble(page, text).waitFor();
}

describe('agent sessions from the host dashboard', () => {
  test('a session expires and the widget renews it: the conversation stays open, the draft kept, live messages keep coming', async () => {
    const from = String(++phone);
    await customerWrites('Is my order shipped?', from, 'Renewal Customer');
    const { page, sockets } = await openDashboard('ada');
    await openConversation(page, 'Renewal Customer', 'Is my order shipped?');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Let me check the tracking');
    const first = issued.filter((s) => s.user === 'ada')[0]!;

    // The first session ends; by then the widget has asked the dashboard for another, and the server,
    // having closed the websocket signed with the old one, sees it come back signed with the new.
    await expect.poll(() => Date.now() > first.expiresAt + 500 && sockets.length >= 2, { timeout: SESSION_TTL * 1000 + 5_000, interval: 250 }).toBe(true);
    expect(issued.filter((s) => s.user === 'ada').length).toBeGreaterThanOrEqual(2);
    expect(new Set(issued.map((s) => s.token)).size).toBe(issued.length);
    await expect.poll(() => indicator(page).getAttribute('data-state')).toBe('live');

    // A message after the first session's end arrives through the subscription (announced) and shows.
    await customerWrites('Any news? It was due yesterday', from, 'Renewal Customer');
    await expect.poll(() => bubble(page, 'Any news? It was due yesterday').isVisible(), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('announcer').textContent(), { timeout: 5_000 }).toContain('Any news? It was due yesterday');
    expect(await page.locator('.iw-conv-name h3').textContent()).toBe('Renewal Customer');
    expect(await box.inputValue()).toBe('Let me check the tracking');
    await screenshot(page, 'widget-session-renewed');

    // And the draft goes out with the current session, credited to the agent.
    await box.press('Enter');
    await expect.poll(async () => (await env.db.query(`select 1 from message where text = 'Let me check the tracking' and direction = 'OUTBOUND'`)).rowCount, { timeout: 10_000 }).toBe(1);
    expect(await box.inputValue()).toBe('');
  }, 60_000);

  test('a VIEWER from the dashboard reads conversations but gets no composer and no actions', async () => {
    await customerWrites('Hello, anyone there?', String(++phone), 'Viewer Customer');
    const { page, operations } = await openDashboard('grace');
    await openConversation(page, 'Viewer Customer', 'Hello, anyone there?');
    await page.getByText('Read only: you can read conversations but not reply to them.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    expect(await page.getByRole('toolbar', { name: 'Contact actions' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Reply to/ }).count()).toBe(0);
    // Someone who may only look doesn't mark the conversation read for the team.
    await page.waitForTimeout(500);
    expect(operations).toContain('Me');
    expect(operations).not.toContain('MarkContactRead');
  }, 30_000);

  test('signed out of the dashboard, the widget says it could not get a session', async () => {
    const { page } = await openDashboard(null);
    await launcher(page).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 10_000 }).toContain('Could not get a session from the dashboard (HTTP 401)');
  }, 30_000);
});
