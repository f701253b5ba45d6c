import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestEnv, type TestEnv } from '../harness.js';
import { buildWeb, screenshot, startBrowser, type RunningBrowser } from '../browser.harness.js';
import { envelope, textMessage } from '../payloads.js';

/**
 * Two agents, each in their own browser (context), signed in by the host dashboard as in
 * session.browser.test.ts: one writes internal notes and canned replies, the other watches live.
 */
const USERS: Record<string, { name: string; role: 'AGENT' | 'ADMIN' }> = {
  ada: { name: 'Ada', role: 'AGENT' },
  bea: { name: 'Bea Lovelace', role: 'AGENT' },
  ann: { name: 'Ann Admin', role: 'ADMIN' },
};

let env: TestEnv;
let chrome: RunningBrowser;
let dashboard: http.Server;
let dashboardUrl: string;
const contexts: BrowserContext[] = [];

async function sessionRoute(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const user = /(?:^|;\s*)dash_user=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
  const profile = user ? USERS[user] : undefined;
  if (!user || !profile) {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"not signed in"}');
    return;
  }
  const answer = await env.gql<{ createAgentSession: { token: string } }>(
    'mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token } }',
    { input: { externalId: `dash-${user}`, name: profile.name, role: profile.role } },
  );
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ token: answer.body.data!.createAgentSession.token }));
}

beforeAll(async () => {
  await buildWeb();
  dashboard = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname === '/inbox/session') {
      sessionRoute(req, res).catch((err: Error) => res.writeHead(500).end(err.message));
      return;
    }
    const as = url.searchParams.get('as');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(as ? { 'set-cookie': `dash_user=${as}; HttpOnly; SameSite=Lax; Path=/` } : {}) });
    res.end(`<!doctype html><html><head><title>Support dashboard</title></head><body><h1>Support</h1>
      <script src="${env.app.url}/widget.js" data-endpoint="${env.app.url}/graphql" data-session-url="/inbox/session"></script></body></html>`);
  });
  await new Promise<void>((resolve) => dashboard.listen(0, '127.0.0.1', resolve));
  dashboardUrl = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`;
  [env, chrome] = await Promise.all([startTestEnv({ env: { CORS_ORIGINS: dashboardUrl } }), startBrowser()]);
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
});

afterAll(async () => {
  await chrome?.close();
  await env?.close();
  await new Promise((resolve) => dashboard?.close(resolve));
});

async function openDashboard(user: string): Promise<Page> {
  const ctx = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${dashboardUrl}/?as=${user}`);
  return page;
}

let phone = 15559100000;
async function customerWrites(text: string, from: string, name: string): Promise<void> {
  const res = await env.postWebhook(envelope(textMessage({ from, name, text }).body));
  expect(res.status).toBe(200);
}

async function openConversation(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('button', { name: /WhatsApp inbox/ }).click();
  await expect.poll(() => page.locator('.iw-conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await page.locator('.iw-bubble', { hasText: text }).waitFor();
}

/** The texts of the messages the simulator (Meta) received. */
const sentTexts = () => env.sim.sent.map((s) => (s.body.text as { body?: string } | undefined)?.body ?? JSON.stringify(s.body));

describe('internal notes and canned replies in the widget', () => {
  test("Ada's note appears live in Bea's open conversation, mentions her with a toast, and never goes to WhatsApp", async () => {
    await customerWrites('I was charged twice for order 5512', String(++phone), 'Maria Lopez');
    const [ada, bea] = await Promise.all([openDashboard('ada'), openDashboard('bea')]);
    await Promise.all([openConversation(ada, 'Maria Lopez', 'charged twice'), openConversation(bea, 'Maria Lopez', 'charged twice')]);

    await ada.getByRole('button', { name: 'Note', exact: true }).click();
    const noteBox = ada.getByRole('textbox', { name: 'Internal note' });
    await noteBox.fill('@Bea Lovelace please check the refund in Stripe');
    await noteBox.press('Enter');

    const card = (page: Page) => page.locator('.iw-note', { hasText: 'please check the refund in Stripe' });
    await card(ada).waitFor();
    await card(bea).waitFor();
    expect(await card(bea).locator('.iw-note-author').textContent()).toBe('Ada');
    expect(await card(bea).getAttribute('data-mentions-me')).toBe('true');
    expect(await card(ada).getAttribute('data-mentions-me')).toBeNull();
    await bea.getByTestId('mention').filter({ hasText: 'Ada mentioned you' }).waitFor();
    expect(await ada.getByTestId('mention').count()).toBe(0);
    await screenshot(bea, 'widget-note-live');

    // A reply Ada sends next reaches Meta; the note, written before it, never did.
    await ada.getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = ada.getByRole('textbox', { name: 'Message' });
    await reply.fill('We are looking into it');
    await reply.press('Enter');
    await expect.poll(sentTexts, { timeout: 10_000 }).toContain('We are looking into it');
    expect(sentTexts().filter((t) => t.includes('refund'))).toEqual([]);
    expect((await env.db.query(`select 1 from message where text like '%refund in Stripe%'`)).rowCount).toBe(0);
  }, 60_000);

  test("an admin adds a canned reply in the panel; an agent's / inserts it with the contact's and the agent's names filled in, and it goes out so", async () => {
    await customerWrites('Hello, is anyone there?', String(++phone), 'Jonas Berg');
    const [ann, ada] = await Promise.all([openDashboard('ann'), openDashboard('ada')]);
    await Promise.all([openConversation(ann, 'Jonas Berg', 'is anyone there'), openConversation(ada, 'Jonas Berg', 'is anyone there')]);
    expect(await ada.getByRole('button', { name: 'Canned replies' }).count()).toBe(0); // admins only

    await ann.getByRole('button', { name: 'Canned replies' }).click();
    const panel = ann.getByRole('dialog', { name: 'Canned replies' });
    const form = panel.getByRole('form', { name: 'New canned reply' });
    await form.getByRole('textbox', { name: 'Shortcut' }).fill('greet');
    await form.getByRole('textbox', { name: 'Reply text' }).fill('Hi {{contact.name}}, {{agent.name}} here. How can I help?');
    await form.getByRole('button', { name: 'Add' }).click();
    await panel.getByText('/greet').waitFor();
    // A second with the same shortcut is refused, and says why.
    await form.getByRole('textbox', { name: 'Shortcut' }).fill('greet');
    await form.getByRole('textbox', { name: 'Reply text' }).fill('Hello again');
    await form.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('taken');
    await screenshot(ann, 'widget-canned-admin');

    const box = ada.getByRole('textbox', { name: 'Message' });
    await box.pressSequentially('/gr');
    await ada.getByRole('option', { name: /\/greet/ }).waitFor();
    await screenshot(ada, 'widget-canned-picker');
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Hi Jonas Berg, Ada here. How can I help?');
    await box.press('Enter');
    await expect.poll(sentTexts, { timeout: 10_000 }).toContain('Hi Jonas Berg, Ada here. How can I help?');
  }, 60_000);
});
